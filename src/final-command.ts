// The command of CMD, ENTRYPOINT or HEALTHCHECK CMD as Docker runs it: the words of the exec form
// (a JSON array of strings), else the shell script. One reader for every transform that asks what
// the final image runs.
import type { Instruction } from 'dockerfile-ast';
import type { Source } from './source.js';

export type FinalCommand = { exec: string[] } | { exec?: undefined; shell: string };

/** The command of CMD, ENTRYPOINT or HEALTHCHECK CMD: exec-form words or a shell script. */
export function commandOf(source: Source, instruction: Instruction): FinalCommand | null {
  const keyword = instruction.getKeyword();
  let text: string;
  if (keyword === 'HEALTHCHECK') {
    const sub = (instruction as unknown as { getSubcommand(): { getValue(): string; getRange(): { end: { line: number; character: number } } } | null }).getSubcommand();
    if (!sub || sub.getValue().toUpperCase() !== 'CMD') return null;
    text = source.text.slice(source.offsetAt(sub.getRange().end), source.offsetAt(instruction.getRange().end));
  } else {
    const args = instruction.getArguments();
    if (args.length === 0) return null;
    text = source.text.slice(source.offsetAt(args[0]!.getRange().start), source.offsetAt(instruction.getRange().end));
  }
  const joined = text.replace(new RegExp(`\\${source.escapeChar}\\r?\\n`, 'g'), '').trim();
  if (joined.startsWith('[')) {
    try {
      const parsed = JSON.parse(joined) as unknown;
      if (Array.isArray(parsed) && parsed.every((w) => typeof w === 'string')) return { exec: parsed as string[] };
    } catch {
      // Not valid JSON: Docker runs it as a shell command, and so do we.
    }
  }
  return { shell: joined };
}
