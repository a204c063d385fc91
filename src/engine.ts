// The one place text changes. Transforms report findings; the engine applies the fixes that do not
// conflict, re-parses, checks the invariants, and repeats until a whole round changes nothing.
// Each transform gets a pass of its own, so a broken result is always blamed on the right one.
import path from 'node:path';
import { Copy, Run } from 'dockerfile-ast';
import { applyEdits, assertDisjoint, editsConflict, type TextEdit } from './edits.js';
import { checkInvariants } from './invariants.js';
import { isIgnored, readDirectives } from './directives.js';
import { preflight } from './preflight.js';
import { safeMessage } from './quote.js';
import { Source } from './source.js';
import type { BuildContext } from './build-context.js';
import type { CreatedFile, Finding, Safety, Transform } from './transform.js';

export interface ActiveTransform {
  transform: Transform;
  options: unknown;
  /** The project's `safety` setting for the transform, which wins over what the transform and its fixes declare. */
  safetyOverride?: Safety;
}

export interface EngineOptions {
  transforms: readonly ActiveTransform[];
  allowUnsafe: boolean;
  buildContext: BuildContext;
  /** Path shown in messages. */
  file: string;
  /** Review mode: only fixes this returns true for are applied. */
  accept?: (transformId: string, key: string) => boolean;
  maxRounds?: number;
  /** Set when files cannot be created (stdin): why. A fix that creates one is then declined with this reason. */
  noFileCreation?: string;
}

export interface FixRecord {
  transform: string;
  safety: Safety;
  /** Set when safety is 'unsafe': what the fix may change that the transform cannot prove it does not. */
  unsafeReason?: string;
  key: string;
  message: string;
  line: number;
}

export interface DeclineRecord {
  /** null when the engine itself declined the whole file. */
  transform: string | null;
  message: string;
  line: number | null;
}

export interface HintRecord {
  transform: string;
  /** Why the fix is unsafe (the reason it was withheld). */
  unsafeReason: string;
  key: string;
  message: string;
  line: number;
}

export type EngineStatus = 'changed' | 'unchanged' | 'declined' | 'error';

export interface EngineResult {
  status: EngineStatus;
  /** The full new content (BOM included); equal to the input unless status is 'changed'. */
  output: string;
  /**
   * Files the applied fixes create, relative to `contextRoot`. A file with only created files and
   * no text change is 'changed' too.
   */
  created: CreatedFile[];
  /** The build context root the created paths are relative to (null when it is unknown). */
  contextRoot: string | null;
  fixes: FixRecord[];
  declines: DeclineRecord[];
  /** Unsafe fixes that were found but not applied because unsafe fixes are off. */
  withheld: HintRecord[];
  notes: string[];
  error?: { transform: string | null; message: string };
}

const DEFAULT_MAX_ROUNDS = 10;

export function runEngine(raw: string, options: EngineOptions): EngineResult {
  const original = Source.fromText(raw);
  const result: EngineResult = { status: 'unchanged', output: raw, created: [], contextRoot: options.buildContext.root, fixes: [], declines: [], withheld: [], notes: [] };
  const knownIds = new Set(options.transforms.map((t) => t.transform.id));

  const directives = readDirectives(original, knownIds);
  for (const id of directives.unknownIds) result.notes.push(`inline directive names an unknown transform "${id}"`);
  if (directives.ignoreFile) {
    result.notes.push('skipped: "# stageopt ignore-file"');
    return result;
  }
  const declineFile = (reason: string): EngineResult => ({ ...result, status: 'declined', declines: [{ transform: null, message: safeMessage(reason), line: null }] });
  const quick = safePreflight(original, 'quick');
  if (!quick.ok) return declineFile(quick.reason);
  let validated = false;

  let current = original;
  const seen = new Set([current.text]);
  const maxRounds = options.maxRounds ?? DEFAULT_MAX_ROUNDS;
  for (let round = 1; ; round++) {
    let changed = false;
    const declines: DeclineRecord[] = [];
    const withheld: HintRecord[] = [];
    for (const active of options.transforms) {
      const id = active.transform.id;
      let findings: Finding[];
      try {
        findings = active.transform.run({
          source: current,
          dockerfile: current.dockerfile,
          options: active.options,
          file: options.file,
          buildContext: options.buildContext,
        });
      } catch (err) {
        return fail(result, raw, id, `transform ${id} crashed: ${errorMessage(err)}`);
      }
      const inline = current === original ? directives : readDirectives(current, knownIds);
      const toApply: Finding[] = [];
      for (const finding of findings) {
        if (isIgnored(inline, id, finding.span.start)) continue;
        const line = current.lineNumberAt(finding.span.start);
        const creates = finding.fix?.creates ?? [];
        if (!finding.fix) {
          declines.push({ transform: id, message: safeMessage(finding.message), line });
        } else if (creates.length > 0 && options.noFileCreation !== undefined) {
          declines.push({ transform: id, message: safeMessage(`${finding.message}: not applied, ${options.noFileCreation}`), line });
        } else if (finding.fix.edits.length === 0 && creates.every((c) => result.created.some((d) => d.path === c.path && d.content === c.content))) {
          continue; // created in an earlier round: transforms read the context as it was, so they propose it again
        } else if (options.accept && !options.accept(id, finding.key)) {
          continue;
        } else if (safetyOf(active, finding) === 'unsafe' && !options.allowUnsafe) {
          withheld.push({ transform: id, unsafeReason: unsafeReasonOf(active, finding), key: finding.key, message: safeMessage(finding.message), line });
        } else {
          toApply.push(finding);
        }
      }
      if (toApply.length === 0) continue;
      if (!validated) {
        // The full check runs once, before the first edit: unchanged files never pay for it.
        const full = safePreflight(original, 'full');
        if (!full.ok) return declineFile(full.reason);
        validated = true;
      }

      let chosen: { finding: Finding; edits: TextEdit[] }[];
      try {
        chosen = chooseNonConflicting(toApply, id, result.created);
      } catch (err) {
        return fail(result, raw, id, errorMessage(err));
      }
      const edits = chosen.flatMap((c) => c.edits);
      const creates = chosen.flatMap((c) => c.finding.fix!.creates ?? []);
      const next = current.withText(applyEdits(current.text, edits));
      if (next.text === current.text && creates.length === 0) continue; // fixes that rewrite text to itself change nothing
      if (next.text !== current.text) {
        let broken: string | null;
        try {
          broken = checkInvariants(current, next, {
            removesComments: chosen.some((c) => c.finding.fix!.removesComments),
            introducesImages: chosen.flatMap((c) => c.finding.fix!.introducesImages ?? []),
          });
        } catch {
          broken = 'the Dockerfile parser fails on the result'; // see safePreflight
        }
        if (broken) return fail(result, raw, id, `${id} would break the file (${broken}); file left untouched`);
        if (seen.has(next.text)) return fail(result, raw, id, `${id} undoes an earlier fix (a fix cycle); file left untouched`);
        seen.add(next.text);
      }
      result.created.push(...creates);
      for (const { finding } of chosen) {
        const safety = safetyOf(active, finding);
        result.fixes.push({
          transform: id,
          safety,
          ...(safety === 'unsafe' ? { unsafeReason: unsafeReasonOf(active, finding) } : {}),
          key: finding.key,
          message: safeMessage(finding.message),
          line: current.lineNumberAt(finding.span.start),
        });
      }
      current = next;
      changed = true;
    }
    if (!changed) {
      // The last round ran every transform on the final text: its declines describe the output.
      result.declines = declines;
      result.withheld = withheld;
      break;
    }
    if (round >= maxRounds) return fail(result, raw, null, `fixes did not settle after ${maxRounds} rounds; file left untouched`);
  }

  result.output = current.toString();
  if (result.output !== raw || result.created.length > 0) result.status = 'changed';
  else if (result.declines.length > 0) result.status = 'declined';
  return result;
}

/** A fix's safety: the project's setting for its transform, else the fix's own, else the transform's. */
export function safetyOf(active: ActiveTransform, finding: Finding): Safety {
  return active.safetyOverride ?? finding.fix?.safety ?? active.transform.safety;
}

function unsafeReasonOf(active: ActiveTransform, finding: Finding): string {
  const reason = finding.fix?.unsafeReason ?? active.transform.unsafeReason;
  if (reason) return safeMessage(reason);
  return active.safetyOverride === 'unsafe' ? 'the project marks this transform unsafe' : 'the transform cannot prove the change is safe';
}

/**
 * Picks, in source order, the fixes whose edits meet no edit already picked; the rest wait for the
 * next round. A fix that creates a file nobody has created yet needs no edits; two creating the
 * same path conflict like overlapping edits.
 */
function chooseNonConflicting(findings: readonly Finding[], id: string, created: readonly CreatedFile[]): { finding: Finding; edits: TextEdit[] }[] {
  const candidates = findings.map((finding) => {
    for (const file of finding.fix!.creates ?? []) assertContextPath(file.path, id);
    return { finding, edits: assertDisjoint(finding.fix!.edits, id) };
  });
  candidates.sort((a, b) => (a.edits[0]?.start ?? 0) - (b.edits[0]?.start ?? 0));
  const chosen: typeof candidates = [];
  // The picked edits, kept in source order. They never overlap, so an edit can only meet its two
  // neighbours there: comparing with every picked edit was quadratic (10,000 stages: seconds).
  const taken: TextEdit[] = [];
  const meetsTaken = (e: TextEdit, at: number) => (at > 0 && editsConflict(e, taken[at - 1]!)) || (at < taken.length && editsConflict(e, taken[at]!));
  const paths = new Set(created.map((f) => f.path));
  for (const c of candidates) {
    const creates = c.finding.fix!.creates ?? [];
    if (c.edits.length === 0 && creates.length === 0) continue;
    if (c.edits.some((e) => meetsTaken(e, firstStartingAfter(taken, e.start)))) continue;
    if (creates.some((f) => paths.has(f.path))) continue;
    for (const f of creates) paths.add(f.path);
    chosen.push(c);
    for (const e of c.edits) taken.splice(firstStartingAfter(taken, e.start), 0, e);
  }
  return chosen;
}

/** A created file's path must name a file inside the build context, in one spelling. */
function assertContextPath(p: string, id: string): void {
  const normal = path.posix.normalize(p);
  if (normal !== p || p === '.' || p.endsWith('/') || path.posix.isAbsolute(p) || p === '..' || p.startsWith('../') || p.includes('\\')) {
    throw new Error(`${id} would create a file outside the build context or under an unclear name; file left untouched`);
  }
}

/** Index of the first edit of `sorted` that starts after `offset` (binary search). */
function firstStartingAfter(sorted: readonly TextEdit[], offset: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The parser and validator (dockerfile-ast, dockerfile-utils) throw on a few malformed inputs: an
 * escape character before a lone carriage return in a continued instruction makes
 * Instruction.getHeredocs read past its heredoc list (dockerfile-ast 0.7.1). A file the parser
 * cannot read is one we may misread, so it is left alone with a reason, not reported as a crash.
 * The quick check does not validate, so heredocs are read here too: transforms read them next.
 */
function safePreflight(source: Source, depth: 'quick' | 'full'): ReturnType<typeof preflight> {
  try {
    for (const instruction of source.dockerfile.getInstructions()) {
      if (instruction instanceof Run || instruction instanceof Copy) instruction.getHeredocs();
    }
    return preflight(source, depth);
  } catch {
    return { ok: false, reason: 'the Dockerfile parser fails on this file (a library bug, often a lone carriage return after a line continuation); left alone' };
  }
}

function fail(result: EngineResult, raw: string, transform: string | null, message: string): EngineResult {
  return { ...result, status: 'error', output: raw, created: [], fixes: [], error: { transform, message: safeMessage(message) } };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
