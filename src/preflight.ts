// Before any transform runs: is this a Dockerfile whose structure we can trust? Files with
// structural errors (a typo'd instruction, `FROM FROM x`, a COPY with one argument, heredoc forms
// the parser does not understand) are left alone with the reason: editing a file we may have
// misread could break it, and such a file does not build anyway.
import { diagnosticsOf } from './validation.js';
import type { Source } from './source.js';

// dockerfile-utils ValidationCode values that mean "the parse is not what Docker would see".
// Warnings (casing, MAINTAINER, duplicate CMD) and checks that reject valid BuildKit syntax
// (variables in --from) are deliberately not here.
const STRUCTURAL = new Map<number, string>([
  [7, 'an instruction is missing arguments'], // ARGUMENT_REQUIRES_AT_LEAST_TWO
  [8, 'FROM has the wrong number of arguments'], // ARGUMENT_REQUIRES_ONE_OR_THREE
  [10, 'two stages have the same name'], // DUPLICATE_BUILD_STAGE_NAME
  [12, 'a stage name is invalid'], // INVALID_BUILD_STAGE_NAME
  [22, 'FROM has a malformed AS'], // INVALID_AS
  [26, 'an image reference is invalid'], // INVALID_REFERENCE_FORMAT
  [28, 'invalid syntax'], // INVALID_SYNTAX
  [35, 'an unterminated single quote'], // SYNTAX_MISSING_SINGLE_QUOTE
  [36, 'an unterminated double quote'], // SYNTAX_MISSING_DOUBLE_QUOTE
  [38, 'an unknown instruction'], // UNKNOWN_INSTRUCTION
]);

const NO_SOURCE_IMAGE = 20;

export type Preflight = { ok: true } | { ok: false; reason: string };

export function preflight(source: Source): Preflight {
  const instructions = source.dockerfile.getInstructions();
  if (instructions.length === 0) return { ok: true }; // empty or comments only: nothing to do, nothing wrong
  for (const d of diagnosticsOf(source)) {
    const line = d.range.start.line + 1;
    if (typeof d.code === 'number' && STRUCTURAL.has(d.code)) {
      return { ok: false, reason: `line ${line}: ${STRUCTURAL.get(d.code)} (${oneLine(typeof d.message === 'string' ? d.message : d.message.value)}); left alone` };
    }
    if (d.code === NO_SOURCE_IMAGE) {
      return { ok: false, reason: `line ${line}: no FROM before the first instruction, so this is not a buildable Dockerfile; left alone` };
    }
  }
  return { ok: true };
}

function oneLine(message: string): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? flat.slice(0, 57) + '...' : flat;
}
