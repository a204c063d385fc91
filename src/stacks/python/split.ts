// Python's split recipe: pip, `pipenv install --system` and `poetry install` put the app's
// dependencies into a virtualenv (the file's own, or one made just before the first install, the
// `pip install pipenv` of the tool included), which the runtime stage copies and puts first on
// PATH; the runtime is the slim
// variant of the same Python image. When nothing but copies from the build context follows the
// installs (the usual `COPY requirements.txt .`, `pip install -r`, `COPY . .`), the copies move to
// the runtime, which takes the virtualenv from the stage that installed it (`deps`) and the sources
// from the context: a source edit re-runs one copy, as in the original, not a copy in each stage.
import path from 'node:path';
import type { Instruction, Run } from 'dockerfile-ast';
import { insertAt } from '../../edits.js';
import { droppedPackages, estimateSaving } from '../saving.js';
import { Decline, lineOf, type CommandStep, type ProgramUse, type PlanInput, type RuntimeImage, type SplitRecipe, type SplitSession, type SplitStage, type StackPlan, slimRuntimeImage } from '../split.js';
import { pipArgs } from './pip.js';
import { readOsInstall } from '../../os-packages.js';
import { programNeed } from '../../runtime-images.js';
import { copiesFromContext } from '../../stages.js';
import { knownEnv, quotedWords, runScript } from '../run-script.js';
import { blockStart, copiedInstruction } from '../stage-text.js';
import { FRONTENDS, frontendNames, isFalse, readFrontend, requirementName, type FrontendCommand } from './frontends.js';

export const pythonSplit: SplitRecipe = {
  family: 'python',
  detects: () => true,
  isFolderIndependent(words) {
    if (!words.every((w): w is string => w !== null)) return false;
    // `python -m venv /opt/venv` makes an absolute folder
    if (/^python3?$/.test(words[0]!) && words[1] === '-m' && (words[2] === 'venv' || words[2] === 'virtualenv')) return words.slice(3).every((w) => w.startsWith('-') || w.startsWith('/'));
    // `pip install flask` names packages; `pip install -r requirements.txt` reads a relative path
    return pipArgs(words)?.every((w) => !w.startsWith('-r') && !w.startsWith('-c') && !w.startsWith('.') && !w.startsWith('--requirement')) ?? false;
  },
  // Only in the sources-from-context layout, which copies the virtualenv by name and the sources
  // from the context; plan() declines the others.
  buildsAtImageRoot: true,
  begin: (split) => new PythonSplit(split),
};

class PythonSplit implements SplitSession {
  /**
   * Index (in the stage) of the first RUN that runs pip: the virtualenv is made just before it. A
   * `pip install pipenv` goes there too, so the final image still has the tool the original has
   * (verify compares the installed distributions); pipenv and poetry then install beside it.
   */
  private firstPip: number | null = null;
  /** Index of the first RUN that installs the app's dependencies with pipenv or poetry. */
  private firstAppInstall: number | null = null;
  /** A virtualenv the Dockerfile makes itself (`python -m venv /opt/venv`): used instead of ours. */
  private ownVenv: { dir: string; index: number } | null = null;
  /** Index of the last RUN that installs anything (pip, pipenv, poetry). */
  private lastInstall: number | null = null;
  /** pip installs the project itself in place (`pip install -e .`): it writes into the app folder. */
  private editable = false;
  private pipPackages: string[] = [];
  private pipRequirementFiles: string[] = [];
  /** Files `poetry export` wrote: a pip install reading one installs the lock's packages. */
  private exported = new Set<string>();
  private frontendInstalls: Extract<FrontendCommand, { kind: 'install' }>[] = [];
  /** Index of the first RUN that runs poetry install or export. */
  private poetryAt: number | null = null;
  /** Index of the RUN that pip-installed poetry, if one did. */
  private poetryPipAt: number | null = null;
  /** poetry's virtualenvs.create (ENV POETRY_VIRTUALENVS_CREATE or `poetry config`). */
  private poetryCreatesVenv = true;
  /** VIRTUAL_ENV as an ENV of the stage sets it. */
  private virtualEnv: string | null = null;
  readonly needsShellForPrograms = false;

  constructor(private readonly split: SplitStage) {}

  takesVariableValues(): boolean {
    return false;
  }

  readEnv(_instruction: Instruction, text: string): void {
    for (const m of text.matchAll(/\b(POETRY_VIRTUALENVS_CREATE|VIRTUAL_ENV)[= ]("[^"]*"|'[^']*'|[^\s"']*)/g)) {
      const value = m[2]!.replace(/^["']|["']$/g, '');
      if (m[1] === 'POETRY_VIRTUALENVS_CREATE') this.poetryCreatesVenv = !isFalse(value);
      else this.virtualEnv = value.startsWith('/') ? path.posix.normalize(value) : value;
    }
  }

  readCommand(step: CommandStep): boolean {
    const { words: literal, at, run, index } = step;
    const cmd = literal[0]!;
    // The words are read with quotes and the stage's ENV already (split-stages' readCommand).
    const pip = pipArgs(literal);
    if (pip) {
      const bad = pip.find((w) => ['--user', '--prefix', '--target', '-t', '--root'].includes(w.split('=')[0]!));
      if (bad) throw new Decline(`${at} runs pip with ${bad}, which installs outside the virtualenv the runtime stage copies`, run);
      this.firstPip = this.firstPip ?? index;
      this.lastInstall = index;
      if (pip.some((w) => w === '-e' || w.startsWith('--editable'))) this.editable = true;
      const packages: string[] = [];
      let files = 0;
      for (let j = 0; j < pip.length; j++) {
        if (pip[j] === '-r' || pip[j] === '--requirement') {
          files++;
          this.pipRequirementFiles.push(pip[++j] ?? '');
        } else if (!pip[j]!.startsWith('-')) packages.push(pip[j]!);
      }
      this.pipPackages.push(...packages);
      if (files === 0 && packages.some((p) => requirementName(p) === 'poetry')) this.poetryPipAt = index;
      return true;
    }
    if ((cmd === 'python' || cmd === 'python3') && literal[1] === '-m' && (literal[2] === 'venv' || literal[2] === 'virtualenv')) {
      const dir = literal.slice(3).find((w) => !w.startsWith('-'));
      if (!dir?.startsWith('/') || this.firstPip !== null || this.firstAppInstall !== null) throw new Decline(`${at} makes a virtualenv ${dir?.startsWith('/') ? 'after pip already installed into the system Python' : 'at a relative path'}; the runtime stage cannot tell what to copy`, run);
      this.ownVenv = { dir: path.posix.normalize(dir), index };
      return true;
    }
    if ((cmd === 'python' || cmd === 'python3') && literal[1] === '-m' && literal[2] === 'compileall') return true;
    if ((cmd === 'python' || cmd === 'python3') && literal[1] === 'manage.py' && literal[2] === 'collectstatic') return true;
    const frontend = readFrontend(literal);
    if (frontend) {
      this.readFrontendCommand(frontend, step);
      return true;
    }
    if (['uv', 'conda', 'pdm'].includes(cmd)) throw new Decline(`${at} installs with ${cmd}; split-stages handles pip, pipenv and poetry so far`, run);
    return false;
  }

  private readFrontendCommand(frontend: FrontendCommand, { at, run, index }: CommandStep): void {
    switch (frontend.kind) {
      case 'decline':
        throw new Decline(`${at} ${frontend.reason}`, run);
      case 'config':
        if (frontend.createsVenv !== undefined) this.poetryCreatesVenv = frontend.createsVenv;
        return;
      case 'export':
        this.poetryAt ??= index;
        this.exported.add(path.posix.normalize(frontend.output ?? 'requirements.txt'));
        if (frontend.output === null) throw new Decline(`${at} runs "poetry export" to its standard output, which split-stages does not follow`, run);
        this.lastInstall = index;
        return;
      case 'install':
        if (frontend.tool === 'poetry') {
          this.checkPoetryTarget(at, run, index);
          this.poetryAt ??= index;
        }
        this.frontendInstalls.push(frontend);
        this.firstAppInstall = this.firstAppInstall ?? index;
        this.lastInstall = index;
    }
  }

  /**
   * Where `poetry install` puts the packages (poetry 1.x): into $VIRTUAL_ENV when set; else, with
   * virtualenvs.create false, into the Python poetry runs with; else into a virtualenv it makes
   * under its cache folder, which only `poetry run` finds.
   */
  private checkPoetryTarget(at: string, run: Run, index: number): void {
    if (this.virtualEnv !== null && this.virtualEnv !== this.ownVenv?.dir) {
      throw new Decline(`${at} runs "poetry install" with VIRTUAL_ENV set to ${this.virtualEnv}, which no RUN of the stage makes; what the runtime must copy cannot be told`, run);
    }
    if (this.virtualEnv !== null) return;
    if (this.poetryCreatesVenv) {
      throw new Decline(
        `${at} runs "poetry install" with virtualenvs.create on, so poetry makes a virtualenv of its own under its cache folder that only poetry run finds; with virtualenvs.create false (poetry config, or ENV POETRY_VIRTUALENVS_CREATE=false) it installs into the Python the runtime copies`,
        run,
      );
    }
    if (this.ownVenv !== null && (this.poetryPipAt === null || this.poetryPipAt < this.ownVenv.index || this.poetryPipAt > index)) {
      throw new Decline(`${at} runs "poetry install" with virtualenvs.create false and no VIRTUAL_ENV: poetry installs into the Python it runs with, which is not the virtualenv ${this.ownVenv.dir} (ENV VIRTUAL_ENV=${this.ownVenv.dir} would point it there)`, run);
    }
  }

  readFinalCommands(programs: readonly ProgramUse[]): void {
    const launcher = programs.find((p) => p.program === 'pipenv' || p.program === 'poetry');
    if (launcher && this.lastInstall !== null) {
      throw new Decline(
        `${launcher.at.getKeyword()} at line ${lineOf(launcher.at)} starts the app with "${launcher.program} run", which needs ${launcher.program} itself in the runtime; a command that runs the program directly (on PATH, where ${launcher.program} run finds it) would let it split`,
        launcher.at,
      );
    }
    // A program only pipenv's or poetry's manifests could name: say which file is missing or silent.
    const install = this.frontendInstalls[0];
    const unknown = install && programs.find((p) => !this.provides(p.program) && programNeed(p.program, 'python').kind === 'unknown');
    if (install && unknown) {
      const [manifest, lock] = install.tool === 'pipenv' ? ['Pipfile', 'Pipfile.lock'] : ['pyproject.toml', 'poetry.lock'];
      const where = `${unknown.at.getKeyword()} at line ${lineOf(unknown.at)} runs "${unknown.program}"`;
      throw new Decline(
        this.split.ctx.buildContext.has(lock) ? `${where}, which neither ${manifest} nor ${lock} names` : `${where}, which the ${install.tool} install may provide, but the build context has no ${lock} to tell`,
        unknown.at,
      );
    }
  }

  provides(program: string): boolean {
    if (this.lastInstall === null) return false;
    const { buildContext } = this.split.ctx;
    // The front-ends are installed for the build; a start path that runs one is declined above.
    const names = this.pipPackages.map(requirementName).filter((n) => !FRONTENDS.has(n));
    for (const file of this.pipRequirementFiles) {
      if (this.exported.has(path.posix.normalize(file))) {
        names.push(...frontendNames(buildContext, { tool: 'poetry', dev: true, root: false }));
        continue;
      }
      for (const line of (buildContext.readText(file.replace(/^\.\//, '')) ?? '').split(/\r?\n/)) names.push(requirementName(line));
    }
    for (const install of this.frontendInstalls) names.push(...frontendNames(buildContext, install));
    return names.includes(requirementName(program));
  }

  stageName(): string | undefined {
    return this.sourcesFromContext() ? this.split.ctx.options.depsName : undefined;
  }

  /**
   * The build steps after the last pip are copies from the build context, and those before it
   * copies, the virtualenv and installs (OS packages, pip): the app folder then holds only what the
   * context gave it, which the runtime can copy from the context again.
   */
  private sourcesFromContext(): boolean {
    const { instructions, roles } = this.split;
    if (this.lastInstall === null || this.editable) return false;
    return instructions.every((instruction, i) => {
      if (roles[i] !== 'build') return true;
      if (copiesFromContext(instruction)) return true;
      return i <= this.lastInstall! && instruction.getKeyword() === 'RUN' && this.installsOnly(i);
    });
  }

  /** A RUN of pip, pipenv, poetry, virtualenv and OS package commands only. */
  private installsOnly(i: number): boolean {
    const script = runScript(this.split.ctx.source, this.split.instructions[i] as Run);
    if (script?.chain.ok !== true) return false;
    const env = knownEnv(this.split.ctx.source, this.split.instructions, i);
    return script.chain.commands.every((c) => {
      const words = quotedWords(this.split.ctx.source, script.scriptStart, c, env);
      if (words.some((w) => w === null)) return false;
      if (readOsInstall(words) !== null || pipArgs(words as string[]) !== null) return true;
      const frontend = readFrontend(words as string[]);
      if (frontend !== undefined && frontend.kind !== 'decline') return true;
      return (words[0] === 'python' || words[0] === 'python3') && words[1] === '-m' && (words[2] === 'venv' || words[2] === 'virtualenv');
    });
  }

  runtimeImage(): RuntimeImage {
    return slimRuntimeImage(this.split, 'python', this.split.ctx.options.pythonRuntimeImage, this.lastInstall !== null);
  }

  plan(input: PlanInput): StackPlan {
    const { ctx, instructions, appDir } = this.split;
    if (this.poetryAt !== null && !ctx.options.splitPoetry) {
      // A team that does not want its poetry files split says so (verified: the poetry-flask app).
      throw new Decline(`RUN at line ${lineOf(instructions[this.poetryAt]!)} installs with poetry, and the splitPoetry option is off`, instructions[this.poetryAt]!);
    }
    const venv = ctx.options.venv;
    const venvPath = `ENV PATH="${venv}/bin:$PATH"`;
    const eol = ctx.source.eol;
    const buildEdits = [];
    const runtimeBefore = new Map<number, string[]>();
    const venvAt = this.firstPip ?? this.firstAppInstall;
    if (venvAt !== null && this.ownVenv === null) {
      // poetry installs into $VIRTUAL_ENV whichever Python runs it; pip and pipenv --system into the first on PATH.
      const poetry = this.frontendInstalls.some((i) => i.tool === 'poetry') ? `ENV VIRTUAL_ENV=${venv}${eol}` : '';
      buildEdits.push(insertAt(blockStart(ctx.source, instructions[venvAt]!), `RUN python -m venv ${venv}${eol}${venvPath}${eol}${poetry}`));
      runtimeBefore.set(venvAt, [venvPath]);
    }
    const used = this.ownVenv?.dir ?? (venvAt !== null ? venv : null);
    // The virtualenv weighs the same in both images: what a split saves is the base and the build-only packages.
    const saving = estimateSaving(this.split.stage.image!, input.image, 30, [droppedPackages(input.needs.buildOnlyPackages)]);
    if (this.sourcesFromContext()) {
      const { roles } = this.split;
      const firstBuild = roles.indexOf('build');
      runtimeBefore.set(firstBuild, [...input.installLines, ...(runtimeBefore.get(firstBuild) ?? [])]);
      // The copies before the installs again from the context, those after them moved.
      const again = instructions.flatMap((instruction, i) => (i < this.lastInstall! && roles[i] === 'build' && copiesFromContext(instruction) ? [copiedInstruction(ctx.source, instruction)] : []));
      const runtimeAt = new Map<number, string[]>([[this.lastInstall!, [`COPY --from=${input.buildName} ${used} ${used}`, ...again]]]);
      const moveToRuntime = instructions.flatMap((instruction, i) => (i > this.lastInstall! && roles[i] === 'build' ? [i] : []));
      return { buildEdits, buildTail: [], payload: [], runtimeBefore, runtimeAt, moveToRuntime, what: `dependencies in a virtualenv (${used}) from a stage that installs them, and the sources from the build context`, saving };
    }
    if (appDir === '/') {
      throw new Decline(
        `the app is built at the image root (no WORKDIR), and ${this.lastInstall === null ? 'nothing is installed with pip' : this.editable ? 'pip installs the project in place (-e)' : 'build steps other than copies from the build context follow the installs'}: what the runtime needs cannot be named apart from the root folder, which is the whole system`,
        instructions[this.lastInstall ?? this.split.lastBuild]!,
      );
    }
    const payload = [...input.installLines];
    if (used !== null) payload.push(`COPY --from=${input.buildName} ${used} ${used}`);
    payload.push(`COPY --from=${input.buildName} ${appDir} ${appDir}`);
    return { buildEdits, buildTail: [], payload, runtimeBefore, what: `dependencies in a virtualenv (${venv})`, saving };
  }
}
