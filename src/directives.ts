// Inline opt-outs, in the spirit of `# hadolint ignore=DL3008`:
//   # stageopt ignore=name-stages,manifest-first   (applies to the next instruction)
//   # stageopt ignore-file                          (anywhere: the file is left alone)
import type { Source, Span } from './source.js';

const DIRECTIVE = /^\s*#\s*stageopt\s+(ignore-file|ignore\s*=\s*([A-Za-z0-9_,\s-]+?))\s*$/;

export interface InlineDirectives {
  ignoreFile: boolean;
  /** Instruction spans with the transform ids ignored on them. */
  ignored: { span: Span; ids: Set<string> }[];
  /** Ids named in directives that no transform has, for a warning. */
  unknownIds: string[];
}

export function readDirectives(source: Source, knownIds: ReadonlySet<string>): InlineDirectives {
  const result: InlineDirectives = { ignoreFile: false, ignored: [], unknownIds: [] };
  if (!source.text.includes('stageopt')) return result; // the common case costs one scan
  const instructions = source.dockerfile.getInstructions().map((i) => source.span(i.getRange()));
  for (let line = 0; line < source.lineCount; line++) {
    const start = source.lineStart(line);
    const match = DIRECTIVE.exec(source.text.slice(start, source.lineEndAt(line)));
    if (!match) continue;
    if (match[1] === 'ignore-file') {
      result.ignoreFile = true;
      continue;
    }
    const ids = new Set(match[2]!.split(',').map((s) => s.trim()).filter(Boolean));
    for (const id of ids) if (!knownIds.has(id)) result.unknownIds.push(id);
    const next = instructions.find((span) => span.start > start);
    if (next) result.ignored.push({ span: next, ids });
  }
  return result;
}

export function isIgnored(directives: InlineDirectives, transformId: string, at: number): boolean {
  return directives.ignored.some((d) => d.ids.has(transformId) && at >= d.span.start && at <= d.span.end);
}
