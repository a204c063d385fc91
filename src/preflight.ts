// Before any transform runs: is this a Dockerfile whose structure we can trust? Files with
// structural errors (a typo'd instruction, `FROM FROM x`, a COPY with one argument, heredoc forms
// the parser does not understand) are left alone with the reason: editing a file we may have
// misread could break it, and such a file does not build anyway.
import { token } from './quote.js';
import { diagnosticsOf } from './validation.js';
import type { Source } from './source.js';
import { imageRepository, operandsOf, readStageRefs, readStages, resolveRef } from './stages.js';

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

/**
 * `quick` checks what the AST shows directly and costs next to nothing; it runs on every file.
 * `full` adds dockerfile-utils' validator, the costliest step for a file that will not change, so
 * the engine asks for it only once a file is about to be edited: nothing is ever written to a
 * file that did not pass it.
 */
export function preflight(source: Source, depth: 'quick' | 'full' = 'full'): Preflight {
  const instructions = source.dockerfile.getInstructions();
  if (instructions.length === 0) return { ok: true }; // empty or comments only: nothing to do, nothing wrong
  const suspicious = loneCarriageReturn(source) ?? quickStructure(source) ?? typographicDashFlag(source) ?? brokenImageReference(source);
  if (suspicious) return { ok: false, reason: suspicious };
  if (depth === 'quick') return { ok: true };
  for (const d of diagnosticsOf(source)) {
    const line = d.range.start.line + 1;
    if (typeof d.code === 'number' && STRUCTURAL.has(d.code)) {
      return { ok: false, reason: `line ${line}: ${STRUCTURAL.get(d.code)} (${validatorWords(typeof d.message === 'string' ? d.message : d.message.value)}); left alone` };
    }
    if (d.code === NO_SOURCE_IMAGE) return { ok: false, reason: noFrom(line) };
  }
  return { ok: true };
}

const KEYWORDS = new Set(['ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL', 'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR']);

function noFrom(line: number): string {
  return `line ${line}: no FROM before the first instruction, so this is not a buildable Dockerfile; left alone`;
}

/**
 * BuildKit splits lines at \n only (a \r before it is dropped), but dockerfile-ast also breaks at a
 * lone \r: `WORKDIR /app\rCOPY . .` is one line to Docker and two instructions to the parser. A
 * file we would read differently from Docker is left alone. A \r that ends the file is harmless.
 */
function loneCarriageReturn(source: Source): string | null {
  const match = /\r(?!\n)(?!$)/.exec(source.text);
  if (!match) return null;
  return `line ${source.lineNumberAt(match.index)}: a lone carriage return (\\r without \\n): Docker reads the lines around it as one, the parser as two; left alone`;
}

/** The structural errors visible in the AST itself, worded like the validator's. */
function quickStructure(source: Source): string | null {
  let sawFrom = false;
  const stageNames = new Set<string>();
  for (const instruction of source.dockerfile.getInstructions()) {
    const keyword = instruction.getKeyword();
    const line = instruction.getRange().start.line + 1;
    // A heredoc form the parser misreads shows up here too: its body lines become "instructions".
    if (!KEYWORDS.has(keyword)) return `line ${line}: an unknown instruction (Unknown instruction: ${token(keyword)}); left alone`;
    if (keyword === 'FROM') {
      sawFrom = true;
      const args = instruction.getArguments();
      if (args.length !== 1 && args.length !== 3) return `line ${line}: FROM has the wrong number of arguments (FROM requires either one or three arguments); left alone`;
      if (args.length === 3 && args[1]!.getValue().toLowerCase() !== 'as') return `line ${line}: FROM has a malformed AS; left alone`;
      if (args.length === 3) {
        const name = args[2]!.getValue();
        if (!/^[a-zA-Z][a-zA-Z0-9_.-]*$/.test(name)) return `line ${line}: a stage name is invalid (invalid name for build stage: "${token(name)}"); left alone`;
        if (stageNames.has(name.toLowerCase())) return `line ${line}: two stages have the same name (duplicate name ${token(name)}); left alone`;
        stageNames.add(name.toLowerCase());
      }
    } else if (!sawFrom && keyword !== 'ARG') {
      return noFrom(line);
    } else if ((keyword === 'COPY' || keyword === 'ADD') && operandsOf(instruction).length < 2 && !/<<-?["']?\w/.test(instruction.getTextContent())) {
      return `line ${line}: an instruction is missing arguments (${keyword} requires at least two arguments); left alone`;
    }
  }
  return sawFrom ? null : noFrom(1);
}

/**
 * The validator's message, with the file text it quotes after a colon (`Unknown instruction:
 * ROOT:X:0:0:…`) cut to a token: its own wording is safe to print, the file's may not be.
 */
function validatorWords(message: string): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  const colon = flat.indexOf(': ');
  const words = colon === -1 ? flat : `${flat.slice(0, colon)}: ${token(flat.slice(colon + 2).replace(/^["']/, ''))}`;
  return words.length > 80 ? `${words.slice(0, 79)}…` : words;
}

// `COPY —from=build` (an em dash pasted from a web page) is a source path to Docker, not a flag:
// the file cannot build, and a rewrite that named stages around it would hide the real mistake.
const DASHED_FLAG = /^[\u2010-\u2015\u2212]+[a-z-]+(=|$)/;

function typographicDashFlag(source: Source): string | null {
  if (!/[\u2010-\u2015\u2212]/.test(source.text)) return null;
  for (const instruction of source.dockerfile.getInstructions()) {
    for (const arg of instruction.getArguments()) {
      if (DASHED_FLAG.test(arg.getValue())) {
        return `line ${arg.getRange().start.line + 1}: a flag starts with a typographic dash, not "--", so Docker reads it as a path; left alone`;
      }
    }
  }
  return null;
}

/**
 * Two mistakes Docker only reports at build time: an image repository with capitals (invalid
 * reference format), and `--from=<word>` naming no stage, which Docker would pull as an image
 * called <word> (hadolint DL3022). A bare word with no tag or registry is almost always a stage
 * name with a typo or a stage that was removed, so the file is left for a person to fix.
 */
function brokenImageReference(source: Source): string | null {
  const stages = readStages(source);
  for (const stage of stages) {
    const image = stage.image;
    if (!image || image.includes('$') || resolveRef({ value: image, inStage: stage.index }, stages).kind === 'stage') continue;
    if (imageRepository(image) !== stripTagAndDigest(image)) {
      return `line ${stage.from.getRange().start.line + 1}: an image name has capitals, which Docker rejects; left alone`;
    }
  }
  for (const ref of readStageRefs(source, stages)) {
    if (resolveRef(ref, stages).kind === 'image' && /^[A-Za-z0-9_-]+$/.test(ref.value)) {
      return `line ${source.lineNumberAt(ref.valueSpan.start)}: --from=${token(ref.value)} names no stage of this file (Docker would pull an image of that name); left alone`;
    }
  }
  return null;
}

function stripTagAndDigest(image: string): string {
  const noDigest = image.split('@')[0]!;
  const colon = noDigest.indexOf(':', noDigest.lastIndexOf('/') + 1);
  return colon === -1 ? noDigest : noDigest.slice(0, colon);
}
