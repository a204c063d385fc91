// What a build stage leaves in its file system: which paths came from the build context (and from
// where in it), what its RUN commands wrote (a `go build -o` binary, a `dist/` folder, a venv,
// node_modules and whether it holds dev dependencies), and what they changed outside the app.
// Every RUN command must be one whose writes are known; otherwise the stage is not described at
// all, and the caller declines with the reason.
import path from 'node:path';
import { Copy, Env, Run, Workdir, type Instruction } from 'dockerfile-ast';
import type { BuildContext } from './build-context.js';
import { recognize } from './ecosystems.js';
import { buildScript, commandOutputs, scriptOutputs, type NodeBuild } from './stacks/node/build.js';
import { goBuildOutput } from './stacks/go/build-output.js';
import { readPackageJson } from './stacks/node/package-json.js';
import { andChain, flagValue } from './shell.js';
import { operandsOf, resolveRef, type Stage } from './stages.js';
import { imageWorkdir, joinWorkdir, workingFolders } from './workdirs.js';

export type ItemKind = 'file' | 'dir' | 'glob';

export interface Item {
  /** Absolute path in the stage; for a glob, the pattern (`/app/target/*.jar`). */
  path: string;
  kind: ItemKind;
  /** The role, for messages: "go build -o", "node_modules", "build output". */
  role: 'build' | 'deps' | 'folder';
}

export interface StageProducts {
  /** The stage's working folder at its end (absolute). */
  workdir: string;
  /** The image at the root of the stage's FROM chain. */
  baseImage: string | null;
  /** Everything RUN commands wrote that the run time may use, in the order they were written. */
  items: Item[];
  /** node_modules folders that hold dev dependencies, with the line of the install. */
  devNodeModules: { path: string; line: number }[];
  /** Folders that hold a package.json whose dependencies were installed (node_modules beside it). */
  nodePackages: string[];
  /** Writes outside any app folder (system packages, users): they matter when all of `/` is copied. */
  systemChanges: string[];
  /** Folders made by `mkdir` (run-time writable folders such as uploads/). */
  madeFolders: string[];
  /** Files put there by `COPY --from` or a download: unknown contents, with the line that wrote them. */
  foreign: { dest: string; line: number; what: string }[];
  /** The build-context path a stage path holds, or null when it did not come from the context. */
  contextPath(abs: string): string | null;
}

interface Mount {
  /** Absolute destination in the stage. */
  dest: string;
  /** Context path copied there ('' for the whole context). */
  src: string;
  dir: boolean;
}

export type Products = { ok: true; products: StageProducts } | { ok: false; reason: string };

/** The stages a stage is built on, oldest first (`FROM build AS test` → [build, test]); null when a FROM uses a variable. */
export function lineage(stage: Stage, stages: readonly Stage[]): Stage[] | null {
  const chain: Stage[] = [stage];
  for (let current = stage; current.image !== null; ) {
    const target = resolveRef({ value: current.image, inStage: current.index }, stages);
    if (target.kind === 'variable') return null;
    if (target.kind !== 'stage') break;
    current = stages[target.index]!;
    chain.unshift(current);
  }
  return chain;
}

export function isUnder(p: string, dir: string): boolean {
  return p === dir || dir === '/' || p.startsWith(dir.endsWith('/') ? dir : dir + '/');
}

// Commands that change the system (packages, users, certificates), never the app's folder.
const SYSTEM_COMMANDS = new Set(['apt-get', 'apt', 'apk', 'yum', 'dnf', 'microdnf', 'useradd', 'adduser', 'groupadd', 'addgroup', 'usermod', 'update-ca-certificates', 'ldconfig', 'corepack', 'locale-gen', 'dpkg-reconfigure']);
// npm/yarn/pnpm subcommands that write nothing the app folder keeps (caches live in the home folder).
const NODE_NO_WRITES = new Set(['cache', 'config', 'set', 'version', '--version', '-v', 'audit', 'ls', 'list', 'why', 'test']);
// Commands that write no file (without a redirection, which is refused before this list is read).
const HARMLESS = new Set(['true', 'echo', 'set', 'export', 'chown', 'chmod', 'ls', 'cat', 'pwd', 'whoami', 'env', 'printenv', 'id']);

class Walker {
  /** The working folder (WORKDIR, and `cd` while a RUN is read); `start` sets where the chain begins. */
  cwd = '/';
  private readonly mounts: Mount[] = [];
  /** What `rm` removed: a test per removal, for paths the context would otherwise still seem to supply. */
  private readonly removed: ((abs: string) => boolean)[] = [];
  private readonly env = new Map<string, string>();
  private readonly knownDirs = new Set<string>(['/']);
  readonly items: Item[] = [];
  readonly foreign: { dest: string; line: number; what: string }[] = [];
  readonly devNodeModules: { path: string; line: number }[] = [];
  readonly nodePackages: string[] = [];
  readonly systemChanges: string[] = [];
  readonly madeFolders: string[] = [];

  constructor(
    private readonly ctx: BuildContext,
    private readonly stages: readonly Stage[],
  ) {}

  /** Where the chain's first stage starts: its base image's WORKDIR (/go in the golang images). */
  start(dir: string): void {
    this.cwd = dir;
    this.knownDirs.add(dir);
  }

  /** Reads one instruction; a sentence when its effect on the file system cannot be told. */
  instruction(stage: Stage, instruction: Instruction): string | null {
    const line = instruction.getRange().start.line + 1;
    const keyword = instruction.getKeyword();
    if (instruction instanceof Workdir) {
      const next = joinWorkdir(this.cwd, instruction);
      if (next === null) return `WORKDIR at line ${line} uses a variable`;
      this.cwd = next;
      this.knownDirs.add(next);
      return null;
    }
    if (instruction instanceof Env) {
      for (const p of instruction.getProperties()) this.env.set(p.getName(), p.getValue() ?? '');
      return null;
    }
    if (keyword === 'SHELL') {
      const shell = operandsOf(instruction)[0] ?? '';
      return /(^|\/)(ba)?sh$/.test(shell) ? null : `SHELL at line ${line} sets ${shell || 'a shell'}, so RUN lines are not POSIX shell`;
    }
    if (keyword === 'COPY' || keyword === 'ADD') return this.copy(stage, instruction, line);
    if (instruction instanceof Run) return this.run(instruction, line);
    return null;
  }

  private copy(stage: Stage, instruction: Instruction, line: number): string | null {
    const flags = (instruction as Copy).getFlags?.() ?? [];
    if ((instruction as Copy).getHeredocs?.().length) return `${instruction.getKeyword()} at line ${line} writes a heredoc`;
    const ops = operandsOf(instruction);
    if (ops.length < 2) return `${instruction.getKeyword()} at line ${line} cannot be read`;
    if (ops.some((o) => o.includes('$'))) return `${instruction.getKeyword()} at line ${line} uses a variable in its paths`;
    const odd = flags.find((f) => !['chown', 'chmod', 'link', 'from'].includes(f.getName().toLowerCase()));
    if (odd) return `${instruction.getKeyword()} at line ${line} uses --${odd.getName()}`;
    const dest = ops[ops.length - 1]!;
    const sources = ops.slice(0, -1);
    const destAbs = path.posix.resolve(this.cwd, dest);
    const from = flags.find((f) => f.getName().toLowerCase() === 'from');
    if (from) {
      // Files from another stage or image: what they are is not known here. They only matter if
      // they land in a folder the runtime copies, which the caller checks with `foreignWrites`.
      const target = resolveRef({ value: from.getValue() ?? '', inStage: stage.index }, this.stages);
      this.foreign.push({ dest: destAbs, line, what: target.kind === 'stage' ? `stage ${from.getValue()}` : `${from.getValue()}` });
      return null;
    }
    if (instruction.getKeyword() === 'ADD' && sources.some((s) => /^(https?:|git@)|\.(tar|tgz|tar\.\w+|zip)$/.test(s))) {
      this.foreign.push({ dest: destAbs, line, what: 'a download or an archive' });
      return null;
    }
    const destIsDir = dest.endsWith('/') || dest === '.' || sources.length > 1 || this.knownDirs.has(destAbs);
    for (const raw of sources) {
      const src = path.posix.normalize(raw).replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
      if (src === '.' || src === '') {
        this.mounts.push({ dest: destAbs, src: '', dir: true });
      } else if (/[*?[]/.test(src)) {
        const dir = path.posix.dirname(src);
        const re = globRegExp(path.posix.basename(src));
        for (const name of this.ctx.list(dir) ?? []) {
          if (!re.test(name)) continue;
          const match = dir === '.' ? name : `${dir}/${name}`;
          if (this.ctx.isDirectory(match)) this.mounts.push({ dest: destAbs, src: match, dir: true });
          else this.mounts.push({ dest: path.posix.join(destAbs, name), src: match, dir: false });
        }
      } else if (this.ctx.isDirectory(src)) {
        this.mounts.push({ dest: destAbs, src, dir: true });
      } else {
        this.mounts.push({ dest: destIsDir ? path.posix.join(destAbs, path.posix.basename(src)) : destAbs, src, dir: false });
      }
    }
    if (destIsDir) this.knownDirs.add(destAbs);
    return null;
  }

  private run(run: Run, line: number): string | null {
    if (run.getHeredocs().length > 0) return `RUN at line ${line} runs a heredoc script`;
    let commands: { words: (string | null)[]; decorated: boolean }[];
    if (run.getOpeningBracket()) {
      commands = [{ words: run.getJSONStrings().map((s) => s.getJSONValue()), decorated: false }];
    } else {
      const chain = andChain(run.getArgumentsContent() ?? '');
      if (!chain.ok) return `RUN at line ${line} cannot be read (${chain.reason})`;
      commands = chain.commands;
    }
    const saved = this.cwd;
    try {
      for (const command of commands) {
        const problem = this.command(command.words, command.decorated, line);
        if (problem) return `RUN at line ${line} ${problem}`;
      }
    } finally {
      this.cwd = saved; // `cd` lasts for its RUN only
    }
    return null;
  }

  private command(words: (string | null)[], decorated: boolean, line: number): string | null {
    const shown = `"${words.map((w) => w ?? '…').join(' ')}"`;
    const cmd = words[0];
    if (cmd === null || cmd === undefined) return `runs ${shown}, whose command is not a plain word`;
    if (decorated) return `runs ${shown} with a redirection, whose output stageopt cannot tell`;
    const literal = words.every((w) => w !== null);
    const args = words.slice(1) as string[];
    if (SYSTEM_COMMANDS.has(cmd)) {
      this.systemChanges.push(`${shown} at line ${line}`);
      return null;
    }
    if (!literal) return `runs ${shown}, whose words hold variables or quotes stageopt does not read`;
    switch (cmd) {
      case 'cd':
        this.cwd = path.posix.resolve(this.cwd, args[0] ?? '/');
        return null;
      case 'rm':
        for (const a of args) if (!a.startsWith('-')) this.remove(path.posix.resolve(this.cwd, a));
        return null;
      case 'mkdir':
        for (const a of args) {
          if (a.startsWith('-')) continue;
          const dir = path.posix.resolve(this.cwd, a);
          this.madeFolders.push(dir);
          this.knownDirs.add(dir);
        }
        return null;
      case 'npm':
      case 'yarn':
      case 'pnpm':
        return this.nodeCommand(words as string[], line, shown);
      case 'npx':
      case 'tsc':
      case 'next':
      case 'vite':
      case 'nest':
      case 'ng':
      case 'webpack':
      case 'react-scripts':
      case 'prisma':
      {
        const dir = this.contextDir();
        if (dir === null) return `runs ${shown} in ${this.cwd}, which does not hold a folder of the build context`;
        return this.nodeBuild(commandOutputs(words, readPackageJson(this.ctx, dir) ?? {}, dir, this.ctx, new Set()), shown);
      }
      case 'go':
        return this.goCommand(args, shown);
      case 'pip':
      case 'pip3':
        return args[0] === 'install' ? this.pipInstall(args.slice(1), shown) : null;
      case 'python':
      case 'python3':
      case 'uv':
      case 'virtualenv':
        return this.pythonCommand(cmd, args, shown);
      case 'mvn':
      case 'mvnw':
      case './mvnw':
        return this.mavenCommand(args, shown);
      case 'gradle':
      case 'gradlew':
      case './gradlew':
        return this.gradleCommand(args, shown);
      case 'dotnet':
        return this.dotnetCommand(args, shown);
    }
    if (HARMLESS.has(cmd)) return null;
    if (args.length === 1 && /^(-v|-V|--version|version)$/.test(args[0]!)) return null; // `node --version`
    // A venv's own pip: `/opt/venv/bin/pip install -r requirements.txt` installs into that venv.
    if (/\/bin\/pip3?$/.test(cmd) && args[0] === 'install') return null;
    return `runs ${shown}, whose output stageopt cannot tell`;
  }

  private remove(abs: string): void {
    const glob = /[*?[]/.test(abs) ? globRegExp(abs, true) : null;
    const gone = (p: string) => (glob ? glob.test(p) : isUnder(p, abs));
    dropWhere(this.items, (item) => gone(item.path));
    this.removed.push(gone);
  }

  private add(item: Item): void {
    this.items.push(item);
  }

  /** The context folder the working folder holds, if it came from the context as a folder. */
  contextDir(): string | null {
    const dir = this.contextPath(this.cwd);
    return dir !== null && (dir === '' || this.ctx.isDirectory(dir)) ? dir : null;
  }

  contextPath(abs: string): string | null {
    if (this.removed.some((gone) => gone(abs))) return null;
    for (let i = this.mounts.length - 1; i >= 0; i--) {
      const m = this.mounts[i]!;
      if (m.dir && isUnder(abs, m.dest)) {
        const rel = path.posix.relative(m.dest, abs);
        const candidate = m.src === '' ? rel : rel === '' ? m.src : `${m.src}/${rel}`;
        if (candidate === '' || this.ctx.has(candidate)) return candidate;
      } else if (!m.dir && abs === m.dest) {
        return m.src;
      } else if (!m.dir && isUnder(m.dest, abs)) {
        // A folder that got single files (`COPY package*.json ./`) stands for the context folder
        // they came from: /app/package.json from package.json makes /app the context root.
        const rel = path.posix.relative(abs, m.dest);
        if (m.src === rel) return '';
        if (m.src.endsWith('/' + rel)) return m.src.slice(0, -rel.length - 1);
      }
    }
    return null;
  }

  private nodeCommand(words: string[], line: number, shown: string): string | null {
    const [cmd, sub] = words;
    const rest = words.slice(2);
    const global = words.includes('-g') || words.includes('--global') || (cmd === 'yarn' && sub === 'global');
    if (global) {
      this.systemChanges.push(`${shown} at line ${line}`);
      return null;
    }
    const modules = path.posix.join(this.cwd, 'node_modules');
    const prodFlag = rest.some((w) => /^--(omit=dev|production|prod|only=prod(uction)?)$/.test(w) || w === '-P');
    const prodEnv = this.env.get('NODE_ENV') === 'production' && !rest.includes('--include=dev') && !rest.includes('--production=false');
    const install = (cmd === 'npm' && ['ci', 'install', 'i', 'clean-install'].includes(sub ?? '')) || (cmd !== 'npm' && (sub === undefined || sub === 'install' || sub === 'i'));
    if (install) {
      // The package managers' own reading: `npm ci --loglevel warn` is a manifest install, and
      // `warn` is a flag's value, not a package.
      const recognized = recognize(words);
      if (recognized?.kind !== 'install') {
        if (recognized === null && cmd === 'npm') return null; // `npm install express` adds to what is there
        return `runs ${shown}, whose output stageopt cannot tell`;
      }
      if (this.contextDir() === null) return `runs ${shown} in ${this.cwd}, which does not hold a package.json from the build context`;
      this.forget(modules);
      this.add({ path: modules, kind: 'dir', role: 'deps' });
      if (!this.nodePackages.includes(this.cwd)) this.nodePackages.push(this.cwd);
      if (!prodFlag && !prodEnv) this.devNodeModules.push({ path: modules, line });
      return null;
    }
    if ((cmd === 'npm' || cmd === 'pnpm') && sub === 'prune') {
      if (prodFlag) this.dropDev(modules);
      return null;
    }
    if (cmd === 'yarn' && sub === 'workspaces' && words[2] === 'focus') {
      if (prodFlag) this.dropDev(modules);
      return null;
    }
    if (cmd === 'yarn' && sub === 'add') return null;
    const script = buildScript(words);
    if (script === null) return NODE_NO_WRITES.has(sub ?? '') ? null : `runs ${shown}, whose output stageopt cannot tell`;
    if (script === 'test' || script === 'lint') return null;
    const dir = this.contextDir();
    const pkg = dir === null ? null : readPackageJson(this.ctx, dir);
    if (dir === null || pkg === null) return `runs ${shown} in ${this.cwd}, which holds no package.json from the build context`;
    return this.nodeBuild(scriptOutputs(script, pkg, dir, this.ctx), shown);
  }

  private dropDev(modules: string): void {
    dropWhere(this.devNodeModules, (d) => d.path === modules);
  }

  private forget(p: string): void {
    dropWhere(this.items, (item) => item.path === p);
    this.dropDev(p);
  }

  private nodeBuild(build: NodeBuild | string, shown: string): string | null {
    if (typeof build === 'string') return `runs ${shown}: ${build}`;
    for (const out of build.outputs) {
      const abs = path.posix.resolve(this.cwd, out);
      this.forget(abs);
      this.add({ path: abs, kind: 'dir', role: 'build' });
    }
    return null;
  }

  private goCommand(args: string[], shown: string): string | null {
    const sub = args[0];
    if (sub === 'build') {
      const output = goBuildOutput(args.slice(1), this.cwd, this.ctx, (abs) => this.contextPath(abs));
      if ('problem' in output) return `runs ${shown}: ${output.problem}`;
      if ('nothing' in output) return null;
      if (output.folder) return `runs ${shown} into a folder, so the binary's name is not read`;
      const abs = path.posix.resolve(this.cwd, output.path);
      this.forget(abs);
      this.add({ path: abs, kind: 'file', role: 'build' });
      return null;
    }
    if (sub === 'install' || sub === 'get') {
      this.systemChanges.push(shown);
      return null;
    }
    return ['mod', 'vet', 'test', 'generate', 'env', 'version', 'clean'].includes(sub ?? '') ? null : `runs ${shown}, whose output stageopt cannot tell`;
  }

  private pipInstall(args: string[], shown: string): string | null {
    const into = flagValue(args, '--prefix', '--target', '-t', '--root');
    if (into !== null) {
      this.add({ path: path.posix.resolve(this.cwd, into), kind: 'dir', role: 'deps' });
      return null;
    }
    this.systemChanges.push(shown);
    return null;
  }

  private pythonCommand(cmd: string, args: string[], shown: string): string | null {
    if ((cmd === 'python' || cmd === 'python3') && args[0] === '-m') {
      if (args[1] === 'pip' || args[1] === 'pip3') return args[2] === 'install' ? this.pipInstall(args.slice(3), shown) : null;
      if (args[1] === 'venv' || args[1] === 'virtualenv') return this.venv(args.slice(2), shown);
    }
    if (cmd === 'uv' && args[0] === 'pip') return args[1] === 'install' ? this.pipInstall(args.slice(2), shown) : null;
    if (cmd === 'uv' && args[0] === 'venv') return this.venv(args.slice(1), shown);
    if (cmd === 'virtualenv') return this.venv(args, shown);
    return `runs ${shown}, whose output stageopt cannot tell`;
  }

  private venv(args: string[], shown: string): string | null {
    const dirs = args.filter((a) => !a.startsWith('-'));
    if (dirs.length !== 1) return `runs ${shown}, whose venv folder is not read`;
    this.add({ path: path.posix.resolve(this.cwd, dirs[0]!), kind: 'dir', role: 'deps' });
    return null;
  }

  private mavenCommand(args: string[], shown: string): string | null {
    const pom = flagValue(args, '-f', '--file');
    const dir = pom === null ? this.cwd : path.posix.resolve(this.cwd, pom.endsWith('.xml') ? path.posix.dirname(pom) : pom);
    const goals = args.filter((a) => !a.startsWith('-') && a !== pom);
    if (goals.some((g) => ['package', 'install', 'verify', 'deploy'].includes(g))) {
      this.add({ path: path.posix.join(dir, 'target', '*.jar'), kind: 'glob', role: 'build' });
      return null;
    }
    return goals.every((g) => g.startsWith('dependency:') || ['clean', 'compile', 'test', 'validate'].includes(g)) ? null : `runs ${shown}, whose output stageopt cannot tell`;
  }

  private gradleCommand(args: string[], shown: string): string | null {
    const tasks = args.filter((a) => !a.startsWith('-'));
    if (tasks.some((t) => ['build', 'bootJar', 'jar', 'assemble', 'shadowJar'].includes(t.replace(/^:/, '')))) {
      this.add({ path: path.posix.join(this.cwd, 'build', 'libs', '*.jar'), kind: 'glob', role: 'build' });
      return null;
    }
    if (tasks.includes('installDist')) {
      this.add({ path: path.posix.join(this.cwd, 'build', 'install'), kind: 'dir', role: 'build' });
      return null;
    }
    return tasks.every((t) => ['clean', 'dependencies', 'test', 'check', 'compileJava'].includes(t)) ? null : `runs ${shown}, whose output stageopt cannot tell`;
  }

  private dotnetCommand(args: string[], shown: string): string | null {
    const sub = args[0];
    if (sub === 'publish') {
      const out = flagValue(args, '-o', '--output');
      if (out === null) return `runs ${shown} without -o, so the output folder is not read`;
      this.add({ path: path.posix.resolve(this.cwd, out), kind: 'dir', role: 'build' });
      return null;
    }
    return ['restore', 'build', 'test', '--info', '--version'].includes(sub ?? '') ? null : `runs ${shown}, whose output stageopt cannot tell`;
  }
}

/** Removes, in place, the entries of a list that `gone` picks. */
function dropWhere<T>(list: T[], gone: (entry: T) => boolean): void {
  for (let i = list.length - 1; i >= 0; i--) if (gone(list[i]!)) list.splice(i, 1);
}

/** A shell glob (`*`, `?`, no classes) as a RegExp; `anchoredPath` lets `*` cross no `/`. */
export function globRegExp(glob: string, anchoredPath = false): RegExp {
  // Brackets are escaped too: a class would need its own reading, and a stray `[` (a broken
  // exec-form line read as a path) must not make an invalid expression.
  const body = glob.replace(/[.+^${}()|\\[\]]/g, '\\$&').replace(/\*/g, anchoredPath ? '[^/]*' : '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}${anchoredPath ? '(/.*)?' : ''}$`);
}

/**
 * Reads the stages of `chain` (oldest first) in build order — up to, not including, `until` when
 * given. Returns the products, or the first instruction whose effect cannot be told.
 */
export function readProducts(ctx: BuildContext, stages: readonly Stage[], chain: readonly Stage[], until?: Instruction): Products {
  const walker = new Walker(ctx, stages);
  walker.start(imageWorkdir(chain[0]?.image ?? null).dir);
  let stopped = false;
  for (const stage of chain) {
    for (const instruction of stage.instructions) {
      if (instruction === until) {
        stopped = true;
        break;
      }
      const problem = walker.instruction(stage, instruction);
      if (problem) return { ok: false, reason: problem };
    }
    if (stopped) break;
  }
  // With `until`, the stage as it is when that instruction starts: its working folder then.
  const workdir = stopped ? { dir: walker.cwd } : workingFolders(chain).end;
  if (workdir === null) return { ok: false, reason: 'a WORKDIR uses a variable' };
  return {
    ok: true,
    products: {
      workdir: workdir.dir,
      baseImage: chain[0]!.image,
      items: walker.items,
      devNodeModules: walker.devNodeModules,
      nodePackages: walker.nodePackages,
      systemChanges: walker.systemChanges,
      madeFolders: walker.madeFolders,
      foreign: walker.foreign,
      contextPath: (abs) => walker.contextPath(abs),
    },
  };
}
