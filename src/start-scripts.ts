// Start scripts a Dockerfile copies outside the app folder and starts the container with
// (`COPY docker-entrypoint.sh /usr/local/bin/` + `ENTRYPOINT ["docker-entrypoint.sh"]`). A split
// copies such a script into the runtime stage the same way, from the build context, and must know
// what it runs: every program it calls has to be in the runtime image too. The script is read with
// the shell parser; a script whose commands cannot be told (`eval`, `source`, a program named by a
// variable other than the `exec "$@"` that hands over to CMD) declines.
import path from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import type { BuildContext } from './build-context.js';
import { commandOf } from './final-command.js';
import { calledCommands } from './shell.js';
import type { Source } from './source.js';
import { copiesFrom, copyOperands } from './stages.js';
import { isUnder } from './stage-products.js';

export interface StartScript {
  /** The COPY/ADD that brings it, by index in the stage. */
  index: number;
  /** Where it lands in the image. */
  dest: string;
  /** The instruction (ENTRYPOINT or CMD) that runs it. */
  at: Instruction;
  /** The commands the script runs, as words (null: not a plain literal). */
  commands: (string | null)[][];
}

// The folders of the official images' PATH: a script copied there is run by its name.
const PATH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

// Shell builtins and keywords a script uses without running a program.
const BUILTINS = new Set(['set', '[', 'test', 'command', 'exec', 'shift', 'export', 'cd', 'true', 'false', ':', 'trap', 'wait', 'read', 'unset', 'umask', 'ulimit', 'local', 'return', 'exit', 'break', 'continue', 'echo', 'printf', 'type', 'hash', 'getopts', 'readonly', 'times']);

/**
 * The start scripts among the stage's copies outside `appDir`, with their commands; a sentence
 * when a copy is one but what it runs cannot be told. Copies that are not start scripts are not
 * listed (the split judges them as before).
 */
export function readStartScripts(
  source: Source,
  context: BuildContext,
  instructions: readonly Instruction[],
  appDir: string,
): StartScript[] | { problem: string; at: Instruction } {
  const starts = startPrograms(source, instructions);
  const out: StartScript[] = [];
  for (let i = 0; i < instructions.length; i++) {
    const instruction = instructions[i]!;
    const ops = copyOperands(instruction);
    if (!ops || copiesFrom(instruction) || !ops.dest.startsWith('/') || ops.sources.some((s) => /[*?[$]/.test(s))) continue;
    const toFolder = ops.dest.endsWith('/') || ops.sources.length > 1;
    for (const src of ops.sources) {
      const dest = path.posix.normalize(toFolder ? path.posix.join(ops.dest, path.posix.basename(src)) : ops.dest);
      if (isUnder(dest, appDir)) continue;
      const at = starts.find((s) => s.program === dest || (PATH_DIRS.includes(path.posix.dirname(dest)) && s.program === path.posix.basename(dest)))?.at;
      if (at === undefined) continue;
      const where = `${instruction.getKeyword()} at line ${instruction.getRange().start.line + 1}`;
      const text = context.root === null ? null : context.readText(src.replace(/^\.\//, ''));
      if (text === null) return { problem: `${where} brings the start script ${path.posix.basename(dest)}, which is not in the build context, so what it runs cannot be told`, at: instruction };
      const commands = scriptCommands(text);
      if (typeof commands === 'string') return { problem: `${where} brings the start script ${path.posix.basename(dest)}: ${commands}`, at: instruction };
      out.push({ index: i, dest, at, commands });
    }
  }
  return out;
}

/** The programs ENTRYPOINT and CMD start, exec form or the first word of a shell form. */
function startPrograms(source: Source, instructions: readonly Instruction[]): { program: string; at: Instruction }[] {
  const out: { program: string; at: Instruction }[] = [];
  for (const instruction of instructions) {
    const keyword = instruction.getKeyword();
    if (keyword !== 'ENTRYPOINT' && keyword !== 'CMD') continue;
    const command = commandOf(source, instruction);
    const first = command === null ? null : command.exec ? command.exec[0] : calledCommands(command.shell)?.[0]?.[0];
    if (first) out.push({ program: first, at: instruction });
  }
  return out;
}

/** What a script runs, builtins left out; `exec "$@"` (the CMD) is not a program of its own. */
export function scriptCommands(text: string): (string | null)[][] | string {
  const commands = calledCommands(text, { quoted: true });
  if (commands === null) return 'the shell parser cannot read it';
  const out: (string | null)[][] = [];
  for (const words of commands) {
    const [first, ...rest] = words;
    if (first === 'eval' || first === 'source' || first === '.') return `it runs "${first}", whose commands cannot be told`;
    if (first === 'exec' || first === 'command') {
      // `exec node server.js` runs node; `exec "$@"` hands over to CMD, read on its own.
      const args = rest.filter((w) => w === null || !w.startsWith('-'));
      if (args.length > 0 && args[0] !== null && !(first === 'command' && words.includes('-v'))) out.push(args);
      continue;
    }
    if (first === 'set' && rest[0] === '--' && rest[1] !== null && rest[1] !== undefined) {
      out.push(rest.slice(1)); // `set -- node "$@"` then `exec "$@"`: node runs
      continue;
    }
    if (first === null || first === undefined) return 'it runs a program named by a variable';
    if (BUILTINS.has(first)) continue;
    out.push(words);
  }
  return out;
}
