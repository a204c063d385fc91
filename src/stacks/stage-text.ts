// Instructions as a split writes them again in another stage: the original text, continuation
// lines and all, with the keyword in upper case.
import type { Instruction } from 'dockerfile-ast';
import type { Source } from '../source.js';
import { operandsOf } from '../stages.js';

/** The instruction's text as written, continuation lines and all, without its final line break. */
export function instructionText(source: Source, instruction: Instruction): string {
  const range = instruction.getRange();
  return source.text.slice(source.lineStart(range.start.line), source.lineEndAt(range.end.line));
}

/**
 * An instruction both stages need, as the runtime stage writes it: the original text with the
 * keyword in upper case, and a relative WORKDIR made absolute (the runtime stage starts at `/`,
 * where the original's relative path would mean something else if an earlier WORKDIR was moved).
 */
export function copiedInstruction(source: Source, instruction: Instruction, resolvedWorkdir?: string): string {
  const text = instructionText(source, instruction);
  const keywordStart = source.offsetAt(instruction.getInstructionRange().start) - source.lineStart(instruction.getRange().start.line);
  const keyword = instruction.getInstruction();
  const upper = text.slice(0, keywordStart) + keyword.toUpperCase() + text.slice(keywordStart + keyword.length);
  if (instruction.getKeyword() === 'WORKDIR' && resolvedWorkdir !== undefined && !operandsOf(instruction).join(' ').trim().startsWith('/')) {
    return `WORKDIR ${resolvedWorkdir}`;
  }
  return upper;
}

/**
 * Where an instruction starts together with the comment lines right above it, which belong to it:
 * a line inserted before the instruction goes here, not between the comment and what it explains.
 */
export function blockStart(source: Source, instruction: Instruction): number {
  let first = instruction.getRange().start.line;
  while (first > 0 && /^\s*#/.test(source.text.slice(source.lineStart(first - 1), source.lineEndAt(first - 1))) && !isDirectiveLine(source, first - 1)) first--;
  return source.lineStart(first);
}

/**
 * Whether a blank line sets apart the line starting at `lineStart` from what comes before it: a
 * block that moves (an instruction with its comments) takes that blank line along.
 */
export function blankLineAbove(source: Source, lineStart: number): boolean {
  if (lineStart === 0) return false;
  const line = source.positionAt(lineStart - 1).line;
  return /^[ \t\r]*$/.test(source.text.slice(source.lineStart(line), source.lineEndAt(line)));
}

// Parser directives (`# syntax=`, `# escape=`) look like comments but belong to the file's top.
function isDirectiveLine(source: Source, line: number): boolean {
  return source.dockerfile.getDirectives().some((d) => d.getRange().start.line === line);
}
