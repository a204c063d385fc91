// A shell-form RUN's `&&` chain and where its script starts, parsed once per RUN: the app-folder
// check, the static-site check and every recipe's reading of build steps ask for the same RUNs.
import type { Run } from 'dockerfile-ast';
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
 * an expansion null: the chain's words are plain literals only, which is what most readers want.
 */
export function quotedWords(source: Source, scriptStart: number, command: SimpleCommand): (string | null)[] {
  const calls = parsedCalls(source.text.slice(scriptStart + command.start, scriptStart + command.end), { quoted: true });
  return calls?.length === 1 ? calls[0]! : command.words;
}
