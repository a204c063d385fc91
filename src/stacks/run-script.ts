// A shell-form RUN's `&&` chain and where its script starts, parsed once per RUN: the app-folder
// check, the static-site check and every recipe's reading of build steps ask for the same RUNs.
import { Env, type Instruction, type Run } from 'dockerfile-ast';
import { andChain, parsedCalls, type Chain, type SimpleCommand } from '../shell.js';
import type { Source } from '../source.js';

const scripts = new WeakMap<Run, { chain: Chain; scriptStart: number } | null>();

/** The chain of a RUN and the offset of its script; null for a RUN without arguments. */
export function runScript(source: Source, run: Run): { chain: Chain; scriptStart: number } | null {
  if (!scripts.has(run)) {
    const args = run.getArguments();
    if (args.length === 0) scripts.set(run, null);
    else {
      const scriptStart = source.offsetAt(args[0]!.getRange().start);
      scripts.set(run, { chain: andChain(source.text.slice(scriptStart, source.offsetAt(run.getRange().end))), scriptStart });
    }
  }
  return scripts.get(run)!;
}

/**
 * A command's words with quotes read (`pip install "poetry>=1.2,<1.4"` names poetry), a word with
 * an expansion null unless `env` knows its value (`"poetry==$POETRY_VERSION"` after `ENV
 * POETRY_VERSION=1.3.2`): the chain's words are plain literals only, which is what most readers want.
 */
export function quotedWords(source: Source, scriptStart: number, command: SimpleCommand, env?: ReadonlyMap<string, string>): (string | null)[] {
  const calls = parsedCalls(source.text.slice(scriptStart + command.start, scriptStart + command.end), { quoted: true, env });
  return calls?.length === 1 ? calls[0]! : command.words;
}

/**
 * What `$NAME` is known to be in the RUN at `index` of a stage's instructions: the values its ENV
 * instructions set before it, where they are plain text. Left out: a value with `$` or a backslash
 * in it, a name the RUN itself mentions other than as `$NAME` (it may assign, export or read it),
 * every name when the RUN sources a file, and all the stage does not set itself (the base image's
 * ENV is not read here; an ARG can be changed by a build argument).
 */
export function knownEnv(source: Source, instructions: readonly Instruction[], index: number): ReadonlyMap<string, string> {
  const env = new Map<string, string>();
  for (const instruction of instructions.slice(0, index)) {
    if (!(instruction instanceof Env)) continue;
    for (const p of instruction.getProperties()) {
      const value = p.getValue();
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.getName())) continue;
      if (value === null || /[$\\]/.test(value)) env.delete(p.getName());
      else env.set(p.getName(), value);
    }
  }
  const run = instructions[index];
  if (env.size === 0 || run?.getKeyword() !== 'RUN') return env;
  const script = source.text.slice(source.offsetAt(run.getRange().start), source.offsetAt(run.getRange().end));
  if (/(^|[\s;&|])(source|\.)\s/.test(script)) return new Map();
  for (const name of [...env.keys()]) {
    const rest = script.replaceAll(`\${${name}}`, '').replace(new RegExp(`\\$${name}(?![A-Za-z0-9_])`, 'g'), '');
    if (new RegExp(`(^|[^A-Za-z0-9_])${name}(?![A-Za-z0-9_])`).test(rest)) env.delete(name);
  }
  return env;
}

/**
 * A command of a stage's RUN with its words read as far as they can be known: quotes read and the
 * `$NAME`s the stage's ENV set filled in (`pip install "poetry==$POETRY_VERSION"`), a word null
 * where it still is not known. The chain's own words when they are all plain literals already.
 */
export function knownWords(source: Source, instructions: readonly Instruction[], run: Run, command: SimpleCommand): readonly (string | null)[] {
  if (!command.words.some((w) => w === null)) return command.words;
  const script = runScript(source, run);
  return script === null ? command.words : quotedWords(source, script.scriptStart, command, knownEnv(source, instructions, instructions.indexOf(run)));
}
