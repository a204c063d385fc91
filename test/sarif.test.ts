// --format sarif: the log must be valid against the official OASIS SARIF 2.1.0 schema, point at the
// right files and lines, and its fixes must rebuild the engine's output byte for byte.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigResolver } from '../src/config.js';
import { processFile, type FileReport } from '../src/runner.js';
import { lineChange, splitLines, toSarif, type SarifLog, type SarifReplacement, type SarifResult } from '../src/sarif.js';
import { TRANSFORMS } from '../transforms/index.js';
import { AWKWARD_FILES, BOM, CLEAN, DEFAULT_SETTINGS, MULTI, makeTree, ROOT } from './helpers.js';


// The OASIS SARIF 2.1.0 schema, kept in test/schemas (see its README for where it comes from).
const OASIS_ID = 'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json';

function loadSarifSchema(): Record<string, any> {
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'schemas', 'sarif-schema-2.1.0.json'), 'utf8')) as Record<string, any>;
  if (schema.$id !== OASIS_ID || schema.title !== 'Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema') {
    throw new Error(`unexpected schema: ${schema.$id} / ${schema.title}`);
  }
  return schema;
}

const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;
// unicodeRegExp off: the official schema's `language` pattern has a stray "]", legal in a plain
// JavaScript regular expression but a syntax error under the u flag Ajv uses by default.
const ajv = new Ajv({ allErrors: true, unicodeRegExp: false });
addFormats(ajv); // the schema uses "uri", "uri-reference" and "date-time"
const validateSarif = ajv.compile(loadSarifSchema());

function assertValid(log: unknown): void {
  const ok = validateSarif(log);
  assert.ok(ok, `invalid SARIF: ${ajv.errorsText(validateSarif.errors, { separator: '\n' })}`);
}

// ---------------------------------------------------------------------------------------------
// An independent applier: SARIF regions (1-based lines and UTF-16 columns; lines end at \r\n, \n or
// \r) to offsets, every replacement against the original, applied from the end.

function lineStarts(text: string): number[] {
  const starts = [0];
  const re = /\r\n|\r|\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index + m[0].length);
  return starts;
}

function offsetOf(starts: number[], text: string, line: number, column: number): number {
  assert.ok(line >= 1 && line <= starts.length, `line ${line} is outside the file (${starts.length} lines)`);
  const offset = starts[line - 1]! + column - 1;
  assert.ok(offset <= text.length, `line ${line} column ${column} is past the end`);
  return offset;
}

function applyReplacements(original: string, replacements: readonly SarifReplacement[]): string {
  const bom = original.startsWith(BOM) ? BOM : '';
  const text = original.slice(bom.length);
  const starts = lineStarts(text);
  const spans = replacements.map((r) => {
    const d = r.deletedRegion;
    return {
      start: offsetOf(starts, text, d.startLine, d.startColumn),
      end: offsetOf(starts, text, d.endLine, d.endColumn),
      insert: r.insertedContent?.text ?? '',
    };
  });
  spans.sort((a, b) => b.start - a.start);
  let out = text;
  let limit = Infinity;
  for (const s of spans) {
    assert.ok(s.start <= s.end && s.end <= limit, 'replacements overlap or run backwards');
    out = out.slice(0, s.start) + s.insert + out.slice(s.end);
    limit = s.start;
  }
  return bom + out;
}

/** Applies every fix of every result for one file. */
function applyFixes(log: SarifLog, uri: string, original: string): string {
  const replacements = log.runs[0].results
    .flatMap((r) => r.fixes ?? [])
    .flatMap((f) => f.artifactChanges)
    .filter((c) => c.artifactLocation.uri === uri)
    .flatMap((c) => c.replacements);
  return applyReplacements(original, replacements);
}

// ---------------------------------------------------------------------------------------------
// Reports from real files, with paths relative to the tree as a run from its root shows them.

async function reportsFor(files: Record<string, string | Buffer>): Promise<{ dir: string; reports: FileReport[] }> {
  const dir = makeTree(files);
  const configs = new ConfigResolver(TRANSFORMS, false);
  const reports: FileReport[] = [];
  for (const rel of Object.keys(files).filter((f) => path.basename(f) === 'Dockerfile').sort()) {
    const report = await processFile(path.join(dir, rel), DEFAULT_SETTINGS, configs);
    reports.push({ ...report, path: rel });
  }
  return { dir, reports };
}

const TREE: Record<string, string | Buffer> = {
  ...AWKWARD_FILES,
  'svc/Dockerfile': MULTI,
  // name-stages made unsafe by config: its fixes are withheld, and reported as notes.
  'unsafe/Dockerfile': MULTI,
  'unsafe/.stageoptrc': JSON.stringify({ transforms: { 'name-stages': { safety: 'unsafe' } } }),
};

const INFO = { version: '9.9.9', transforms: TRANSFORMS, docsBaseUri: 'https://example.com/stageopt/blob/v9.9.9/' };

test('the log validates against the official SARIF 2.1.0 schema, and the validator is not a rubber stamp', async () => {
  const { reports } = await reportsFor(TREE);
  const log = toSarif(reports, INFO);
  assertValid(log);
  assertValid(JSON.parse(JSON.stringify(log)));
  assert.is(log.$schema, 'https://json.schemastore.org/sarif-2.1.0.json');
  assert.is(log.version, '2.1.0');
  assert.is(log.runs.length, 1);

  const broken = JSON.parse(JSON.stringify(log));
  broken.runs[0].results[0].level = 'severe';
  assert.not.ok(validateSarif(broken), 'a made-up level must fail validation');
  const relativeHelp = JSON.parse(JSON.stringify(log));
  relativeHelp.runs[0].tool.driver.rules[0].helpUri = 'docs/transforms/name-stages.md';
  assert.not.ok(validateSarif(relativeHelp), 'helpUri must be absolute, which is why a relative one is never written');
});

test('driver and rules: one rule per registered transform, plus "stageopt" for whole-file declines', () => {
  const log = toSarif([], INFO);
  assertValid(log);
  const driver = log.runs[0].tool.driver;
  assert.is(driver.name, 'stageopt');
  assert.is(driver.version, '9.9.9');
  assert.equal(
    driver.rules.map((r) => r.id),
    [...TRANSFORMS.map((t) => t.id), 'stageopt'],
  );
  for (const t of TRANSFORMS) {
    const rule = driver.rules.find((r) => r.id === t.id)!;
    assert.is(rule.shortDescription.text, t.summary);
    assert.is(rule.helpUri, `https://example.com/stageopt/blob/v9.9.9/docs/transforms/${t.id}.md`);
    assert.is(rule.properties.safety, t.safety);
    assert.ok(fs.existsSync(path.join(ROOT, rule.properties.docs as string)), `${rule.properties.docs} exists`);
  }
  assert.equal(log.runs[0].results, []);
  assert.is(log.runs[0].invocations[0].executionSuccessful, true);

  // Without a base there is no absolute URI to give: no helpUri, the relative path goes in help.
  const bare = toSarif([], { version: '1.0.0', transforms: TRANSFORMS });
  assertValid(bare);
  for (const rule of bare.runs[0].tool.driver.rules) assert.is(rule.helpUri, undefined);
  assert.match(bare.runs[0].tool.driver.rules[0]!.help.text, /docs\/transforms\/name-stages\.md/);
  // A base without its trailing slash still means the folder.
  const noSlash = toSarif([], { ...INFO, docsBaseUri: 'https://example.com/stageopt/blob/v9.9.9' });
  assert.is(noSlash.runs[0].tool.driver.rules[0]!.helpUri, 'https://example.com/stageopt/blob/v9.9.9/docs/transforms/name-stages.md');
});

test('fix results: warning, transform rule, relative %SRCROOT% location, the fix line, sorted by path then line', async () => {
  const { reports } = await reportsFor(TREE);
  const log = toSarif(reports, INFO);
  const results = log.runs[0].results;
  const fixes = results.filter((r) => r.properties.finding === 'fix');
  const expected = reports.flatMap((r) => (r.outcome === 'changed' ? r.engine!.fixes.map((f) => ({ path: r.path, ...f })) : []));
  assert.is(fixes.length, expected.length);
  assert.ok(fixes.length >= 10, `expected fixes in several files, got ${fixes.length}`);
  for (const f of expected) {
    const match = fixes.find(
      (r) => uriOf(r) === f.path && r.ruleId === f.transform && r.message.text === f.message && r.locations[0].physicalLocation.region!.startLine === f.line,
    );
    assert.ok(match, `no result for ${f.path} line ${f.line}: ${f.message}`);
    assert.is(match!.level, 'warning');
    assert.is(match!.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.is(log.runs[0].tool.driver.rules[match!.ruleIndex]!.id, match!.ruleId);
  }
  const svc = fixes.filter((r) => uriOf(r) === 'svc/Dockerfile');
  assert.equal(
    svc.map((r) => [r.ruleId, lineOf(r)]),
    [
      ['name-stages', 1],
      ['name-stages', 3],
    ],
  );

  const keys = results.map((r) => [uriOf(r), lineOf(r)] as const);
  const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]));
  assert.equal(keys, sorted, 'results are sorted by path, then line');
});

test('applying each file\'s replacements to the original reproduces the engine output exactly (CRLF, no final newline, BOM, moved lines)', async () => {
  const { reports } = await reportsFor(TREE);
  const log = toSarif(reports, INFO);
  const changed = reports.filter((r) => r.outcome === 'changed');
  assert.equal(changed.map((r) => r.path).sort(), ['bom/Dockerfile', 'crlf/Dockerfile', 'nofinal/Dockerfile', 'py/Dockerfile', 'svc/Dockerfile', 'web/Dockerfile']);
  for (const report of changed) {
    const withFix = log.runs[0].results.filter((r) => uriOf(r) === report.path && r.fixes);
    assert.is(withFix.length, 1, `${report.path}: the whole change rides on exactly one result`);
    assert.is(withFix[0], log.runs[0].results.find((r) => uriOf(r) === report.path && r.properties.finding === 'fix'), 'on the first fix result');
    assert.is(applyFixes(log, report.path, report.original), report.engine!.output, report.path);
  }
  // Unchanged, declined and failed files carry no fix at all.
  for (const report of reports.filter((r) => r.outcome !== 'changed')) {
    assert.not.ok(log.runs[0].results.some((r) => uriOf(r) === report.path && r.fixes), report.path);
  }
});

test('replacements: line-level, minimal, and exact for awkward texts', () => {
  const cases: [string, string][] = [
    ['a\nb\nc\n', 'a\nB\nc\n'], // one line replaced
    ['a\nb\n', 'a\nx\ny\nb\n'], // pure insertion in the middle
    ['a\nb\n', 'a\nb\nc\n'], // append after the final newline
    ['a\nb', 'a\nb\n'], // final newline added (the unterminated last line is replaced)
    ['a\nb\n', 'a\nb'], // final newline removed
    ['a\nb\nc\n', 'a\nc\n'], // pure deletion
    ['a\r\nb\r\n', 'a\r\nb\n'], // a line break changes kind
    ['a\rb\rc', 'a\rB\rc'], // lone CR line breaks
    ['', 'FROM x\n'], // empty original
    ['FROM x\n', ''], // everything deleted
    [BOM + 'a\nb\n', BOM + 'A\nb\n'], // first line after a BOM
    ['é🐳\nb', 'é🐳\nB'], // UTF-16 columns: the astral character is two code units
  ];
  for (const [before, after] of cases) {
    const change = lineChange(before, after);
    assert.is(applyReplacements(before, change.replacements), after, JSON.stringify([before, after]));
  }
  const one = lineChange('a\nb\nc\n', 'a\nB\nc\n').replacements;
  assert.equal(one, [{ deletedRegion: { startLine: 2, startColumn: 1, endLine: 3, endColumn: 1 }, insertedContent: { text: 'B\n' } }]);
  const insert = lineChange('a\nb\n', 'a\nx\nb\n').replacements;
  assert.equal(insert, [{ deletedRegion: { startLine: 2, startColumn: 1, endLine: 2, endColumn: 1 }, insertedContent: { text: 'x\n' } }]);
  const del = lineChange('a\nb\nc\n', 'a\nc\n').replacements;
  assert.equal(del, [{ deletedRegion: { startLine: 2, startColumn: 1, endLine: 3, endColumn: 1 } }]);
  const unterminated = lineChange('a\nb', 'a\nc').replacements;
  assert.equal(unterminated, [{ deletedRegion: { startLine: 2, startColumn: 1, endLine: 2, endColumn: 2 }, insertedContent: { text: 'c' } }]);
  assert.equal(splitLines('a\r\nb\rc\nd'), ['a\r\n', 'b\r', 'c\n', 'd']);
});

test('declines are notes: whole-file declines under the "stageopt" rule at line 1, transform declines under their rule', async () => {
  const { reports } = await reportsFor(TREE);
  const log = toSarif(reports, INFO);
  const bad = log.runs[0].results.filter((r) => uriOf(r) === 'bad/Dockerfile');
  assert.is(bad.length, 1);
  assert.is(bad[0]!.ruleId, 'stageopt');
  assert.is(bad[0]!.level, 'note');
  assert.is(bad[0]!.properties.finding, 'decline');
  assert.is(lineOf(bad[0]!), 1);
  assert.match(bad[0]!.message.text, /unknown instruction/);
  assert.is(log.runs[0].tool.driver.rules[bad[0]!.ruleIndex]!.id, 'stageopt');

  // A transform's own decline, on a file nothing else touches.
  const declined = await reportsFor({ 'x/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\n' });
  const report = declined.reports[0]!;
  assert.is(report.outcome, 'declined', JSON.stringify(report.engine));
  const log2 = toSarif(declined.reports, INFO);
  assertValid(log2);
  // cache-mounts' withheld mount on `npm ci` is a note too; this test is about the declines.
  const notes = log2.runs[0].results.filter((r) => r.properties.finding === 'decline');
  // SARIF lists results by position; the report lists declines by transform.
  const byPlace = (a: (string | number | null)[], b: (string | number | null)[]) => (a[2] as number) - (b[2] as number) || String(a[0]).localeCompare(String(b[0]));
  assert.ok(notes.length >= 2, 'both manifest-first and split-stages decline this file');
  assert.equal(
    notes.map((r) => [r.ruleId, r.level, lineOf(r), r.message.text]).sort(byPlace),
    report.engine!.declines.map((d) => [d.transform, 'note', d.line, d.message]).sort(byPlace),
  );
});

test('withheld unsafe fixes are notes that say how to get them', async () => {
  const { reports } = await reportsFor(TREE);
  const log = toSarif(reports, INFO);
  const report = reports.find((r) => r.path === 'unsafe/Dockerfile')!;
  assert.is(report.outcome, 'unchanged');
  const withheld = log.runs[0].results.filter((r) => uriOf(r) === 'unsafe/Dockerfile');
  // name-stages' two fixes (unsafe by config), and cache-mounts' mount on the go build (unsafe:
  // the file needs no BuildKit yet).
  assert.is(withheld.length, 3);
  assert.equal(
    withheld.map(lineOf).sort(),
    report.engine!.withheld.map((w) => w.line).sort(),
  );
  assert.equal(withheld.map((r) => r.ruleId).sort(), ['cache-mounts', 'name-stages', 'name-stages']);
  for (const r of withheld) {
    assert.is(r.level, 'note');
    assert.is(r.properties.finding, 'unsafe-withheld');
    assert.match(r.message.text, /--unsafe/);
    assert.is(r.fixes, undefined);
  }
});

test('errors are tool notifications, not results, and make the invocation unsuccessful', async () => {
  const { reports } = await reportsFor(TREE);
  const log = toSarif(reports, INFO);
  const invocation = log.runs[0].invocations[0];
  assert.is(invocation.executionSuccessful, false);
  const errors = invocation.toolExecutionNotifications.filter((n) => n.level === 'error');
  assert.is(errors.length, 1);
  assert.is(errors[0]!.locations[0].physicalLocation.artifactLocation.uri, 'binary/Dockerfile');
  assert.match(errors[0]!.message.text, /binary content/);
  assert.not.ok(log.runs[0].results.some((r) => uriOf(r) === 'binary/Dockerfile'));

  const ok = toSarif(
    reports.filter((r) => r.outcome !== 'error'),
    INFO,
  );
  assert.is(ok.runs[0].invocations[0].executionSuccessful, true);
});

test('a transform failure names its rule; engine notes become note notifications', async () => {
  const { reports } = await reportsFor({ 'a/Dockerfile': MULTI, 'b/Dockerfile': '# stageopt ignore=no-such-transform\n' + CLEAN });
  const crashed: FileReport = {
    ...reports[0]!,
    outcome: 'error',
    error: 'transform name-stages crashed: boom',
    engine: { ...reports[0]!.engine!, status: 'error', fixes: [], output: reports[0]!.original, error: { transform: 'name-stages', message: 'transform name-stages crashed: boom' } },
  };
  const log = toSarif([crashed, reports[1]!], INFO);
  assertValid(log);
  const [error, note] = log.runs[0].invocations[0].toolExecutionNotifications;
  assert.equal(error!.associatedRule, { id: 'name-stages', index: 0 });
  assert.is(note!.level, 'note');
  assert.match(note!.message.text, /no-such-transform/);
});

test('paths: backslashes become slashes, odd characters are percent-encoded, absolute paths become file: URIs without a base', async () => {
  const { dir, reports } = await reportsFor({ 'my dir/sub/Dockerfile': MULTI });
  const withBackslashes = { ...reports[0]!, path: 'my dir\\sub\\Dockerfile' };
  const absolute = { ...reports[0]!, path: path.join(dir, 'my dir', 'sub', 'Dockerfile') };
  const log = toSarif([withBackslashes, absolute], INFO);
  assertValid(log);
  const locations = log.runs[0].results.map((r) => r.locations[0].physicalLocation.artifactLocation);
  assert.ok(locations.some((l) => l.uri === 'my%20dir/sub/Dockerfile' && l.uriBaseId === '%SRCROOT%'));
  const abs = locations.find((l) => l.uri.startsWith('file:'));
  assert.ok(abs, JSON.stringify(locations));
  assert.is(abs!.uriBaseId, undefined);
  assert.is(decodeURIComponent(new URL(abs!.uri).pathname), absolute.path.split(path.sep).join('/'));
  // The fix of the absolute-path report points at the same file: URI.
  const fixChanges = log.runs[0].results.flatMap((r) => r.fixes ?? []).map((f) => f.artifactChanges[0].artifactLocation.uri);
  assert.ok(fixChanges.includes(abs!.uri));
});

test('declines in a changed file point at lines of the original', () => {
  // Two lines inserted above a decline reported on output line 5 (original line 3).
  const change = lineChange('A\nB\nC\n', 'x\ny\nA\nB\nC\n');
  assert.is(change.oldLineOf(3), 1);
  assert.is(change.oldLineOf(5), 3);
  assert.is(change.oldLineOf(1), 1);
});

test('deterministic: the same reports give the same JSON', async () => {
  const { reports } = await reportsFor(TREE);
  assert.is(JSON.stringify(toSarif(reports, INFO)), JSON.stringify(toSarif([...reports].reverse(), INFO)));
});

function uriOf(r: SarifResult): string {
  return r.locations[0].physicalLocation.artifactLocation.uri;
}

function lineOf(r: SarifResult): number {
  return r.locations[0].physicalLocation.region!.startLine;
}

test('a created file (.dockerignore) is an artifactChange of its own beside the Dockerfile\'s: new, its whole text inserted at 1:1 of the empty file; valid SARIF', async () => {
  const { dir, reports } = await reportsFor({
    'Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "index.js"]\n',
    'package.json': '{ "name": "x" }\n',
    'index.js': '\n',
    'node_modules/ms/index.js': '\n',
  });
  const report = reports[0]!;
  assert.is(report.outcome, 'changed');
  assert.not.equal(report.engine!.output, report.original, 'manifest-first edits the Dockerfile too');
  const log = toSarif(reports, INFO);
  assertValid(log);
  assert.ok(log.runs[0].results.some((r) => r.ruleId === 'dockerignore' && r.properties.finding === 'fix'), 'a dockerignore result');
  // The file's whole change rides on its first fix result, as for text-only changes.
  const fix = log.runs[0].results.find((r) => r.fixes)!;
  const changes = fix.fixes![0].artifactChanges;
  assert.is(changes.length, 2, 'the Dockerfile and the new file');
  assert.is(applyReplacements(report.original, changes[0]!.replacements), report.engine!.output);
  const change = changes[1]!;
  assert.equal(change.properties, { newFile: true });
  assert.is(change.artifactLocation.uri, pathToFileURL(path.join(dir, '.dockerignore')).href, 'outside the working directory: a file: URI');
  assert.is(applyReplacements('', change.replacements), report.engine!.created[0]!.content);
  assert.match(fix.fixes![0].description.text, /and create .*\.dockerignore/);
});

test.run();
