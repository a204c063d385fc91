// What a Node image's start path runs, followed to closure, and which package provides each program.
// split-stages may give the runtime stage only production dependencies, so it must first know every
// program the original container could start: CMD, ENTRYPOINT and HEALTHCHECK, the npm/yarn/pnpm
// scripts they start (with their pre/post hooks), and whatever launchers those run (`nodemon --exec
// babel-node`, `cross-env A=1 tsx`, `concurrently npm:a npm:b`, `node -r ts-node/register` …).
// Each program is resolved to the package that provides it from the project's own metadata (the
// lockfile's `bin` entries), never from a table of bin names, which is how `babel-node` from the dev
// dependency `@babel/node` once slipped through and the rewritten container exited.
// Pure: the caller reads package.json and the lockfile and passes them in.
import { builtinModules } from 'node:module';
import { calledCommands } from '../../shell.js';
import { MAX_V1_DEPTH, parseNpmLock, type NpmLock, type NpmLockV1Entry } from './lockfile.js';
import { stringScripts, type PackageJson } from './package-json.js';
import { lifecycleScript, NPM_RUN, NPM_SCRIPT_COMMANDS, YARN_PNPM_COMMANDS } from './scripts.js';

/** What the project's metadata says, read by the caller from package.json and the lockfile. */
export interface StartPathProject {
  scripts: Readonly<Record<string, string>>;
  /**
   * `dependencies` and `optionalDependencies`: what `npm ci --omit=dev` installs by name. Peer
   * dependencies are left out on purpose: a peer also listed as a devDependency (the usual way to
   * develop against one) is pruned, so only the lockfile (`isDevOnly`) may say a peer stays.
   */
  dependencies: ReadonlySet<string>;
  devDependencies: ReadonlySet<string>;
  /**
   * Program name → the packages whose bins npm links into the project's node_modules/.bin (all of
   * them: two packages may declare the same bin). [] = no installed package provides it; null = the
   * metadata cannot tell (no lockfile with bin entries: lockfile v1, yarn.lock, pnpm-lock.yaml).
   */
  binProviders(program: string): readonly string[] | null;
  /**
   * Whether the package a program or `require` from the project root finds is installed only for
   * dev (pruned by --omit=dev); null when the metadata cannot tell.
   */
  isDevOnly(pkg: string): boolean | null;
  /**
   * The peer dependencies a package needs to run (`@babel/node` needs `@babel/core`, `ts-node` needs
   * `typescript`), from the lockfile; optional peers left out. Absent or null: not known.
   */
  requiredPeers?(pkg: string): readonly string[] | null;
}

/** Where a program of the start path comes from. */
export type Provider =
  /** node itself, or npm/npx/corepack, which every Node image ships with it. */
  | { kind: 'runtime' }
  /** A bin (or a preloaded module) of an installed package; `dev`: pruned with dev dependencies. */
  | { kind: 'package'; name: string; dev: boolean }
  /**
   * Not a package bin: a shell, an OS program (`curl`, `tini`), or a file (`./start.sh`,
   * `dist/x.js`). The caller decides with its OS-program table.
   */
  | { kind: 'system' }
  /**
   * The metadata cannot tell what provides it (`why` says what is missing). Without lockfile bin
   * entries an OS program such as `curl` lands here too: the caller's OS-program table may still
   * know it; anything else must be kept with dev dependencies or declined.
   */
  | { kind: 'unknown'; why: string };

/**
 * One program (or preloaded module, e.g. `dotenv/config`) the start path runs. `via` says where, in
 * words a decline message can quote: 'the start command', 'the "start" script', 'nodemon --exec in
 * the "dev" script'.
 */
export interface StartUse {
  program: string;
  via: string;
  provider: Provider;
  /** The arguments the program was called with, when it is a program (not a preloaded module). */
  args?: Words;
}

/** Splits a script into its simple commands' words (null = not a plain literal word). */
export type ScriptReader = (script: string) => (string | null)[][] | null;

export interface StartPathOptions {
  /**
   * How scripts (npm script bodies, `sh -c` arguments, concurrently's commands) are split; the
   * project's shell reader by default. A seam for tests and for a reader that gives quoted words'
   * values: calledCommands gives null for `"babel-node index.js"`, so such a command is declined.
   */
  readScript?: ScriptReader;
}

/** Scripts calling scripts and launchers nested in launchers: real projects use 3 or 4 levels. */
export const MAX_START_PATH_DEPTH = 16;

export type Words = readonly (string | null)[];
/** Why the start path cannot be followed, or null to go on. */
type Problem = string | null;

/**
 * Every program the commands of the final image may run, followed through scripts and launchers,
 * with the package that provides each; or why it cannot be followed (a program named by a variable
 * or a quoted word, a script the shell reader cannot read, another package's scripts). `commands`
 * are the simple commands of CMD, ENTRYPOINT and HEALTHCHECK: exec-form words, or each simple
 * command of a shell-form script; an ENTRYPOINT that takes the CMD as arguments is passed joined.
 */
export function readStartPath(
  project: StartPathProject,
  commands: readonly Words[],
  options: StartPathOptions = {},
): { uses: StartUse[] } | { problem: string } {
  const walk = new Walk(project, options.readScript ?? calledCommands);
  for (const words of commands) {
    const problem = walk.command(words, 'the start command', 0);
    if (problem) return { problem };
  }
  return { uses: walk.uses };
}

/**
 * The first use the runtime stage cannot serve without dev dependencies, as a sentence naming the
 * program and the package, or null. `system` uses are the caller's to check against its OS table.
 */
export function devOrUnknownUse(uses: readonly StartUse[]): string | null {
  for (const use of uses) {
    const p = use.provider;
    if (p.kind === 'package' && p.dev) return `${use.via} runs ${use.program}, from the dev dependency ${p.name}, which the runtime stage leaves out`;
    if (p.kind === 'unknown') return `${use.via} runs ${use.program}, and ${p.why}`;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Following commands

/** One command being followed: its program word and arguments, and where it was found. */
interface Call {
  program: string;
  args: Words;
  via: string;
  depth: number;
  /** Set by npx and `npm exec`: a program no installed package provides is downloaded, not missing. */
  downloadedBy?: string;
}

type Launcher = (walk: Walk, call: Call) => Problem;

class Walk {
  readonly uses: StartUse[] = [];
  private readonly scriptsFollowed = new Set<string>();
  private readonly recorded = new Set<string>();

  constructor(
    readonly project: StartPathProject,
    readonly readScript: ScriptReader,
  ) {}

  /** Follows one simple command: a launcher's own rules, else its program is resolved. */
  command(words: Words, via: string, depth: number, downloadedBy?: string): Problem {
    if (depth > MAX_START_PATH_DEPTH) return `${via} nests scripts and launchers more than ${MAX_START_PATH_DEPTH} deep, more than stageopt follows`;
    const [program, ...args] = words;
    if (program === undefined) return null;
    if (program === null) return `${via} runs a program named by a variable or a quoted word, which stageopt cannot follow`;
    const call: Call = { program, args, via, depth, downloadedBy };
    const launcher = LAUNCHERS.get(commandName(program));
    if (launcher) return launcher(this, call);
    this.useProgram(call);
    return null;
  }

  /** Follows a script text (an npm script, `sh -c`'s argument): each of its simple commands. */
  script(text: string | null, label: string, via: string, depth: number): Problem {
    if (text === null) return `${via} runs ${label} that is not a plain word (quoted, or a variable), which stageopt cannot follow`;
    const calls = this.readScript(text);
    if (calls === null) return `${via} runs ${label} that the shell parser cannot read`;
    for (const words of calls) {
      const problem = this.command(words, via, depth + 1);
      if (problem) return problem;
    }
    return null;
  }

  /** Follows `npm run <name>`: the script with its pre and post hooks, each script once. */
  runScript(name: string, args: Words, runner: string, via: string, depth: number): Problem {
    const scripts = this.project.scripts;
    // npm, and pnpm, start `node server.js` when there is no start script: node itself.
    if (name === 'start' && scripts.start === undefined && runner !== 'yarn') this.use('node', `${runner} start without a "start" script (node server.js)`, { kind: 'runtime' });
    // npm runs pre/post hooks; yarn berry and pnpm ≥ 7 do not by default, but followed anyway:
    // following a hook that does not run costs nothing but a needless decline.
    for (const script of [`pre${name}`, name, `post${name}`]) {
      if (script === 'restart' && scripts.restart === undefined) {
        // `npm restart` without a restart script runs stop and then start.
        for (const step of ['stop', 'start']) {
          const problem = this.runScript(step, [], runner, via, depth + 1);
          if (problem) return problem;
        }
        continue;
      }
      const body = scripts[script];
      // Arguments after the name (`npm run x -- --port 1`) are appended to the script's text (not
      // to its hooks'), so the same script with other arguments may run other programs.
      const extra = script === name ? args.filter((a): a is string => a !== null).map(shellQuote) : [];
      const key = JSON.stringify([script, ...extra]);
      if (body === undefined || this.scriptsFollowed.has(key)) continue;
      this.scriptsFollowed.add(key);
      const calls = this.readScript([body, ...extra].join(' '));
      if (calls === null) return `the "${script}" script cannot be read by the shell parser`;
      for (const words of calls) {
        const problem = this.command(words, `the "${script}" script`, depth + 1);
        if (problem) return problem;
      }
    }
    return null;
  }

  /** Follows the scripts an npm-run-all / concurrently pattern names (`build:*`). */
  runScripts(pattern: string, matcher: (p: string) => RegExp, runner: string, via: string, depth: number): Problem {
    const names = /[*?]/.test(pattern) ? Object.keys(this.project.scripts).filter((n) => matcher(pattern).test(n)) : [pattern];
    for (const name of names) {
      const problem = this.runScript(name, [], runner, via, depth);
      if (problem) return problem;
    }
    return null;
  }

  /** Records the program of a call and the package providing it, and that package's peers. */
  useProgram(call: Call): void {
    const provider = this.providerOfProgram(call.program);
    if (call.downloadedBy && provider.kind === 'system' && !call.program.includes('/')) {
      this.use(call.program, call.via, { kind: 'unknown', why: `${call.downloadedBy} downloads it at run time when no installed package provides it` });
      return;
    }
    this.use(call.program, call.via, provider, call.args);
    if (provider.kind === 'package') this.usePeers(provider.name, `${call.program}'s peer dependency in ${call.via}`);
  }

  /** Records a module node preloads (`-r dotenv/config`); files and node's own modules need nothing. */
  useModule(specifier: string, via: string): void {
    const pkg = packageOfSpecifier(specifier);
    if (pkg === null) return;
    const provider = this.providerOfPackage(pkg);
    this.use(specifier, via, provider);
    if (provider.kind === 'package') this.usePeers(pkg, `${specifier}'s peer dependency in ${via}`);
  }

  use(program: string, via: string, provider: Provider, args?: Words): void {
    const key = JSON.stringify([program, via, provider]);
    if (this.recorded.has(key)) return;
    this.recorded.add(key);
    this.uses.push(args === undefined ? { program, via, provider } : { program, via, provider, args });
  }

  private usePeers(pkg: string, via: string): void {
    for (const peer of this.project.requiredPeers?.(pkg) ?? []) {
      if (this.recorded.has(JSON.stringify(['peer', peer]))) continue;
      this.recorded.add(JSON.stringify(['peer', peer]));
      this.use(peer, via, this.providerOfPackage(peer));
    }
  }

  private providerOfProgram(word: string): Provider {
    const name = commandName(word);
    if (RUNTIME_PROGRAMS.has(name) && (name === word || SYSTEM_BIN_PATH.test(word))) return { kind: 'runtime' };
    if (name !== word && !NODE_MODULES_BIN.test(word)) return { kind: 'system' }; // a file: ./start.sh, dist/cli.js
    if (OS_LAUNCHERS.has(name)) return { kind: 'system' };
    const providers = this.project.binProviders(name);
    if (providers === null) {
      // Without bin entries the likeliest provider is a direct dependency of the same name (nodemon, tsx).
      if (this.project.dependencies.has(name) || this.project.devDependencies.has(name)) return this.providerOfPackage(name);
      return { kind: 'unknown', why: `no lockfile with bin entries tells which package provides ${name}` };
    }
    if (providers.length === 0) return { kind: 'system' };
    const answers = providers.map((p) => ({ p, provider: this.providerOfPackage(p) }));
    // npm links one of two same-named bins; once dev packages are pruned a production one is left.
    const kept = answers.find((a) => a.provider.kind === 'package' && !a.provider.dev);
    if (kept) return kept.provider;
    const unknown = answers.find((a) => a.provider.kind !== 'package');
    if (unknown) return { kind: 'unknown', why: `the metadata does not tell whether ${unknown.p}, which provides ${name}, is installed for production` };
    return answers[0]!.provider;
  }

  private providerOfPackage(pkg: string): Provider {
    const dev = this.project.isDevOnly(pkg);
    if (dev !== null) return { kind: 'package', name: pkg, dev };
    if (this.project.dependencies.has(pkg)) return { kind: 'package', name: pkg, dev: false };
    if (this.project.devDependencies.has(pkg)) return { kind: 'package', name: pkg, dev: true };
    return { kind: 'unknown', why: `${pkg} is neither a direct dependency nor in a lockfile that says whether it is installed for production` };
  }
}

/** node, and the package managers every Node image ships with it. */
const RUNTIME_PROGRAMS = new Set(['node', 'nodejs', 'npm', 'npx', 'corepack']);
/** Launchers that are OS programs, never package bins: their own use is `system`. */
const OS_LAUNCHERS = new Set(['sh', 'bash', 'dash', 'ash', 'zsh', 'env', 'nohup', 'nice', 'tini', 'dumb-init', 'gosu', 'su-exec']);
const NODE_MODULES_BIN = /(?:^|\/)node_modules\/\.bin\/[^/]+$/;
const SYSTEM_BIN_PATH = /^\/(?:usr\/)?(?:local\/)?s?bin\/[^/]+$/;

/** The name a launcher is known by: `/usr/bin/env` → env, `node_modules/.bin/nodemon` → nodemon. */
function commandName(word: string): string {
  if (NODE_MODULES_BIN.test(word) || SYSTEM_BIN_PATH.test(word)) return word.slice(word.lastIndexOf('/') + 1);
  return word;
}

/** The package a bare module specifier loads (`@babel/register/lib/x` → @babel/register); null for files and builtins. */
export function packageOfSpecifier(specifier: string): string | null {
  if (/^(?:\.|\/|[a-z]+:)/i.test(specifier) || specifier === '') return null; // ./x, /x, node:, file:, data:
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  return builtinModules.includes(name) ? null : name;
}

/** A word as the shell reads it back: plain words stay, anything else is single-quoted. */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:@%+,=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

// ---------------------------------------------------------------------------------------------
// Reading arguments

interface ParsedArgs {
  /** Options in order, with their values (a flag without one has value undefined). */
  options: { name: string; value: string | null | undefined }[];
  /** Words from the first positional one on (before `--`). */
  positional: Words;
  /** Words after `--`, or null when there is none. */
  afterDashes: Words | null;
}

/**
 * Reads a program's options up to its first positional word. `valued` are the options that take the
 * next word as their value; `--x=v` is read either way. With `interleaved`, options after
 * positionals are read too (npm: `npm run build --silent`).
 */
function parseArgs(words: Words, valued: ReadonlySet<string>, interleaved = false): ParsedArgs {
  const options: ParsedArgs['options'] = [];
  const positional: (string | null)[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') return { options, positional: [...positional], afterDashes: words.slice(i + 1) };
    if (w !== null && w.startsWith('-') && w.length > 1 && (interleaved || positional.length === 0)) {
      const eq = w.startsWith('--') ? w.indexOf('=') : -1;
      if (eq > 0) options.push({ name: w.slice(0, eq), value: w.slice(eq + 1) });
      else if (valued.has(w)) options.push({ name: w, value: words[++i] });
      else options.push({ name: w, value: undefined });
      continue;
    }
    if (!interleaved) return { options, positional: words.slice(i), afterDashes: null };
    positional.push(w);
  }
  return { options, positional, afterDashes: null };
}

function optionValues(parsed: ParsedArgs, ...names: string[]): (string | null)[] {
  return parsed.options.filter((o) => names.includes(o.name) && o.value !== undefined).map((o) => o.value!);
}

function hasOption(parsed: ParsedArgs, ...names: string[]): boolean {
  return parsed.options.some((o) => names.includes(o.name));
}

const PRELOAD_OPTIONS = ['-r', '--require', '--loader', '--experimental-loader', '--import'];
const NODE_VALUED = new Set([...PRELOAD_OPTIONS, '-e', '--eval', '-p', '--print', '--env-file', '-C', '--conditions', '--input-type', '--title', '--inspect-port', '--stack-size']);

/** Records the modules node's options preload; a preload named by a variable cannot be followed. */
function nodePreloads(walk: Walk, args: Words, launcher: string, via: string): Problem {
  const parsed = parseArgs(args, NODE_VALUED);
  for (const option of parsed.options) {
    if (!PRELOAD_OPTIONS.includes(option.name) || option.value === undefined) continue;
    if (option.value === null) return `${launcher} ${option.name} in ${via} preloads a module that is not a plain word (quoted, or a variable), which stageopt cannot follow`;
    walk.useModule(option.value, `${launcher} ${option.name} in ${via}`);
  }
  return null;
}

/** `A=1 B=2 X …` → the words from X on, with NODE_OPTIONS' preloads recorded. */
function afterAssignments(walk: Walk, words: Words, launcher: string, via: string): { rest: Words } | { problem: string } {
  let i = 0;
  for (; i < words.length; i++) {
    const w = words[i];
    if (w === null || w === undefined || !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) break;
    if (w.startsWith('NODE_OPTIONS=')) {
      const problem = nodePreloads(walk, w.slice('NODE_OPTIONS='.length).split(/\s+/).filter(Boolean), 'NODE_OPTIONS', `${launcher} in ${via}`);
      if (problem) return { problem };
    }
  }
  return { rest: words.slice(i) };
}

/** npm-run-all's patterns: `*` stays within one `:` segment, `**` crosses them. */
function npmRunAllPattern(pattern: string): RegExp {
  const body = pattern.split('**').map((part) => part.split('*').map(escapeRegExp).join('[^:]*')).join('.*');
  return new RegExp(`^${body.replace(/\\\?/g, '[^:]')}$`);
}

/** concurrently's `npm:watch-*`: `*` matches anything. */
function concurrentlyPattern(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------
// Launchers: programs that run other programs, scripts or files

const NPM_VALUED = new Set(['--prefix', '-C', '-w', '--workspace', '--loglevel', '--script-shell', '--userconfig', '--cache', '--registry', '-c', '--call', '--package']);

/** Options that make a package manager run another package's scripts, which are not read here. */
function otherPackage(parsed: ParsedArgs, runner: string, via: string, names: string[]): Problem {
  for (const option of parsed.options) {
    if (!names.includes(option.name)) continue;
    if (option.value === '.' || option.value === './') continue;
    const what = option.value === undefined || option.value === null ? option.name : `${option.name} ${option.value}`;
    return `${via} runs ${runner} ${what}: the scripts of another package.json, which stageopt does not read`;
  }
  return null;
}

const npm: Launcher = (walk, call) => {
  walk.useProgram(call);
  const parsed = parseArgs(call.args, NPM_VALUED, true);
  const elsewhere = otherPackage(parsed, 'npm', call.via, ['--prefix', '-C', '-w', '--workspace', '--workspaces', '-ws']);
  if (elsewhere) return elsewhere;
  const [sub, name, ...more] = parsed.positional;
  if (sub === null) return `${call.via} runs npm with a command named by a variable, which stageopt cannot follow`;
  const scriptArgs = [...more, ...(parsed.afterDashes ?? [])];
  if (sub !== undefined && NPM_SCRIPT_COMMANDS.has(sub)) {
    const script = lifecycleScript(sub);
    return walk.runScript(script, name === undefined ? scriptArgs : [name, ...scriptArgs], 'npm', call.via, call.depth);
  }
  if (sub !== undefined && NPM_RUN.has(sub)) {
    if (name === undefined) return null; // `npm run` lists the scripts
    if (name === null) return `${call.via} runs an npm script named by a variable, which stageopt cannot follow`;
    return walk.runScript(name, scriptArgs, 'npm', call.via, call.depth);
  }
  if (sub === 'exec' || sub === 'x') return npxCommand(walk, parsed, [...parsed.positional.slice(1), ...(parsed.afterDashes ?? [])], 'npm exec', call);
  return null; // npm ci, npm install …: npm itself
};

const NPX_VALUED = new Set(['-p', '--package', '-c', '--call', '--cache', '--registry']);

const npx: Launcher = (walk, call) => {
  walk.useProgram(call);
  const parsed = parseArgs(call.args, NPX_VALUED);
  return npxCommand(walk, parsed, [...parsed.positional, ...(parsed.afterDashes ?? [])], 'npx', call);
};

/** `npx [-p pkg] X …` / `npm exec -c "…"`: the packages asked for, then the command. */
function npxCommand(walk: Walk, parsed: ParsedArgs, command: Words, runner: string, call: Call): Problem {
  const via = `${runner} in ${call.via}`;
  for (const pkg of optionValues(parsed, '-p', '--package')) {
    if (pkg === null) return `${via} installs a package named by a variable, which stageopt cannot follow`;
    const name = packageOfSpecifier(pkg.replace(/(?<=.)@[^/@]*$/, '')); // `-p cowsay@1.5` → cowsay
    if (name !== null) walk.useModule(name, `${runner} -p in ${call.via}`);
  }
  const calls = optionValues(parsed, '-c', '--call');
  if (calls.length > 0) return walk.script(calls[0]!, 'a command', via, call.depth);
  return walk.command(command, via, call.depth + 1, runner);
}


/** yarn and pnpm: `yarn X` runs the script X, or else the bin X; `exec`, `dlx`, `run`. */
function packageManager(runner: 'yarn' | 'pnpm'): Launcher {
  return (walk, call) => {
    walk.useProgram(call);
    const parsed = parseArgs(call.args, new Set(['--cwd', '-C', '--dir', '--filter', '-F']));
    const elsewhere = otherPackage(parsed, runner, call.via, ['--cwd', '-C', '--dir', '--filter', '-F', '-r', '--recursive']);
    if (elsewhere) return elsewhere;
    const [sub, ...rest] = parsed.positional;
    if (sub === undefined) return null; // `yarn` alone installs
    if (sub === null) return `${call.via} runs ${runner} with a command named by a variable, which stageopt cannot follow`;
    const after = parsed.afterDashes ?? [];
    if (sub === 'workspace' || sub === 'workspaces') return `${call.via} runs ${runner} ${sub}: the scripts of another package.json, which stageopt does not read`;
    if (sub === 'dlx') {
      const what = parseArgs([...rest, ...after], new Set(['-p', '--package'])).positional[0] ?? '(a package named by a variable)';
      walk.use(what, `${runner} dlx in ${call.via}`, { kind: 'unknown', why: `${runner} dlx downloads it at run time` });
      return null;
    }
    if (sub === 'exec') return walk.command([...rest, ...after], `${runner} exec in ${call.via}`, call.depth + 1);
    if (sub === 'node') return node(walk, { ...call, program: 'node', args: [...rest, ...after] });
    if (sub === 'run' || sub === 'run-script') {
      const [name, ...args] = rest;
      if (name === undefined) return null;
      if (name === null) return `${call.via} runs a ${runner} script named by a variable, which stageopt cannot follow`;
      return walk.runScript(name, [...args, ...after], runner, call.via, call.depth);
    }
    const script = lifecycleScript(sub);
    if (walk.project.scripts[script] !== undefined || (runner === 'pnpm' && script === 'start')) return walk.runScript(script, [...rest, ...after], runner, call.via, call.depth);
    if (YARN_PNPM_COMMANDS.has(sub) || NPM_SCRIPT_COMMANDS.has(sub)) return null;
    return walk.command([sub, ...rest, ...after], `${runner} in ${call.via}`, call.depth + 1); // `yarn nodemon` runs the bin
  };
}

const node: Launcher = (walk, call) => {
  walk.useProgram(call);
  return nodePreloads(walk, call.args, commandName(call.program), call.via);
};

/** ts-node, tsx, babel-node …: run a file as node does, with node's preload options. */
const nodeLike: Launcher = node;

const NODEMON_VALUED = new Set([...NODE_VALUED, '-x', '--exec', '-w', '--watch', '-e', '--ext', '-i', '--ignore', '-d', '--delay', '--signal', '--config', '--cwd', '-P', '--polling-interval']);
/** The programs nodemon runs a script with when no --exec is given (its default execMap). */
const NODEMON_EXEC_BY_EXTENSION: Record<string, string> = { ts: 'ts-node', py: 'python', rb: 'ruby' };

const nodemon: Launcher = (walk, call) => {
  walk.useProgram(call);
  const parsed = parseArgs(call.args, NODEMON_VALUED);
  const [script, ...args] = [...parsed.positional, ...(parsed.afterDashes ?? [])];
  const execs = optionValues(parsed, '-x', '--exec');
  if (execs.length > 0) {
    // nodemon runs the --exec command with the script and its arguments after it.
    const exec = execs[execs.length - 1]!;
    const tail = [script, ...args].filter((w): w is string => w !== null && w !== undefined).map(shellQuote);
    return walk.script(exec === null ? null : [exec, ...tail].join(' '), 'a command', `nodemon --exec in ${call.via}`, call.depth);
  }
  const preloads = nodePreloads(walk, call.args, 'nodemon', call.via);
  if (preloads) return preloads;
  if (script === undefined) {
    // No script: nodemon runs package.json's `main` with node, or else the start script.
    walk.use('node', `nodemon in ${call.via}`, { kind: 'runtime' });
    return walk.runScript('start', [], 'nodemon', `nodemon in ${call.via}`, call.depth + 1);
  }
  const extension = script === null ? undefined : /\.([a-z]+)$/i.exec(script)?.[1];
  const exec = extension === undefined ? undefined : NODEMON_EXEC_BY_EXTENSION[extension];
  if (exec) return walk.command([exec, script], `nodemon in ${call.via}`, call.depth + 1);
  walk.use('node', `nodemon in ${call.via}`, { kind: 'runtime' });
  return null;
};

const crossEnv: Launcher = (walk, call) => {
  walk.useProgram(call);
  const after = afterAssignments(walk, call.args, 'cross-env', call.via);
  if ('problem' in after) return after.problem;
  return walk.command(after.rest, `cross-env in ${call.via}`, call.depth + 1);
};

/** cross-env-shell joins its arguments into one script for the shell. */
const crossEnvShell: Launcher = (walk, call) => {
  walk.useProgram(call);
  const after = afterAssignments(walk, call.args, 'cross-env-shell', call.via);
  if ('problem' in after) return after.problem;
  const text = after.rest.some((w) => w === null) ? null : after.rest.join(' ');
  return walk.script(text, 'a command', `cross-env-shell in ${call.via}`, call.depth);
};

const ENV_VALUED = new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string']);

const env: Launcher = (walk, call) => {
  walk.useProgram(call);
  const parsed = parseArgs(call.args, ENV_VALUED);
  const split = optionValues(parsed, '-S', '--split-string');
  if (split.includes(null)) return `env -S in ${call.via} runs a command that is not a plain word (quoted, or a variable), which stageopt cannot follow`;
  const words = [...split.flatMap((s) => s!.split(/\s+/).filter(Boolean)), ...parsed.positional];
  const after = afterAssignments(walk, words, 'env', call.via);
  if ('problem' in after) return after.problem;
  return walk.command(after.rest, `env in ${call.via}`, call.depth + 1);
};

const DOTENV_VALUED = new Set(['-e', '-v', '-p']);

/** dotenv-cli: `dotenv -e .env -- X …`. */
const dotenv: Launcher = (walk, call) => {
  walk.useProgram(call);
  const parsed = parseArgs(call.args, DOTENV_VALUED);
  if (parsed.afterDashes === null && hasOption(parsed, '-p')) return null; // prints a variable
  return walk.command(parsed.afterDashes ?? parsed.positional, `dotenv in ${call.via}`, call.depth + 1);
};

const CONCURRENTLY_VALUED = new Set(['-n', '--names', '-c', '--prefix-colors', '-p', '--prefix', '-s', '--success', '--restart-tries', '--restart-after', '-l', '--prefix-length', '-t', '--timestamp-format', '--name-separator', '--default-input-target', '-m', '--max-processes', '--hide', '--teardown', '--kill-signal']);

/** concurrently: each positional argument is a command; `npm:x` is `npm run x`. */
const concurrently: Launcher = (walk, call) => {
  walk.useProgram(call);
  const parsed = parseArgs(call.args, CONCURRENTLY_VALUED, true);
  const via = `concurrently in ${call.via}`;
  for (const command of [...parsed.positional, ...(parsed.afterDashes ?? []), ...optionValues(parsed, '--teardown')]) {
    const shorthand = command === null ? null : /^(npm|yarn|pnpm|bun):(.+)$/.exec(command);
    const problem = shorthand
      ? walk.runScripts(shorthand[2]!.replace(/\(!.*\)$/, ''), concurrentlyPattern, shorthand[1]!, via, call.depth + 1)
      : walk.script(command, 'a command', via, call.depth);
    if (problem) return problem;
  }
  return null;
};

/** npm-run-all / run-s / run-p: script names and patterns, each run as `npm run`. */
const npmRunAll: Launcher = (walk, call) => {
  walk.useProgram(call);
  const parsed = parseArgs(call.args, new Set(['--max-parallel', '--npm-path']), true);
  const via = `${call.program} in ${call.via}`;
  for (const pattern of parsed.positional) {
    if (pattern === null) return `${via} runs a script that is not a plain word (quoted, or a variable), which stageopt cannot follow`;
    const problem = walk.runScripts(pattern, npmRunAllPattern, 'npm', via, call.depth + 1);
    if (problem) return problem;
  }
  return null;
};

const SHELL_VALUED = new Set(['-o', '+o', '-O', '+O']);

/** `sh -c "…"` runs its script; `sh file` runs a file the shell reads (system). */
const shell: Launcher = (walk, call) => {
  walk.useProgram(call);
  const parsed = parseArgs(call.args, SHELL_VALUED);
  const readsScript = parsed.options.some((o) => /^-[a-z]*c[a-z]*$/i.test(o.name));
  if (!readsScript) return null;
  const script = parsed.positional[0];
  if (script === undefined) return null;
  return walk.script(script, 'a script', `${commandName(call.program)} -c in ${call.via}`, call.depth);
};

/** Programs that run the command after their own options (and, for gosu, a user): exec, nohup, tini … */
function wrapper(valued: string[], leading = 0, record = true): Launcher {
  const valuedSet = new Set(valued);
  return (walk, call) => {
    if (record) walk.useProgram(call);
    const parsed = parseArgs(call.args, valuedSet);
    const rest = parsed.afterDashes ?? parsed.positional;
    return walk.command(rest.slice(leading), `${commandName(call.program)} in ${call.via}`, call.depth + 1);
  };
}

const PM2_VALUED = new Set(['-n', '--name', '-i', '--instances', '--interpreter', '--interpreter-args', '--node-args', '--cwd', '-o', '--output', '-e', '--error', '-l', '--log', '--max-memory-restart', '--env', '--cron', '--log-date-format', '--max-restarts', '--restart-delay', '--namespace', '--time']);
const CONFIG_FILE = /(?:\.json|\.ya?ml|\.config\.[cm]?js|ecosystem[^/]*)$/;

/** pm2 / pm2-runtime: `start X` runs the file X with node (or --interpreter), or a program X. */
const pm2: Launcher = (walk, call) => {
  walk.useProgram(call);
  const name = commandName(call.program);
  const parsed = parseArgs(call.args, PM2_VALUED, true);
  let [sub, target] = parsed.positional;
  if (name !== 'pm2' && sub !== 'start') [sub, target] = ['start', sub]; // `pm2-runtime app.js`
  if (sub !== 'start') return null; // pm2 logs, pm2 stop …
  const via = `${name} start in ${call.via}`;
  if (target === undefined) return null;
  if (target === null) return `${via} runs a file named by a variable, which stageopt cannot follow`;
  for (const args of optionValues(parsed, '--node-args', '--interpreter-args')) {
    if (args === null) return `${via} passes node options that are not a plain word (quoted, or a variable), which stageopt cannot follow`;
    const problem = nodePreloads(walk, args.split(/\s+/), 'node', via);
    if (problem) return problem;
  }
  if (CONFIG_FILE.test(target)) {
    walk.use(target, via, { kind: 'unknown', why: `${name} reads the apps it starts from ${target}, which stageopt does not read` });
    return null;
  }
  const interpreter = optionValues(parsed, '--interpreter').at(-1);
  if (interpreter === null) return `${via} names its interpreter by a variable, which stageopt cannot follow`;
  if (interpreter !== undefined && interpreter !== 'none') return walk.command([interpreter, target], via, call.depth + 1);
  if (/\.tsx?$/.test(target)) return walk.command(['ts-node', target], via, call.depth + 1);
  if (target.includes('/') || /\.[cm]?js$/.test(target)) {
    walk.use('node', via, { kind: 'runtime' });
    return null;
  }
  return walk.command([target, ...(parsed.afterDashes ?? [])], via, call.depth + 1); // `pm2 start npm -- start`
};

const FOREVER_VALUED = new Set(['-c', '--command', '-l', '-o', '-e', '-p', '--uid', '-m', '--sourceDir', '--workingDir', '--minUptime', '--spinSleepTime', '--killSignal', '--pidFile', '--plain']);

/** forever [start] [-c command] file: node (or the -c command) runs the file. */
const forever: Launcher = (walk, call) => {
  walk.useProgram(call);
  const parsed = parseArgs(call.args, FOREVER_VALUED, true);
  let [sub, target] = parsed.positional;
  if (sub !== 'start' && sub !== 'restart') [sub, target] = ['start', sub];
  if (target === undefined) return null; // forever list, forever stop …
  const via = `forever in ${call.via}`;
  const command = optionValues(parsed, '-c', '--command').at(-1);
  if (command !== undefined) return walk.script(command === null || target === null ? null : `${command} ${shellQuote(target)}`, 'a command', via, call.depth);
  if (target !== null && CONFIG_FILE.test(target)) {
    walk.use(target, via, { kind: 'unknown', why: `forever reads the apps it starts from ${target}, which stageopt does not read` });
    return null;
  }
  walk.use('node', via, { kind: 'runtime' });
  return null;
};

const LAUNCHERS = new Map<string, Launcher>([
  ['npm', npm],
  ['npx', npx],
  ['yarn', packageManager('yarn')],
  ['pnpm', packageManager('pnpm')],
  ['node', node],
  ['nodejs', node],
  ['ts-node', nodeLike],
  ['ts-node-dev', nodeLike],
  ['tsnd', nodeLike],
  ['tsx', nodeLike],
  ['babel-node', nodeLike],
  ['nodemon', nodemon],
  ['cross-env', crossEnv],
  ['cross-env-shell', crossEnvShell],
  ['env', env],
  ['dotenv', dotenv],
  ['concurrently', concurrently],
  ['npm-run-all', npmRunAll],
  ['run-s', npmRunAll],
  ['run-p', npmRunAll],
  ['sh', shell],
  ['bash', shell],
  ['dash', shell],
  ['ash', shell],
  ['zsh', shell],
  // Shell builtins: nothing to record of their own.
  ['exec', wrapper(['-a'], 0, false)],
  ['time', wrapper([], 0, false)],
  ['nohup', wrapper([])],
  ['nice', wrapper(['-n', '--adjustment'])],
  ['tini', wrapper(['-p', '-e', '-l'])],
  ['dumb-init', wrapper(['-r', '--rewrite'])],
  ['gosu', wrapper([], 1)],
  ['su-exec', wrapper([], 1)],
  ['pm2', pm2],
  ['pm2-runtime', pm2],
  ['pm2-dev', pm2],
  ['forever', forever],
]);

// ---------------------------------------------------------------------------------------------
// package-lock.json

/** The lock as the readers below take it: its text (parsed here) or, read once by the caller, parsed. */
function readLock(lock: string | NpmLock | null): NpmLock | null {
  return typeof lock === 'string' ? parseNpmLock(lock) : lock;
}

/** `node_modules/a/node_modules/@s/b` → `@s/b`; null for the root and for workspace folders. */
function packageOfLockPath(path: string): string | null {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return null;
  return path.slice(at + 'node_modules/'.length) || null;
}

/** Only a package directly under the root node_modules has its bins on the scripts' PATH. */
function isTopLevel(path: string): boolean {
  return /^node_modules\/(?:@[^/]+\/)?[^/]+$/.test(path);
}

/**
 * program → the packages providing it, from lockfile v2/v3 `packages` entries; null for v1 (and
 * anything unreadable), which has no bin information. Only packages at the top of node_modules
 * count: npm links a nested `node_modules/a/node_modules/b`'s bins into a/node_modules/.bin, off the
 * scripts' PATH, and counting a production nested copy would hide a pruned top-level one. A
 * workspace link (`link: true`) provides the bins of the folder it points to.
 */
export function npmLockBins(lockText: string | NpmLock | null): Map<string, string[]> | null {
  const lock = readLock(lockText);
  // Only a number is a version: an object there (`{"toString": "x"}`) made the comparison throw.
  const version = lock?.lockfileVersion ?? 1;
  if (!lock || typeof version !== 'number' || version < 2 || !lock.packages || typeof lock.packages !== 'object') return null;
  const bins = new Map<string, string[]>();
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (!isTopLevel(path) || !entry) continue;
    const pkg = packageOfLockPath(path)!;
    const source = entry.link && typeof entry.resolved === 'string' ? lock.packages[entry.resolved] : entry;
    const bin = source?.bin;
    // A string `bin` is named after the package (its name without the scope).
    const programs = typeof bin === 'string' ? [pkg.replace(/^@[^/]+\//, '')] : bin && typeof bin === 'object' ? Object.keys(bin) : [];
    for (const program of programs) bins.set(program, [...(bins.get(program) ?? []), pkg]);
  }
  return bins;
}

/**
 * Whether a package is pruned by `npm ci --omit=dev`, from the lockfile (v1, v2 or v3); null when
 * the lockfile does not list it. The copy at the top of node_modules answers, since that is the one
 * a bin or a `require` from the project finds; a package only nested answers dev when every copy is.
 * `devOptional` counts as dev: stageopt cannot tell whether the optional side keeps it installed.
 */
export function npmLockDevOnly(lockText: string | NpmLock | null): (pkg: string) => boolean | null {
  const lock = readLock(lockText);
  const topLevel = new Map<string, boolean>();
  const nested = new Map<string, boolean>();
  const note = (pkg: string, dev: boolean, top: boolean) => {
    if (top) topLevel.set(pkg, dev);
    else nested.set(pkg, (nested.get(pkg) ?? true) && dev);
  };
  if (lock?.packages && typeof lock.packages === 'object') {
    for (const [path, entry] of Object.entries(lock.packages)) {
      const pkg = packageOfLockPath(path);
      if (pkg && entry) note(pkg, entry.dev === true || entry.devOptional === true, isTopLevel(path));
    }
  } else if (lock?.dependencies && typeof lock.dependencies === 'object') {
    // Depth-capped as npmLockCounts is: a lockfile nested 100,000 levels deep overflowed the stack.
    const walk = (deps: Record<string, NpmLockV1Entry>, depth: number) => {
      if (depth > MAX_V1_DEPTH) return;
      for (const [pkg, entry] of Object.entries(deps)) {
        if (!entry) continue;
        note(pkg, entry.dev === true, depth === 0);
        if (entry.dependencies && typeof entry.dependencies === 'object') walk(entry.dependencies, depth + 1);
      }
    };
    walk(lock.dependencies, 0);
  }
  return (pkg) => topLevel.get(pkg) ?? nested.get(pkg) ?? null;
}

/** A package's required (not optional) peer dependencies, from lockfile v2/v3 entries; null when not listed. */
export function npmLockPeers(lockText: string | NpmLock | null): (pkg: string) => string[] | null {
  const lock = readLock(lockText);
  const packages = lock?.packages && typeof lock.packages === 'object' ? lock.packages : {};
  return (pkg) => {
    const entry = packages[`node_modules/${pkg}`];
    if (!entry) return null;
    return Object.keys(entry.peerDependencies ?? {}).filter((peer) => entry.peerDependenciesMeta?.[peer]?.optional !== true);
  };
}

/**
 * The StartPathProject of a parsed package.json and, when there is one, package-lock.json (its
 * text, or parsed once by the caller). Without a lockfile the direct dependencies answer for
 * dev-ness and nothing tells bins apart.
 */
export function startPathProject(manifest: PackageJson, npmLockText: string | NpmLock | null): StartPathProject {
  const keys = (field: string): string[] => {
    const value = manifest[field];
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
  };
  const scripts = stringScripts(manifest);
  const dependencies = new Set([...keys('dependencies'), ...keys('optionalDependencies')]);
  const devDependencies = new Set(keys('devDependencies'));
  const lock = readLock(npmLockText);
  const bins = lock === null ? null : npmLockBins(lock);
  const lockDevOnly = lock === null ? () => null : npmLockDevOnly(lock);
  const peers = lock === null ? () => null : npmLockPeers(lock);
  return {
    scripts,
    dependencies,
    devDependencies,
    binProviders: (program) => (bins === null ? null : (bins.get(program) ?? [])),
    isDevOnly: (pkg) => lockDevOnly(pkg) ?? (dependencies.has(pkg) ? false : devDependencies.has(pkg) ? true : null),
    requiredPeers: peers,
  };
}
