// Node's split recipe. The runtime stage, on the slim variant of the same Node image, must rebuild
// after a source edit no slower than the original: its node_modules come from a step whose cache
// key is the manifests alone, so that an edit re-runs only what consumes sources (the build, and
// copying its output or the sources themselves). Three layouts, by what the stage does:
//
// - no build step (the sources are the app): the stage itself becomes the production-dependency
//   stage (`deps`: its install gains the production flag), and the sources it copied after the
//   install move to the runtime stage, which copies them from the build context as the original did;
// - a build step whose output is known (`npm run build` → tsc's outDir, a framework's folder): the
//   stage stays the build stage, a `deps` stage repeats its instructions up to the install with the
//   production flag, and the runtime receives the deps stage's app folder, the sources from the
//   build context and the build output from the build stage;
// - an install that needs the sources (a lifecycle hook that runs project code, a `file:`
//   dependency): the original's rebuilds re-run the install already, and the rewrite says it does
//   too (the install keeps its place; with a build step, a prune follows the build).
//
// "Production" is the manager's flag on the install (`--omit=dev`, `--production`, `--prod`), or for
// yarn 2+, which has neither, `yarn workspaces focus --all --production` in its place (yarn-berry.ts).
//
// Programs the start path runs from dev dependencies keep the dev dependencies in the runtime.
import path from 'node:path';
import type { Run } from 'dockerfile-ast';
import { recognize, planManifests } from '../../ecosystems.js';
import { insertAt, replaceSpan, type TextEdit } from '../../edits.js';
import { readOsInstall } from '../../os-packages.js';
import { programNeed } from '../../runtime-images.js';
import { calledCommands, type SimpleCommand } from '../../shell.js';
import { isUnder } from '../../stage-products.js';
import { copiesFrom, copiesFromContext, globalArgs, isBroadCopy, operandsOf, parseImage } from '../../stages.js';
import { isScratchOnly } from '../housekeeping.js';
import { runScript } from '../run-script.js';
import { droppedPackages, estimateSaving, PACKAGE_MB } from '../saving.js';
import { Decline, lineOf, type CommandStep, type PlanInput, type ProgramUse, type RuntimeImage, type RuntimeNeeds, type SplitRecipe, type SplitSession, type SplitStage, type StackPlan, slimRuntimeImage } from '../split.js';
import { copiedInstruction, instructionText } from '../stage-text.js';
import { commandOutputs, scriptOutputs } from './build.js';
import { globalBins, isGlobalSetup } from './globals.js';
import { compilerAtStart } from './compile-at-start.js';
import { bundledNpmMajor, installsProductionOnly, nodeMajor, productionFlag, pruneCommand, type NodePackageManager } from './image.js';
import { readNpmLock, treeCounts, type NpmLock } from './lockfile.js';
import { readPackageJson, type PackageJson } from './package-json.js';
import { scriptStarted } from './scripts.js';
import { devOrUnknownUse, readStartPath, startPathProject, type StartUse } from './start-path.js';
import { BERRY_PRODUCTION_INSTALL, readYarnBerry, type YarnBerry } from './yarn-berry.js';

export const nodeSplit: SplitRecipe = {
  family: 'node',
  detects: () => true,
  isFolderIndependent: (words) => isGlobalSetup(words),
  buildsAtImageRoot: true,
  runtimeHasBuildUsers: true,
  begin: (split) => new NodeSplit(split),
};

/** The dependency install the split is built around: where it is and how to make it production-only. */
interface InstallStep {
  index: number;
  run: Run;
  manager: NodePackageManager;
  words: string[];
  /** Where the install command starts, for a production install that is another command (yarn 2+). */
  commandAt: number;
  /** Where the production flag goes: right after the install command's last word. */
  flagAt: number;
}

/** The root package's scripts that npm, yarn and pnpm run as part of an install. */
const INSTALL_HOOKS = ['preinstall', 'install', 'postinstall', 'preprepare', 'prepare', 'postprepare'];

/** The lockfile each manager writes, the one it writes first. */
const LOCKFILES: Record<NodePackageManager, string[]> = { npm: ['package-lock.json', 'npm-shrinkwrap.json'], yarn: ['yarn.lock'], pnpm: ['pnpm-lock.yaml'] };

/** How an install is made production-only: a flag added to it, or (yarn 2+) another command in its place. */
type ProductionInstall = { kind: 'flag'; text: string } | { kind: 'command'; text: string };

/** A command of a build step after the install, read for what it writes into the app folder. */
interface LaterCommand {
  index: number;
  words: string[];
  shown: string;
}

// npm/yarn/pnpm subcommands that leave nothing the runtime reads in the app folder.
const QUIET_SUBCOMMANDS = new Set(['prune', 'cache', 'config', 'set', 'version', '-v', '--version', 'ls', 'list', 'doctor', 'info', 'view', 'whoami', 'ping', 'store']);

type Layout =
  | { kind: 'deps-in-place' }
  | { kind: 'deps-stage'; outputs: { index: number; paths: string[] }[] }
  | { kind: 'prune' }
  | { kind: 'whole-folder' };

export class NodeSplit implements SplitSession {
  /** The package manager of the dependency install, once one is seen. */
  install: NodePackageManager | null = null;
  protected installStep: InstallStep | null = null;
  private later: LaterCommand[] = [];
  /** `npm install -g` packages: global, so outside the app folder; installed again in the runtime. */
  private globals: string[] = [];
  /** Why the runtime keeps dev dependencies (the start path runs a program only they provide), or null. */
  private devNeeded: string | null = null;
  private layoutCache: { layout: Layout; note: string | null } | null = null;
  /**
   * Where the install's RUN moved node_modules (`npm install && mv node_modules ../`, which Node
   * still finds from the app folder by walking up; a pattern that survives a bind mount of the app
   * folder in development), or null: the runtime copies it to the same place.
   */
  private movedModules: string | null = null;
  /** Yarn 2+ read from the project (null: another package manager, or yarn classic). */
  private berry: YarnBerry | null = null;
  /** package.json and the npm lockfile of the build context, each read and parsed once per file. */
  private files: { pkg: PackageJson | null; npmLock: NpmLock | null } | null = null;
  readonly needsShellForPrograms = false;

  constructor(protected readonly split: SplitStage) {}

  takesVariableValues(cmd: string): boolean {
    return cmd === 'npm' || cmd === 'yarn' || cmd === 'pnpm';
  }

  readCommand(step: CommandStep, needs: RuntimeNeeds): boolean {
    const { words: literal, at, run } = step;
    const cmd = literal[0]!;
    if (cmd === 'mv' && this.installStep?.index === step.index) {
      const moved = movedModules(literal, this.split.appDir);
      if (moved !== null) {
        this.movedModules = moved;
        return true;
      }
    }
    if (cmd === 'npm' || cmd === 'yarn' || cmd === 'pnpm') {
      const sub = literal[1];
      const global = literal.includes('-g') || literal.includes('--global') || (cmd === 'yarn' && sub === 'global');
      if (global) {
        if (cmd !== 'npm' || !['install', 'i', 'add'].includes(sub ?? '')) throw new Decline(`${at} installs globally with ${cmd}; install it in the runtime stage by hand`, run);
        this.globals.push(...literal.slice(2).filter((w) => !w.startsWith('-')));
        needs.globalSetup.push(literal.join(' '));
        return true;
      }
      if (['ci', 'install', 'i', 'clean-install'].includes(sub ?? '') || (cmd === 'yarn' && (sub === undefined || sub.startsWith('-')))) {
        if (literal.slice(2).some((w) => w.startsWith('--prefix'))) throw new Decline(`${at} installs into another folder (--prefix)`, run);
        if (this.install === null) {
          this.install = cmd;
          this.installStep = { index: step.index, run, manager: cmd, words: literal, commandAt: step.scriptStart + step.command.start, flagAt: step.scriptStart + step.command.end };
          return true;
        }
      }
      if (this.installStep !== null) this.later.push({ index: step.index, words: literal, shown: step.shown });
      return true; // scripts, tests, builds and prunes work inside the app folder
    }
    if (cmd === 'corepack') {
      // `corepack enable` puts pnpm and yarn shims in /usr/local/bin: the runtime needs them too.
      needs.globalSetup.push(literal.join(' '));
      if (literal[1] === 'enable') this.globals.push('pnpm', 'yarn');
      return true;
    }
    if (cmd === 'npx' || cmd === 'tsc' || cmd === 'node') {
      if (this.installStep !== null) this.later.push({ index: step.index, words: literal, shown: step.shown });
      return true;
    }
    return false;
  }

  provides(program: string): boolean {
    return this.globals.some((g) => globalBins(g).includes(program));
  }

  protected projectFiles(): { pkg: PackageJson | null; npmLock: NpmLock | null } {
    const ctx = this.split.ctx.buildContext;
    this.files ??= { pkg: readPackageJson(ctx, ''), npmLock: this.install === 'npm' || this.install === null ? readNpmLock(ctx) : null };
    return this.files;
  }

  /**
   * Follows the start path (CMD, ENTRYPOINT, HEALTHCHECK, the scripts and launchers they run) to
   * every program it executes: one that only a dev dependency provides keeps the dev dependencies;
   * an OS program the slim image lacks is installed there; one nothing can be told of declines.
   */
  checkStart(_programs: readonly ProgramUse[], nodeCommands: readonly string[][]): string[] {
    const { ctx, stage, instructions } = this.split;
    const at = instructions.find((i) => i.getKeyword() === 'CMD' || i.getKeyword() === 'ENTRYPOINT') ?? stage.from;
    if (ctx.buildContext.root === null) throw new Decline('the build context is unknown, so package.json cannot be read', stage.from);
    if (ctx.buildContext.readText('package.json') === null) throw new Decline(`package.json is not in the build context ${ctx.buildContext.root}`, stage.from);
    const { pkg, npmLock } = this.projectFiles();
    if (pkg === null) throw new Decline('package.json is not valid JSON', stage.from);
    const read = readStartPath(startPathProject(pkg, npmLock), nodeCommands, { readScript: (script) => calledCommands(script, { quoted: true }) });
    if ('problem' in read) throw new Decline(`the start path cannot be followed: ${read.problem}`, at);
    const packages: string[] = [];
    const needsDev: StartUse[] = [];
    // `unknown` uses first learn from the OS table: `curl` in a script is no package bin.
    for (const use of read.uses) {
      const { provider, program } = use;
      if (provider.kind === 'runtime' || (provider.kind === 'package' && !provider.dev) || this.provides(program)) continue;
      if (provider.kind === 'package') {
        needsDev.push(use);
        continue;
      }
      // A file of the app (`./start.sh`, `dist/server.js`) comes with the app folder.
      if (program.includes('/') || /\.(m?js|cjs|ts|sh)$/.test(program)) continue;
      const need = programNeed(program, 'node');
      if (need.kind === 'present') continue;
      if (need.kind === 'package') {
        packages.push(need.name);
        continue;
      }
      // Neither a package the metadata names nor a program the slim image is known to have or
      // install: keeping the dev dependencies would not bring it if it is an OS program.
      if (provider.kind === 'system') throw new Decline(`${use.via} runs "${program}"; cannot tell whether the runtime image has it`, at);
      throw new Decline(`${use.via} runs "${program}": ${provider.why}, and the slim image is not known to have it`, at);
    }
    this.devNeeded = needsDev.length === 0 ? null : devOrUnknownUse(needsDev);
    // A start path that compiles at start (babel-node, ts-node, a dev server) runs the sources: the
    // split declines, unless told to keep the dev dependencies so that it compiles as before.
    const compiling = needsDev.map((use) => ({ use, compiler: compilerAtStart(use) })).find((c) => c.compiler !== null);
    if (compiling && this.devNeeded) {
      const fact = `${compiling.use.via} compiles at start (${compiling.compiler})`;
      if (!ctx.options.splitCompilingAtStart) {
        throw new Decline(`${fact}; a split would have to change ${at.getKeyword()} to run a build output instead (set the splitCompilingAtStart option to split keeping the dev dependencies)`, at);
      }
      this.devNeeded = `${fact}; a split that ran a build output instead would change ${at.getKeyword()}: ${this.devNeeded}`;
    }
    return packages;
  }

  runtimeImage(): RuntimeImage {
    return slimRuntimeImage(this.split, 'node', this.split.ctx.options.nodeRuntimeImage, this.install !== null);
  }

  stageName(): string | undefined {
    return this.layout().layout.kind === 'deps-in-place' ? this.split.ctx.options.depsName : undefined;
  }

  /** The npm major of the base image, or null when its tag does not tell. */
  protected npmMajor(): number | null {
    const { ctx, stage } = this.split;
    const major = nodeMajor(parseImage(stage.image!), globalArgs(ctx.source));
    return major === null ? null : bundledNpmMajor(major);
  }

  protected prune(): string[] {
    if (this.install === null) return [];
    const prune = pruneCommand(this.install, this.npmMajor());
    if (prune === null) throw new Decline('dependencies are installed with yarn, which has no prune; the install needs the sources, so the production dependencies cannot be installed apart', this.split.stage.from);
    return [`RUN ${prune}`];
  }

  plan(input: PlanInput): StackPlan {
    const { appDir, ctx, stage } = this.split;
    const { layout, note } = this.layout();
    const pkg = this.projectFiles().pkg ?? {};
    const keepsDev = this.devNeeded !== null || this.alreadyProduction();
    const saving = this.saving(input, pkg, keepsDev);
    const what = (base: string) => [base, note, this.devNeeded ? `dev dependencies kept: ${this.devNeeded.replace(/, which the runtime stage leaves out$/, '')}` : null].filter(Boolean).join('; ');

    if (layout.kind === 'whole-folder' || layout.kind === 'prune') {
      const tail = layout.kind === 'prune' && this.devNeeded === null && !this.alreadyProduction() ? this.prune() : [];
      const payload = [...input.installLines, `COPY --from=${input.buildName} ${appDir} ${appDir}`];
      const base = this.install === null ? 'the app folder (nothing is installed)' : tail.length > 0 ? 'production dependencies only' : 'the app folder';
      return { buildEdits: [], buildTail: tail, payload, runtimeBefore: new Map(), what: what(base), saving };
    }

    const install = this.installStep!;
    const production: ProductionInstall | null = keepsDev ? null : this.berry !== null ? { kind: 'command', text: BERRY_PRODUCTION_INSTALL } : { kind: 'flag', text: productionFlag(install.manager, this.npmMajor()) };
    const flag = production?.text ?? null;
    const firstBuild = this.split.roles.indexOf('build');
    const runtimeBefore = new Map<number, string[]>([[firstBuild, [...input.installLines]]]);
    const runtimeAt = new Map<number, string[]>();

    if (layout.kind === 'deps-in-place') {
      const buildEdits: TextEdit[] = production === null ? [] : production.kind === 'flag' ? [insertAt(install.flagAt, ` ${production.text}`)] : [replaceSpan({ start: install.commandAt, end: install.flagAt }, production.text)];
      runtimeAt.set(install.index, this.depsCopies(input.buildName));
      const moveToRuntime = this.stepsAfterInstall().filter((i) => this.isContextCopy(i) || this.isHousekeeping(i));
      const fromManifests = note === null;
      const base = fromManifests
        ? `${this.devNeeded ? 'all' : 'production'} dependencies installed from the manifests alone${flag ? ` (${flag})` : ''} and the sources from the build context`
        : `${this.devNeeded ? 'all' : 'production'} dependencies${flag ? ` (${flag})` : ''} and the sources`;
      return { buildEdits, buildTail: [], payload: [], runtimeBefore, runtimeAt, moveToRuntime, what: what(base), saving };
    }

    // A deps stage: the build stage's instructions up to the install, the install made production-only.
    const depsName = this.depsStageName(input.buildName);
    const deps = [`FROM ${stage.image} AS ${depsName}`, ...this.depsLines(install, production)];
    runtimeAt.set(install.index, this.depsCopies(depsName));
    for (const i of this.stepsAfterInstall()) {
      if (this.isContextCopy(i) || this.isHousekeeping(i)) runtimeAt.set(i, [copiedInstruction(ctx.source, this.split.instructions[i]!)]);
    }
    const outputs: string[] = [];
    for (const { index, paths } of layout.outputs) {
      const lines = paths.map((p) => {
        const abs = path.posix.join(appDir, p);
        return `COPY --from=${input.buildName} ${abs} ${abs}`;
      });
      runtimeAt.set(index, [...(runtimeAt.get(index) ?? []), ...lines]);
      outputs.push(...paths);
    }
    const base = `${this.devNeeded ? 'all' : 'production'} dependencies from a stage that installs them from the manifests alone (${depsName}${flag ? `, ${flag}` : ''}), the sources from the build context and the build output (${[...new Set(outputs)].join(', ') || 'none'})`;
    return { buildEdits: [], buildTail: [], payload: [], runtimeBefore, runtimeAt, stagesBefore: [deps], what: what(base), saving };
  }

  /** Which layout the stage allows, and the note the fix message carries about rebuilds. */
  protected layout(): { layout: Layout; note: string | null } {
    if (this.layoutCache === null) this.layoutCache = this.chooseLayout();
    return this.layoutCache;
  }

  private chooseLayout(): { layout: Layout; note: string | null } {
    const chosen = this.chooseFolderLayout();
    if (this.movedModules !== null && (chosen.layout.kind === 'prune' || chosen.layout.kind === 'whole-folder')) {
      throw new Decline(`RUN at line ${lineOf(this.installStep!.run)} moves node_modules to ${this.movedModules}, out of the app folder, where the prune after the build would not find it`, this.installStep!.run);
    }
    if (this.split.appDir === '/') this.checkImageRoot(chosen.layout);
    return chosen;
  }

  private chooseFolderLayout(): { layout: Layout; note: string | null } {
    const install = this.installStep;
    if (install === null) return { layout: { kind: 'whole-folder' }, note: null };
    const { instructions, ctx, appDir } = this.split;
    const pkg = this.projectFiles().pkg ?? {};
    this.berry = install.manager === 'yarn' ? readYarnBerry(pkg, ctx.buildContext) : null;
    if (this.berry !== null && !this.berry.ok) throw new Decline(this.berry.reason, install.run);

    const broad = instructions.slice(0, install.index).find((i) => isBroadCopy(i));
    const hasBuild = this.buildCommands().length > 0 || this.installRunBuilds();
    if (broad !== undefined) {
      // manifest-first runs before this transform in every round: an install still after the
      // sources is one it could not move (or was told not to). The original re-runs that install on
      // every source edit already; the rewrite does no more, and says why.
      const recognized = recognize(install.words);
      const planned = recognized?.kind === 'install' ? planManifests(recognized.install, ctx.buildContext, []) : { ok: false as const, reason: 'the install cannot be read' };
      const why = planned.ok
        ? `it runs after ${broad.getKeyword()} at line ${lineOf(broad)} brings in the sources (manifest-first moves it ahead of them where nothing in between needs the sources; the split then keeps it cached)`
        : `the install needs the sources because ${planned.reason}`;
      const note = `rebuilds re-run the ${hasBuild ? 'install and the prune' : 'install'}, as the original's re-run its install: ${why}`;
      return hasBuild ? { layout: { kind: 'prune' }, note } : { layout: { kind: 'deps-in-place' }, note };
    }
    if (this.installRunBuilds()) {
      throw new Decline(`RUN at line ${lineOf(install.run)} installs and builds in one step; the production dependencies cannot be installed apart`, install.run);
    }
    if (!hasBuild) {
      const stray = this.stepsAfterInstall().find((i) => !this.isContextCopy(i) && !this.isHousekeeping(i) && !this.isSourceFree(i));
      if (stray === undefined) return { layout: { kind: 'deps-in-place' }, note: null };
      const at = instructions[stray]!;
      throw new Decline(`${at.getKeyword()} at line ${lineOf(at)} comes after the install and neither builds nor only copies files; what it leaves in ${appDir} cannot be told`, at);
    }
    if (instructions.slice(0, install.index).some((i) => i.getKeyword() === 'COPY' && copiesFrom(i))) {
      throw new Decline(`a COPY --from before the install at line ${lineOf(install.run)} would have to be repeated in the production-dependency stage`, install.run);
    }
    if (!this.appFolderIsContextRoot()) {
      throw new Decline(`the build output cannot be told: no COPY puts the build context's root in ${appDir}`, install.run);
    }
    const outputs: { index: number; paths: string[] }[] = [];
    for (const command of this.buildCommands()) {
      const found = this.outputsOf(command, pkg);
      const at = instructions[command.index]!;
      if (typeof found === 'string') {
        throw new Decline(`RUN at line ${lineOf(at)}: ${found}; without knowing what it writes, a split would have to prune after the sources and copy node_modules again on every source edit`, at);
      }
      const bad = found.find((p) => p === '.' || p === '' || p.split('/')[0] === 'node_modules' || p.startsWith('..'));
      if (bad !== undefined) throw new Decline(`RUN at line ${lineOf(at)} writes its output to ${bad === '' ? '.' : bad}, which the runtime cannot take apart from node_modules`, at);
      if (found.length > 0) outputs.push({ index: command.index, paths: found });
    }
    return { layout: { kind: 'deps-stage', outputs }, note: null };
  }

  /** What one build command (of buildCommands) writes into the app folder: paths relative to it, or why that cannot be told. */
  private outputsOf(command: LaterCommand, pkg: PackageJson): string[] | string {
    if (command.words.includes('prisma') && command.words.includes('generate')) return '"prisma generate" writes its client into node_modules, which the production dependencies come without';
    const started = scriptStarted(command.words);
    const found = started !== null && started.extra === 0 ? scriptOutputs(started.name, pkg, '', this.split.ctx.buildContext) : commandOutputs(command.words, pkg, '', this.split.ctx.buildContext, new Set());
    return typeof found === 'string' ? found : found.outputs.map((p) => path.posix.normalize(p).replace(/\/+$/, ''));
  }

  /** Later commands that may write into the app folder (everything but a repeated install and quiet subcommands). */
  private buildCommands(): LaterCommand[] {
    return this.later.filter((c) => {
      const [cmd, sub] = c.words;
      const manager = cmd === 'npm' || cmd === 'yarn' || cmd === 'pnpm';
      return !(manager && (QUIET_SUBCOMMANDS.has(sub ?? '') || recognize(c.words)?.kind === 'install'));
    });
  }

  /** The install's own RUN also builds (`npm ci && npm run build`). */
  private installRunBuilds(): boolean {
    return this.buildCommands().some((c) => c.index === this.installStep!.index);
  }

  protected stepsAfterInstall(): number[] {
    const { roles } = this.split;
    const out: number[] = [];
    for (let i = this.installStep!.index + 1; i < roles.length; i++) if (roles[i] === 'build') out.push(i);
    return out;
  }

  /**
   * What the runtime takes from the stage that installed the dependencies. In an app folder, the
   * folder. At the image root the folder is the whole system: only `node_modules` (and the
   * lockfile the install wrote, when the context has none) by name, and the files the original
   * copied before its install again from the build context.
   */
  private depsCopies(from: string): string[] {
    const { appDir, instructions, roles, ctx } = this.split;
    const moved = this.movedModules === null ? [] : [`COPY --from=${from} ${this.movedModules} ${this.movedModules}`];
    if (appDir !== '/') return [`COPY --from=${from} ${appDir} ${appDir}`, ...moved];
    const install = this.installStep!;
    const lines = [`COPY --from=${from} /node_modules /node_modules`, ...moved];
    const lockfile = LOCKFILES[install.manager];
    if (!lockfile.some((f) => ctx.buildContext.has(f))) lines.push(`COPY --from=${from} /${lockfile[0]} /${lockfile[0]}`);
    for (let i = 0; i < install.index; i++) {
      if (roles[i] === 'build' && this.isContextCopy(i)) lines.push(copiedInstruction(ctx.source, instructions[i]!));
    }
    return lines;
  }

  /**
   * An app at the image root splits only where what its build made can be named: the dependencies
   * (a deps layout), and before the install nothing but copies from the build context and steps
   * that work anywhere (OS packages, global tools). Anything else would be left behind in the
   * deps stage, since the runtime cannot copy "/".
   */
  private checkImageRoot(layout: Layout): void {
    const { instructions, roles, stage } = this.split;
    const why = 'the app is built at the image root (no WORKDIR)';
    if (layout.kind === 'whole-folder' || layout.kind === 'prune') {
      throw new Decline(`${why}, and ${this.installStep === null ? 'nothing is installed' : 'its install runs after the sources and a build'}: what the runtime needs cannot be named apart from the root folder, which is the whole system`, this.installStep?.run ?? stage.from);
    }
    const pkg = this.projectFiles().pkg;
    if (pkg?.workspaces !== undefined) throw new Decline(`${why}, with workspaces: their node_modules folders lie beside the system's folders, so they cannot be copied by name`, this.installStep!.run);
    // The project's own install hooks run in the root folder and may write anywhere in it.
    const hook = INSTALL_HOOKS.find((h) => typeof pkg?.scripts?.[h] === 'string');
    if (hook !== undefined) throw new Decline(`${why}, and package.json's ${hook} script runs at the install: what it writes in the root folder cannot be named`, this.installStep!.run);
    for (let i = 0; i < this.installStep!.index; i++) {
      if (roles[i] !== 'build' || this.isContextCopy(i) || this.isSourceFree(i)) continue;
      const at = instructions[i]!;
      throw new Decline(`${why}: ${at.getKeyword()} at line ${lineOf(at)} comes before the install, and what it leaves in the root folder would stay in the deps stage`, at);
    }
  }

  /** A COPY or ADD from the build context (not from another stage or image). */
  protected isContextCopy(i: number): boolean {
    return copiesFromContext(this.split.instructions[i]!);
  }

  /** A RUN of file housekeeping in the app folder only (`mkdir -p logs`, `chown -R node .`): it can run again in the runtime. */
  private isHousekeeping(i: number): boolean {
    const commands = this.runCommands(i);
    return commands !== null && commands.length > 0 && commands.every((c) => isScratchOnly(c.words, this.split.appDir, c.decorated) || isPermissionChange(c.words));
  }

  /** A RUN that reads nothing from the app folder (OS packages, global tools): the runtime installs those itself. */
  private isSourceFree(i: number): boolean {
    const commands = this.runCommands(i);
    return commands !== null && commands.every((c) => readOsInstall(c.words) !== null || isGlobalSetup(c.words));
  }

  private runCommands(i: number): SimpleCommand[] | null {
    const instruction = this.split.instructions[i]!;
    if (instruction.getKeyword() !== 'RUN') return null;
    const chain = runScript(this.split.ctx.source, instruction as Run)?.chain;
    return chain?.ok ? chain.commands : null;
  }

  /** Whether a broad COPY puts the build context's root in the app folder, where package.json is read. */
  private appFolderIsContextRoot(): boolean {
    const { instructions, workdirs, appDir } = this.split;
    let current = '/';
    for (let i = 0; i < instructions.length; i++) {
      const workdir = workdirs.get(i);
      if (workdir !== undefined) current = workdir;
      const instruction = instructions[i]!;
      if (!isBroadCopy(instruction)) continue;
      const dest = operandsOf(instruction).at(-1)!;
      const resolved = path.posix.normalize(dest.startsWith('/') ? dest : path.posix.join(current, dest)).replace(/(.)\/+$/, '$1');
      if (resolved === appDir) return true;
    }
    return false;
  }

  /** The deps stage's lines: every instruction before the install as the build stage has it, then the install. */
  private depsLines(install: InstallStep, production: ProductionInstall | null): string[] {
    const { instructions, roles, ctx, workdirs } = this.split;
    const lines: string[] = [];
    for (let i = 0; i < install.index; i++) {
      if (roles[i] === 'runtime') continue;
      lines.push(copiedInstruction(ctx.source, instructions[i]!, workdirs.get(i)));
    }
    const start = ctx.source.lineStart(install.run.getRange().start.line);
    const at = install.flagAt - start;
    const run = copiedInstruction(ctx.source, install.run);
    if (production === null) lines.push(run);
    else if (production.kind === 'flag') lines.push(`${run.slice(0, at)} ${production.text}${run.slice(at)}`);
    else lines.push(`${run.slice(0, install.commandAt - start)}${production.text}${run.slice(at)}`);
    return lines;
  }

  private depsStageName(buildName: string): string {
    const { depsName, runtimeName } = this.split.ctx.options;
    return depsName === buildName || depsName === runtimeName ? `${buildName}-deps` : depsName;
  }

  /** The original already leaves dev dependencies out: `--production`/`--omit=dev`, or NODE_ENV=production before the install. */
  protected alreadyProduction(): boolean {
    const install = this.installStep;
    if (install === null) return false;
    if (installsProductionOnly(install.words)) return true;
    const { instructions, ctx } = this.split;
    return instructions.slice(0, install.index).some((i) => i.getKeyword() === 'ENV' && /\bNODE_ENV=["']?production\b|\bNODE_ENV\s+["']?production\b/.test(instructionText(ctx.source, i)));
  }

  private saving(input: PlanInput, pkg: PackageJson, keepsDev: boolean): StackPlan['saving'] {
    const { stage } = this.split;
    const counts = this.install === null ? { total: 0, devOnly: 0, source: 'package.json' as const } : treeCounts(this.install, pkg, this.projectFiles().npmLock);
    const dev = keepsDev ? 0 : counts.devOnly;
    const shared = (counts.total - dev) * PACKAGE_MB + 5;
    const why = this.alreadyProduction() ? 'the install already leaves dev dependencies out' : this.devNeeded ? 'the start path needs the dev dependencies' : null;
    const devNote = dev > 0 ? { mb: dev * PACKAGE_MB, note: `dev-only packages left behind: ${dev} of ${counts.total}` } : null;
    const saving = estimateSaving(stage.image!, input.image, shared, [devNote, droppedPackages(input.needs.buildOnlyPackages)]);
    if (dev === 0) saving.notes.push(why ?? (counts.total === 0 ? 'no dependencies' : 'no dev dependencies'));
    return saving;
  }
}

/** `chmod +x start.sh`, `chown -R node:node .`: permissions inside the app folder, which the runtime can set again. */
function isPermissionChange(words: readonly (string | null)[]): boolean {
  return (words[0] === 'chmod' || words[0] === 'chown') && words.every((w) => w !== null && !w.startsWith('/'));
}

// Folders every base image has: `mv node_modules /opt` puts it inside them.
const EXISTING_DIRS = new Set(['/', '/opt', '/usr', '/usr/src', '/usr/local', '/srv', '/home', '/var', '/tmp']);

/** `mv node_modules ../`, `mv /app/node_modules /node_modules`: where node_modules of `appDir` goes, or null. */
function movedModules(words: readonly string[], appDir: string): string | null {
  const args = words.slice(1);
  if (args.some((w) => w.startsWith('-')) || args.length !== 2) return null;
  const resolve = (w: string) => path.posix.normalize(path.posix.join(w.startsWith('/') ? '/' : appDir, w));
  const from = resolve(args[0]!).replace(/(.)\/$/, '$1');
  if (from !== path.posix.join(appDir, 'node_modules')) return null;
  const to = resolve(args[1]!).replace(/(.)\/$/, '$1');
  const intoFolder = args[1]!.endsWith('/') || EXISTING_DIRS.has(to) || isUnder(appDir, to);
  const dest = intoFolder ? path.posix.join(to, 'node_modules') : to;
  return isUnder(dest, appDir) ? null : dest;
}
