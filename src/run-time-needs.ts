// What a runtime stage's commands open: the program CMD/ENTRYPOINT start (`node dist/server.js`,
// `./server`, `java -jar target/app.jar`, the `start` script behind `npm start`) and the paths in
// their arguments, HEALTHCHECK's included. Anything whose reads cannot be told is a sentence.
import path from 'node:path';
import { Cmd, Entrypoint, Env, Healthcheck, Run, Volume, type Instruction } from 'dockerfile-ast';
import { commandOf } from './final-command.js';
import type { Source } from './source.js';
import { andChain } from './shell.js';
import { operandsOf, type Stage } from './stages.js';
import { globalCommands } from './stacks/node/globals.js';
import { readStaticServer } from './stacks/static/servers.js';

export type Use =
  /** A path the command runs (a program) or reads (data), absolute in the runtime stage. */
  | { kind: 'program' | 'data'; path: string; where: string }
  /** A folder a static file server serves (`serve -s build`): read as files, nothing in it runs. */
  | { kind: 'served'; path: string; where: string }
  /** `next start` in a folder: it reads .next, next.config.* and public/ there. */
  | { kind: 'next'; dir: string; where: string };

export interface ScriptReader {
  /** The text of a package.json script in a runtime folder; null when there is no such script; undefined when there is no package.json. */
  script(dir: string, name: string): string | null | undefined;
}

const WRAPPERS = new Set(['tini', '/sbin/tini', '/usr/bin/tini', '/tini', 'dumb-init', '/usr/bin/dumb-init', '/usr/local/bin/dumb-init', 'exec']);
const NODE = /^(\/usr(\/local)?\/bin\/)?node(js)?$/;
const PYTHON = /^(\/usr(\/local)?\/bin\/|\/opt\/venv\/bin\/)?python3?(\.\d+)?$/;
const NODE_VALUE_FLAGS = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--env-file', '--title']);
const DATA_EXTENSIONS = /\.(m?js|cjs|json|ya?ml|toml|ini|conf|env|py|jar|dll|sh|html|txt|xml|properties)$/;
// Tools a healthcheck probes with; what they read is the network, not the app's files.
const PROBES = new Set(['curl', 'wget', 'nc', 'pg_isready', 'redis-cli', 'grpc_health_probe', '/bin/grpc_health_probe', 'test', '[', 'exit', 'true']);

/** The commands a container of this stage runs, read into uses; a sentence when one cannot be told. */
export function runtimeUses(source: Source, chain: readonly Stage[], workdir: string, scripts: ScriptReader): Use[] | string {
  let cmd: Instruction | null = null;
  let entrypoint: Instruction | null = null;
  let healthcheck: Healthcheck | null = null;
  const paths: Use[] = [];
  // Commands the stages put on PATH with a global install (`npm install -g serve`).
  const globals = new Set<string>();
  for (const stage of chain) {
    let cmdInStage = false;
    for (const instruction of stage.instructions) {
      if (instruction instanceof Cmd) {
        cmd = instruction;
        cmdInStage = true;
      } else if (instruction instanceof Entrypoint) {
        entrypoint = instruction;
        if (!cmdInStage) cmd = null; // as BuildKit does: ENTRYPOINT drops a CMD the stage did not set itself
      } else if (instruction instanceof Healthcheck) healthcheck = instruction;
      else if (instruction instanceof Run && !instruction.getOpeningBracket()) {
        const run = andChain(instruction.getArgumentsContent() ?? '', { anyOperator: true });
        for (const c of run.ok ? run.commands : []) for (const bin of globalCommands(c.words)) globals.add(bin);
      }
      else if (instruction instanceof Env || instruction instanceof Volume) {
        // `ENV CONFIG_FILE=/app/conf/app.yaml`, `VOLUME /app/data`: paths the container opens or
        // mounts over (a volume starts with what the image has there).
        const values = instruction instanceof Env ? instruction.getProperties().map((p) => p.getValue() ?? '') : operandsOf(instruction);
        for (const value of values) {
          if (value.startsWith('/') && !/[:$\s]/.test(value)) paths.push({ kind: 'data', path: path.posix.normalize(value), where: where(instruction) });
        }
      }
    }
  }
  if (!cmd && !entrypoint) return 'the runtime stage sets no CMD or ENTRYPOINT: it runs its image\'s own command, which stageopt cannot read';
  const uses: Use[] = [...paths];
  const reader = new CommandReader(scripts, uses, globals);

  let main: Words[] | string;
  const first = entrypoint ?? cmd!;
  const command = commandOf(source, first);
  if (command === null) main = [];
  else if (!command.exec) {
    main = shellCommands(command.shell, where(first));
  } else {
    // An exec-form ENTRYPOINT takes an exec-form CMD as its arguments.
    const cmdCommand = entrypoint && cmd ? commandOf(source, cmd) : null;
    if (cmdCommand && !cmdCommand.exec) return `${where(cmd!)} is in shell form after an exec-form ENTRYPOINT, a pairing stageopt does not read`;
    main = [[...command.exec, ...(cmdCommand?.exec ?? [])]];
  }
  if (typeof main === 'string') return main;
  for (const command of main) {
    const problem = reader.command(command, workdir, where(first), false, 0);
    if (problem) return problem;
  }
  const probe = healthcheck ? commandOf(source, healthcheck) : null;
  if (healthcheck && probe) {
    const probes = probe.exec ? [probe.exec] : shellCommands(probe.shell, where(healthcheck));
    if (typeof probes === 'string') return probes;
    for (const command of probes) {
      const problem = reader.command(command, workdir, where(healthcheck), true, 0);
      if (problem) return problem;
    }
  }
  return uses;
}

type Words = readonly (string | null)[];

function where(instruction: Instruction): string {
  return `${instruction.getKeyword()} at line ${instruction.getRange().start.line + 1}`;
}

/** The simple commands of a shell-form script (joined by `&&`, `||` or pipes), or a sentence saying why not. */
function shellCommands(script: string, at: string): Words[] | string {
  const chain = andChain(script, { anyOperator: true });
  if (!chain.ok) return `${at} cannot be read: ${chain.reason}`;
  const decorated = chain.commands.find((c) => c.decorated);
  if (decorated) return `${at} redirects output (${script.slice(decorated.start, decorated.end)}), which stageopt does not read`;
  return chain.commands.map((c) => c.words);
}

class CommandReader {
  constructor(
    private readonly scripts: ScriptReader,
    private readonly uses: Use[],
    private readonly globals: ReadonlySet<string>,
  ) {}

  command(raw: Words, cwd: string, where: string, probe: boolean, depth: number): string | null {
    // A probe over the network (`curl -f http://localhost:${PORT:-3000}/health`) reads no file of
    // the image, so variables in its URL do not matter; options that read files still count.
    if (probe && (raw[0] === 'curl' || raw[0] === 'wget') && !raw.some((w) => w !== null && /^(@|-K$|--config|--cacert|--cert|--key|-T$|--upload-file|-F$|--form|-d$|--data|-i$|--input-file|--post-file)/.test(w))) return null;
    if (raw.some((w) => w === null || w.includes('$'))) return `${where} has variables or quotes in "${raw.map((w) => w ?? '…').join(' ')}", so its paths are not known`;
    let words = raw as string[];
    // Launchers that run the rest: `tini -- node x`, `sh -c "..."` (read as its own script).
    while (words.length > 0 && WRAPPERS.has(words[0]!)) {
      words = words.slice(1);
      while (words[0]?.startsWith('-')) words = words.slice(1); // tini's -s, -g, and the `--` before the command
    }
    if ((words[0] === 'sh' || words[0] === '/bin/sh' || words[0] === 'bash' || words[0] === '/bin/bash') && words[1] === '-c' && words.length === 3) {
      return this.script(words[2]!, cwd, where, probe, depth);
    }
    const [cmd, ...args] = words;
    if (cmd === undefined) return `${where} runs nothing`;
    if (NODE.test(cmd)) return this.node(args, cwd, where);
    if (PYTHON.test(cmd)) return this.python(args, cwd, where);
    if (cmd === 'npm' || cmd === 'yarn' || cmd === 'pnpm') return this.packageScript(cmd, args, cwd, where, depth);
    if (cmd === 'npx') return this.command(args, cwd, where, probe, depth + 1);
    if (cmd === 'next' && args[0] === 'start') {
      this.uses.push({ kind: 'next', dir: cwd, where });
      return null;
    }
    if (cmd === 'java') {
      const jar = args.indexOf('-jar');
      if (jar === -1 || jar + 1 >= args.length) return `${where} runs java without -jar, so the class path is not known`;
      if (args.some((a) => a === '-cp' || a === '-classpath')) return `${where} runs java with a class path, which stageopt does not read`;
      this.program(args[jar + 1]!, cwd, where);
      return this.data(args.slice(jar + 2), cwd, where);
    }
    if (cmd === 'dotnet' && args[0]?.endsWith('.dll')) {
      this.program(args[0], cwd, where);
      return this.data(args.slice(1), cwd, where);
    }
    const served = readStaticServer(cmd, args);
    if (typeof served === 'string') return `${where}: ${served}`;
    if (served !== null) {
      // The folder it serves, and files its options name. Run by the final command itself and
      // installed globally, the tool needs nothing else of the app; through a script or npx it
      // may be the app's own dependency (node_modules/.bin comes first on their PATH).
      this.uses.push({ kind: 'served', path: path.posix.resolve(cwd, served.folder ?? '.'), where });
      for (const file of served.files) this.uses.push({ kind: 'data', path: path.posix.resolve(cwd, file), where });
      if (depth > 0 || !this.globals.has(cmd)) this.uses.push({ kind: 'data', path: path.posix.join(cwd, 'node_modules'), where });
      return null;
    }
    if (cmd.includes('/')) {
      this.program(cmd, cwd, where);
      return this.data(args, cwd, where);
    }
    if (probe && PROBES.has(cmd)) return this.data(args, cwd, where);
    return `${where} runs "${cmd}", whose files stageopt cannot tell`;
  }

  private node(args: string[], cwd: string, where: string): string | null {
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '-e' || a === '--eval' || a === '-p' || a === '--print') return `${where} runs inline code (node ${a})`;
      if (NODE_VALUE_FLAGS.has(a)) {
        const value = args[++i];
        if (value === undefined) continue;
        // A module name (`-r dotenv/config`) loads from node_modules; tsconfig-paths also reads tsconfig.json.
        if (!value.startsWith('.') && !value.startsWith('/')) {
          if (value.startsWith('tsconfig-paths')) this.uses.push({ kind: 'data', path: path.posix.join(cwd, 'tsconfig.json'), where });
        } else if (looksLikePath(value)) this.uses.push({ kind: 'data', path: path.posix.resolve(cwd, value), where });
        continue;
      }
      if (a.startsWith('-')) {
        const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : '';
        if (value && looksLikePath(value)) this.uses.push({ kind: 'data', path: path.posix.resolve(cwd, value), where });
        continue;
      }
      if (a === '.') return `${where} runs "node .", whose entry point (package.json main) stageopt does not read`;
      this.program(a, cwd, where);
      return this.data(args.slice(i + 1), cwd, where);
    }
    return `${where} runs node without a script`;
  }

  private python(args: string[], cwd: string, where: string): string | null {
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a === '-m') return `${where} runs the module ${args[i + 1] ?? ''}, whose files stageopt cannot tell`;
      if (a === '-c') return `${where} runs inline code (python -c)`;
      if (a.startsWith('-')) continue;
      this.program(a, cwd, where);
      return this.data(args.slice(i + 1), cwd, where);
    }
    return `${where} runs python without a script`;
  }

  private packageScript(cmd: string, args: string[], cwd: string, where: string, depth: number): string | null {
    let name: string | null = null;
    if (args[0] === 'start' && args.length === 1) name = 'start';
    else if ((args[0] === 'run' || args[0] === 'run-script') && args.length === 2) name = args[1]!;
    else if (cmd !== 'npm' && args.length === 1 && !args[0]!.startsWith('-')) name = args[0]!;
    if (name === null) return `${where} runs "${[cmd, ...args].join(' ')}", which stageopt does not read`;
    if (depth > 5) return `${where} runs scripts that call each other too deeply`;
    let text = this.scripts.script(cwd, name);
    if (text === undefined) return `${where} runs the "${name}" script, but no package.json from the build is in ${cwd}`;
    if (text === null) {
      if (name !== 'start') return `${where} runs the "${name}" script, which package.json does not have`;
      text = 'node server.js'; // npm's default start
    }
    this.uses.push({ kind: 'data', path: path.posix.join(cwd, 'package.json'), where });
    // npm runs `prestart` and `poststart` around `start`: a `"prestart": "npm run build"` needs the sources.
    for (const hook of [`pre${name}`, `post${name}`]) {
      const hookText = this.scripts.script(cwd, hook);
      if (typeof hookText !== 'string') continue;
      const problem = this.script(hookText, cwd, `${where} (the "${hook}" script)`, false, depth);
      if (problem) return problem;
    }
    return this.script(text, cwd, `${where} (the "${name}" script)`, false, depth);
  }

  private script(text: string, cwd: string, where: string, probe: boolean, depth: number): string | null {
    const commands = shellCommands(text, where);
    if (typeof commands === 'string') return commands;
    for (const command of commands) {
      const problem = this.command(command, cwd, where, probe, depth + 1);
      if (problem) return problem;
    }
    return null;
  }

  private program(p: string, cwd: string, where: string): void {
    this.uses.push({ kind: 'program', path: path.posix.resolve(cwd, p), where });
  }

  private data(args: readonly string[], cwd: string, where: string): null {
    for (const a of args) {
      const value = a.startsWith('-') ? (a.includes('=') ? a.slice(a.indexOf('=') + 1) : '') : a;
      if (value && looksLikePath(value)) this.uses.push({ kind: 'data', path: path.posix.resolve(cwd, value), where });
    }
    return null;
  }
}

/** A word that names a file: has a slash (not a URL), starts with a dot, or ends in a file extension. */
export function looksLikePath(word: string): boolean {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(word) || word.includes(':')) return false;
  return word.includes('/') || word.startsWith('.') || DATA_EXTENSIONS.test(word);
}
