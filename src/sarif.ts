// `--format sarif`: the run as one SARIF 2.1.0 log, shaped for GitHub code scanning. Applied fixes
// become warnings (the file can be improved) carrying the exact change as SARIF replacements;
// declines and withheld unsafe fixes become notes; files that could not be processed become tool
// notifications, because they are not findings about the file's content.
//
// Pure: no file system, no clock, no working directory, so the same reports give the same bytes.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { diffArrays } from 'diff';
import { newFiles } from './file-changes.js';
import type { FileReport } from './runner.js';
import type { Transform } from './transform.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** The rule of findings about the whole file that no transform owns (the engine's preflight declines). */
export const WHOLE_FILE_RULE_ID = 'stageopt';

/** GitHub resolves %SRCROOT% to the repository checkout, so relative paths land on the right file. */
export const SRCROOT = '%SRCROOT%';

export interface SarifInfo {
  /** stageopt's own version (package.json). */
  version: string;
  /** The registered transforms, in registry order: one rule each. */
  transforms: readonly Transform[];
  /**
   * Absolute URI that repository-relative doc paths resolve against, e.g.
   * `https://github.com/org/stageopt/blob/v0.1.0/`: rule i's helpUri is `<base>docs/transforms/<id>.md`.
   * Without it there is no helpUri (SARIF requires an absolute one); the relative path goes in `help`.
   */
  docsBaseUri?: string;
  /** Absolute URI of the tool's home page, if it has one; omitted otherwise (it must be absolute). */
  informationUri?: string;
}

// The subset of the SARIF object model this module writes (names and shapes as in the spec).
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: [SarifRun];
}
export interface SarifRun {
  tool: { driver: { name: string; version: string; informationUri?: string; rules: SarifRule[] } };
  invocations: [{ executionSuccessful: boolean; toolExecutionNotifications: SarifNotification[] }];
  columnKind: 'utf16CodeUnits';
  results: SarifResult[];
}
export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription?: { text: string };
  helpUri?: string;
  help: { text: string };
  defaultConfiguration: { level: SarifLevel };
  properties: Record<string, unknown>;
}
export type SarifLevel = 'error' | 'warning' | 'note';
export interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}
export interface SarifRegion {
  startLine: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}
export interface SarifLocation {
  physicalLocation: { artifactLocation: SarifArtifactLocation; region?: SarifRegion };
}
export interface SarifReplacement {
  deletedRegion: Required<SarifRegion>;
  insertedContent?: { text: string };
}
export interface SarifArtifactChange {
  artifactLocation: SarifArtifactLocation;
  replacements: SarifReplacement[];
  /** `newFile: true` on a file the fix creates (the artifact does not exist yet). */
  properties?: { newFile: true };
}
export interface SarifFix {
  description: { text: string };
  artifactChanges: SarifArtifactChange[];
}
export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: [SarifLocation];
  fixes?: [SarifFix];
  properties: { finding: 'fix' | 'decline' | 'unsafe-withheld' };
}
export interface SarifNotification {
  level: 'error' | 'note';
  message: { text: string };
  locations: [SarifLocation];
  associatedRule?: { id: string; index: number };
}

export function toSarif(reports: readonly FileReport[], info: SarifInfo): SarifLog {
  const rules = [...info.transforms.map((t) => transformRule(t, info.docsBaseUri)), wholeFileRule(info.docsBaseUri)];
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  // A finding of a transform missing from info.transforms (a registry mismatch) still needs a rule
  // that exists: it falls back to the whole-file rule rather than producing a dangling ruleIndex.
  const ruleRef = (id: string | null) => {
    const known = id !== null && ruleIndex.has(id) ? id : WHOLE_FILE_RULE_ID;
    return { ruleId: known, ruleIndex: ruleIndex.get(known)! };
  };

  const results: { sortPath: string; result: SarifResult }[] = [];
  const notifications: { sortPath: string; notification: SarifNotification }[] = [];
  let failed = false;

  for (const report of reports) {
    if (report.ignoredByConfig) continue;
    const where = artifactLocation(report.path);
    const at = (line: number): [SarifLocation] => [{ physicalLocation: { artifactLocation: where, region: { startLine: Math.max(1, line) } } }];

    if (report.outcome === 'error') {
      failed = true;
      const transform = report.engine?.error?.transform ?? null;
      notifications.push({
        sortPath: report.path,
        notification: {
          level: 'error',
          message: { text: report.error ?? 'unknown error' },
          locations: [{ physicalLocation: { artifactLocation: where } }],
          ...(transform !== null && ruleIndex.has(transform) ? { associatedRule: { id: transform, index: ruleIndex.get(transform)! } } : {}),
        },
      });
      continue;
    }
    const engine = report.engine;
    if (!engine) continue;
    for (const note of engine.notes) {
      notifications.push({ sortPath: report.path, notification: { level: 'note', message: { text: note }, locations: [{ physicalLocation: { artifactLocation: where } }] } });
    }

    const changed = report.outcome === 'changed' && engine.output !== report.original;
    const change = changed ? lineChange(report.original, engine.output) : null;
    const created = report.outcome === 'changed' ? newFiles(engine) : [];
    // Declines and withheld fixes come from the engine's last round, so their lines are lines of the
    // output; a result must point into the file as it is on disk.
    const toOriginal = (line: number) => (change ? change.oldLineOf(line) : line);

    const fixResults = engine.fixes.map((fix): SarifResult => ({
      ...ruleRef(fix.transform),
      level: 'warning',
      message: { text: fix.message },
      locations: at(fix.line),
      properties: { finding: 'fix' },
    }));
    // The engine reports one combined output per file, not one per fix (later fixes build on earlier
    // ones), so the whole change rides on the file's first fix result: applying every result's fixes
    // then applies it exactly once.
    fixResults.sort((a, b) => startLine(a) - startLine(b));
    if ((change || created.length > 0) && fixResults[0]) {
      const count = engine.fixes.length;
      const artifactChanges: SarifArtifactChange[] = change ? [{ artifactLocation: where, replacements: change.replacements }] : [];
      // A created file (a .dockerignore) is an artifact that does not exist yet: its whole text is
      // inserted at the empty region 1:1 of the empty file, and the change says it is new.
      for (const file of created) {
        artifactChanges.push({
          artifactLocation: artifactLocation(file.shown),
          replacements: [{ deletedRegion: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 }, insertedContent: { text: file.content } }],
          properties: { newFile: true },
        });
      }
      const also = created.length > 0 ? ` and create ${created.map((f) => f.shown).join(', ')}` : '';
      fixResults[0].fixes = [
        {
          description: { text: `Apply stageopt's ${count} fix${count === 1 ? '' : 'es'} to ${report.path}${also}` },
          artifactChanges,
        },
      ];
    }
    for (const result of fixResults) results.push({ sortPath: report.path, result });

    for (const d of engine.declines) {
      results.push({
        sortPath: report.path,
        result: { ...ruleRef(d.transform), level: 'note', message: { text: d.message }, locations: at(toOriginal(d.line ?? 1)), properties: { finding: 'decline' } },
      });
    }
    for (const w of engine.withheld) {
      results.push({
        sortPath: report.path,
        result: {
          ...ruleRef(w.transform),
          level: 'note',
          message: { text: `Unsafe fix not applied (run with --unsafe to apply it): ${w.message} (unsafe: ${w.unsafeReason})` },
          locations: at(toOriginal(w.line)),
          properties: { finding: 'unsafe-withheld' },
        },
      });
    }
  }

  // Plain code-unit comparison, not localeCompare: the order must not depend on the machine's locale.
  const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  results.sort((a, b) => byPath(a.sortPath, b.sortPath) || startLine(a.result) - startLine(b.result));
  notifications.sort((a, b) => byPath(a.sortPath, b.sortPath));

  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'stageopt', version: info.version, ...(info.informationUri ? { informationUri: info.informationUri } : {}), rules } },
        invocations: [{ executionSuccessful: !failed, toolExecutionNotifications: notifications.map((n) => n.notification) }],
        // Columns are JavaScript string indices; said explicitly so no reader assumes another unit.
        columnKind: 'utf16CodeUnits',
        results: results.map((r) => r.result),
      },
    ],
  };
}

function startLine(result: SarifResult): number {
  return result.locations[0].physicalLocation.region?.startLine ?? 1;
}

function transformRule(t: Transform, docsBaseUri: string | undefined): SarifRule {
  const doc = `docs/transforms/${t.id}.md`;
  return {
    id: t.id,
    name: pascalCase(t.id),
    shortDescription: { text: t.summary },
    ...(docsBaseUri ? { helpUri: resolveDoc(docsBaseUri, doc) } : {}),
    help: { text: `${t.summary.replace(/\.?$/, '.')} Safety: ${t.safety}. See ${doc}.` },
    defaultConfiguration: { level: 'warning' },
    properties: { safety: t.safety, docs: doc, tags: ['dockerfile'] },
  };
}

function wholeFileRule(docsBaseUri: string | undefined): SarifRule {
  return {
    id: WHOLE_FILE_RULE_ID,
    name: 'Stageopt',
    shortDescription: { text: 'stageopt left the whole file alone' },
    fullDescription: {
      text: 'The file has a structural problem (for example an unknown instruction), so no transform ran: editing a file that may have been misread could break it.',
    },
    ...(docsBaseUri ? { helpUri: resolveDoc(docsBaseUri, 'README.md') } : {}),
    help: { text: 'Fix the problem named in the message; stageopt then processes the file as usual. See README.md.' },
    defaultConfiguration: { level: 'note' },
    properties: { docs: 'README.md', tags: ['dockerfile'] },
  };
}

function resolveDoc(base: string, rel: string): string {
  // new URL throws on a relative base, which is the caller's mistake to hear about.
  return new URL(rel, base.endsWith('/') ? base : base + '/').href;
}

function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

/**
 * Where a report's file is, as SARIF wants it: a relative path becomes a percent-encoded relative
 * URI against %SRCROOT% (GitHub needs repository-relative paths); an absolute path (a file outside
 * the working directory) becomes a file: URI with no base, because resolving it against the source
 * root would name a different file.
 */
export function artifactLocation(shownPath: string): SarifArtifactLocation {
  if (path.isAbsolute(shownPath)) return { uri: pathToFileURL(shownPath).href };
  const segments = shownPath.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
  return { uri: segments.map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

// ---------------------------------------------------------------------------------------------
// The change as SARIF replacements.
//
// One replacement per run of changed lines, each a region of the ORIGINAL text (SARIF applies all
// replacements of an artifactChange against the original, so they are independent of each other):
// - lines are split as the engine and SARIF both do: a line ends at \r\n, \n or a lone \r;
// - a deleted run of lines starts at column 1 of its first line and ends at column 1 of the line
//   after it, so the line breaks go too (a region without columns would stop before the last
//   break); when the run ends with the file's unterminated last line, it ends after that line's
//   last character instead;
// - a pure insertion is the empty region startLine:startColumn = endLine:endColumn at column 1 of
//   the line it goes before (the line after the last one, for an append);
// - insertedContent.text is the new lines with their own line breaks, byte for byte.
// A UTF-8 BOM is not part of any line: it is not text a reader sees, and the engine never adds
// or removes one, so both sides are compared without it.

export interface LineChange {
  replacements: SarifReplacement[];
  /** Maps a line of the new text to the line of the original it sits on (or is inserted at). */
  oldLineOf(newLine: number): number;
}

const BOM = '\uFEFF';

export function lineChange(original: string, output: string): LineChange {
  const bothBom = original.startsWith(BOM) && output.startsWith(BOM);
  const oldLines = splitLines(bothBom ? original.slice(1) : original);
  const newLines = splitLines(bothBom ? output.slice(1) : output);
  const changes = diffArrays(oldLines, newLines);

  const replacements: SarifReplacement[] = [];
  // newToOld[i] = the 1-based original line that new line i+1 sits on.
  const newToOld: number[] = [];
  let oldLine = 1;
  for (let i = 0; i < changes.length; ) {
    const c = changes[i]!;
    if (!c.added && !c.removed) {
      for (let k = 0; k < c.value.length; k++) newToOld.push(oldLine + k);
      oldLine += c.value.length;
      i++;
      continue;
    }
    // A run of removals and additions between two unchanged stretches is one replacement.
    const deleted: string[] = [];
    const inserted: string[] = [];
    for (; i < changes.length && (changes[i]!.added || changes[i]!.removed); i++) {
      (changes[i]!.added ? inserted : deleted).push(...changes[i]!.value);
    }
    for (let k = 0; k < inserted.length; k++) newToOld.push(Math.min(oldLine, Math.max(1, oldLines.length)));
    replacements.push({
      deletedRegion: deletedRegion(oldLine, deleted),
      ...(inserted.length > 0 ? { insertedContent: { text: inserted.join('') } } : {}),
    });
    oldLine += deleted.length;
  }
  return {
    replacements,
    oldLineOf: (newLine) => newToOld[newLine - 1] ?? Math.max(1, oldLines.length),
  };
}

function deletedRegion(start: number, deleted: readonly string[]): Required<SarifRegion> {
  if (deleted.length === 0) return { startLine: start, startColumn: 1, endLine: start, endColumn: 1 };
  const last = deleted[deleted.length - 1]!;
  const lastLine = start + deleted.length - 1;
  const terminated = /[\r\n]$/.test(last);
  return terminated
    ? { startLine: start, startColumn: 1, endLine: lastLine + 1, endColumn: 1 }
    : { startLine: start, startColumn: 1, endLine: lastLine, endColumn: last.length + 1 };
}

/** Lines with their line breaks attached; joining them gives the text back exactly. */
export function splitLines(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}
