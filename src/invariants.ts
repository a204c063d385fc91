// "Did we break it" checks, run by the engine after every pass that changed the text. Each one
// compares the text before the pass with the text after it; by induction the final output keeps
// every property of the original.
import { Copy, Run } from 'dockerfile-ast';
import { diagnosticsOf } from './validation.js';
import { preflight } from './preflight.js';
import { eolKinds, type Source } from './source.js';
import { readStageRefs, readStages, resolveRef, type Stage } from './stages.js';

export interface PassInfo {
  /** True when an applied fix declared that it removes comments on purpose. */
  removesComments: boolean;
  /** Image references an applied fix declared it adds; any other new image reference is a bug. */
  introducesImages?: readonly string[];
}

/** Returns a sentence describing the first broken invariant, or null when all hold. */
export function checkInvariants(before: Source, after: Source, pass: PassInfo): string | null {
  return (
    checkParses(after) ??
    checkTextShape(before, after) ??
    checkDirectives(before, after) ??
    checkComments(before, after, pass) ??
    checkHeredocs(before, after) ??
    checkStageReferences(before, after, pass) ??
    checkValidator(before, after)
  );
}

/** The output must pass the same structural checks the input passed before any transform ran. */
function checkParses(after: Source): string | null {
  const check = preflight(after);
  return check.ok ? null : `the output no longer parses cleanly (${check.reason.replace(/; left alone$/, '')})`;
}

function checkTextShape(before: Source, after: Source): string | null {
  if (before.bom !== after.bom) return 'the byte order mark was changed';
  if (before.finalNewline !== after.finalNewline) return 'the final newline was changed';
  const b = eolKinds(before.text);
  const a = eolKinds(after.text);
  if ((a.crlf && !b.crlf) || (a.lf && !b.lf) || (a.cr && !b.cr)) return 'a line ending of another style was introduced';
  return null;
}

function directiveList(source: Source): string[] {
  return source.dockerfile.getDirectives().map((d) => `${d.getName().toLowerCase()}=${d.getValue()}`);
}

function checkDirectives(before: Source, after: Source): string | null {
  const b = directiveList(before).join('\n');
  const a = directiveList(after).join('\n');
  return a === b ? null : 'the parser directives at the top of the file changed';
}

/** Comment lines, trimmed, as a multiset. Scanning lines (not the AST) also sees comments inside continuations. */
function commentLines(source: Source): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of source.text.split(/\r\n|\n|\r/)) {
    const t = line.trim();
    if (t.startsWith('#')) counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return counts;
}

function checkComments(before: Source, after: Source, pass: PassInfo): string | null {
  if (pass.removesComments) return null;
  const a = commentLines(after);
  for (const [comment, n] of commentLines(before)) {
    if ((a.get(comment) ?? 0) < n) return `a comment disappeared: ${truncate(comment)}`;
  }
  return null;
}

function heredocBodies(source: Source): string[] {
  const bodies: string[] = [];
  for (const instruction of source.dockerfile.getInstructions()) {
    if (!(instruction instanceof Copy || instruction instanceof Run)) continue; // ADD exposes no heredocs in dockerfile-ast
    for (const heredoc of instruction.getHeredocs()) {
      const range = heredoc.getContentRange();
      bodies.push(range ? source.slice(source.span(range)) : '');
    }
  }
  return bodies;
}

function checkHeredocs(before: Source, after: Source): string | null {
  return heredocBodies(before).join('\0') === heredocBodies(after).join('\0') ? null : 'a heredoc body changed';
}

interface ResolvedRef {
  where: string;
  value: string;
  target: ReturnType<typeof resolveRef>;
}

function resolvedRefs(source: Source): { refs: ResolvedRef[]; stages: Stage[] } {
  const stages = readStages(source);
  const refs: ResolvedRef[] = readStageRefs(source, stages).map((ref) => ({
    where: `line ${source.lineNumberAt(ref.valueSpan.start)}`,
    value: ref.value,
    target: resolveRef(ref, stages),
  }));
  for (const stage of stages) {
    if (stage.image === null) continue;
    refs.push({
      where: `line ${stage.from.getRange().start.line + 1}`,
      value: stage.image,
      target: resolveRef({ value: stage.image, inStage: stage.index }, stages),
    });
  }
  return { refs, stages };
}

/**
 * Every reference must still name an existing stage or an image, and a name that now resolves to
 * an image must have been an image reference before: otherwise a renamed stage left a reference
 * behind, or a new stage name shadows an image.
 */
function checkStageReferences(before: Source, after: Source, pass: PassInfo): string | null {
  const b = resolvedRefs(before);
  const a = resolvedRefs(after);
  const imagesBefore = new Set(b.refs.filter((r) => r.target.kind === 'image').map((r) => r.value.toLowerCase()));
  for (const image of pass.introducesImages ?? []) imagesBefore.add(image.toLowerCase());
  const invalidBefore = new Set(b.refs.filter((r) => r.target.kind === 'invalid').map((r) => r.value));
  const stageRefsBefore = b.refs.filter((r) => r.target.kind === 'stage').length;
  const stageRefsAfter = a.refs.filter((r) => r.target.kind === 'stage').length;
  for (const ref of a.refs) {
    if (ref.target.kind === 'invalid' && !invalidBefore.has(ref.value)) {
      return `the reference "${ref.value}" at ${ref.where} ${ref.target.reason}`;
    }
    if (ref.target.kind === 'image' && !imagesBefore.has(ref.value.toLowerCase())) {
      return `"${ref.value}" at ${ref.where} names no stage (it would be pulled as an image)`;
    }
  }
  if (stageRefsAfter < stageRefsBefore) return 'a reference to a build stage now resolves to an image';
  return null;
}

function diagnosticKeys(source: Source): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of diagnosticsOf(source)) {
    const key = `${d.code ?? ''}: ${typeof d.message === 'string' ? d.message : d.message.value}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function checkValidator(before: Source, after: Source): string | null {
  const b = diagnosticKeys(before);
  for (const [key, n] of diagnosticKeys(after)) {
    if (n > (b.get(key) ?? 0)) return `the validator reports a new problem: ${truncate(key.replace(/^[^:]*: /, ''))}`;
  }
  return null;
}

function truncate(s: string): string {
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}
