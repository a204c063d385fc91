// Python's split recipe: pip installs go into a virtualenv (the file's own, or one made just before
// the first pip), which the runtime stage copies and puts first on PATH; the runtime is the slim
// variant of the same Python image. When nothing but copies from the build context follows the
// installs (the usual `COPY requirements.txt .`, `pip install -r`, `COPY . .`), the copies move to
// the runtime, which takes the virtualenv from the stage that installed it (`deps`) and the sources
// from the context: a source edit re-runs one copy, as in the original, not a copy in each stage.
import path from 'node:path';
import type { Run } from 'dockerfile-ast';
import { insertAt } from '../../edits.js';
import { droppedPackages, estimateSaving } from '../saving.js';
import { Decline, type CommandStep, type PlanInput, type RuntimeImage, type SplitRecipe, type SplitSession, type SplitStage, type StackPlan, slimRuntimeImage } from '../split.js';
import { pipArgs } from './pip.js';
import { readOsInstall } from '../../os-packages.js';
import { copiesFromContext } from '../../stages.js';
import { runScript } from '../run-script.js';
import { copiedInstruction } from '../stage-text.js';

export const pythonSplit: SplitRecipe = {
  family: 'python',
  detects: () => true,
  isFolderIndependent(words) {
    // `pip install flask` names packages; `pip install -r requirements.txt` reads a relative path
    return (pipArgs(words as string[])?.every((w) => w !== null && !w.startsWith('-r') && !w.startsWith('-c') && !w.startsWith('.') && !w.startsWith('--requirement')) ?? false) && words.every((w) => w !== null);
  },
  // Only in the sources-from-context layout, which copies the virtualenv by name and the sources
  // from the context; plan() declines the others.
  buildsAtImageRoot: true,
  begin: (split) => new PythonSplit(split),
};

class PythonSplit implements SplitSession {
  /** Index (in the stage) of the first RUN that runs pip: the virtualenv is made just before it. */
  private firstPip: number | null = null;
  /** A virtualenv the Dockerfile makes itself (`python -m venv /opt/venv`): used instead of ours. */
  private ownVenv: string | null = null;
  /** Index of the last RUN that runs pip. */
  private lastPip: number | null = null;
  /** pip installs the project itself in place (`pip install -e .`): it writes into the app folder. */
  private editable = false;
  private pipPackages: string[] = [];
  private pipRequirementFiles: string[] = [];
  readonly needsShellForPrograms = false;

  constructor(private readonly split: SplitStage) {}

  takesVariableValues(): boolean {
    return false;
  }

  readCommand(step: CommandStep): boolean {
    const { words: literal, at, run, index } = step;
    const cmd = literal[0]!;
    const pip = pipArgs(literal);
    if (pip) {
      const bad = pip.find((w) => ['--user', '--prefix', '--target', '-t', '--root'].includes(w.split('=')[0]!));
      if (bad) throw new Decline(`${at} runs pip with ${bad}, which installs outside the virtualenv the runtime stage copies`, run);
      this.firstPip = this.firstPip ?? index;
      this.lastPip = index;
      if (pip.some((w) => w === '-e' || w.startsWith('--editable'))) this.editable = true;
      for (let j = 0; j < pip.length; j++) {
        if (pip[j] === '-r' || pip[j] === '--requirement') this.pipRequirementFiles.push(pip[++j] ?? '');
        else if (!pip[j]!.startsWith('-')) this.pipPackages.push(pip[j]!);
      }
      return true;
    }
    if ((cmd === 'python' || cmd === 'python3') && literal[1] === '-m' && (literal[2] === 'venv' || literal[2] === 'virtualenv')) {
      const dir = literal.slice(3).find((w) => !w.startsWith('-'));
      if (!dir?.startsWith('/') || this.firstPip !== null) throw new Decline(`${at} makes a virtualenv ${dir?.startsWith('/') ? 'after pip already installed into the system Python' : 'at a relative path'}; the runtime stage cannot tell what to copy`, run);
      this.ownVenv = path.posix.normalize(dir);
      return true;
    }
    if ((cmd === 'python' || cmd === 'python3') && literal[1] === '-m' && literal[2] === 'compileall') return true;
    if ((cmd === 'python' || cmd === 'python3') && literal[1] === 'manage.py' && literal[2] === 'collectstatic') return true;
    if (['pipenv', 'poetry', 'uv', 'conda', 'pdm'].includes(cmd)) throw new Decline(`${at} installs with ${cmd}; split-stages handles pip only so far`, run);
    return false;
  }

  provides(program: string): boolean {
    if (this.firstPip === null) return false;
    const norm = (s: string) => s.toLowerCase().replace(/[-_.]+/g, '-');
    const names = [...this.pipPackages];
    for (const file of this.pipRequirementFiles) {
      for (const line of (this.split.ctx.buildContext.readText(file.replace(/^\.\//, '')) ?? '').split(/\r?\n/)) names.push(line);
    }
    return names.some((n) => norm(n.replace(/[\s\[=<>~!;#].*$/, '')) === norm(program));
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
    if (this.lastPip === null || this.editable) return false;
    return instructions.every((instruction, i) => {
      if (roles[i] !== 'build') return true;
      if (copiesFromContext(instruction)) return true;
      return i <= this.lastPip! && instruction.getKeyword() === 'RUN' && this.installsOnly(i);
    });
  }

  /** A RUN of pip, virtualenv and OS package commands only. */
  private installsOnly(i: number): boolean {
    const chain = runScript(this.split.ctx.source, this.split.instructions[i] as Run)?.chain;
    return chain?.ok === true && chain.commands.every((c) => {
      const words = c.words;
      if (words.some((w) => w === null)) return false;
      if (readOsInstall(words) !== null || pipArgs(words as string[]) !== null) return true;
      return (words[0] === 'python' || words[0] === 'python3') && words[1] === '-m' && (words[2] === 'venv' || words[2] === 'virtualenv');
    });
  }

  runtimeImage(): RuntimeImage {
    return slimRuntimeImage(this.split, 'python', this.split.ctx.options.pythonRuntimeImage, this.firstPip !== null);
  }

  plan(input: PlanInput): StackPlan {
    const { ctx, instructions, appDir } = this.split;
    const venv = ctx.options.venv;
    const venvPath = `ENV PATH="${venv}/bin:$PATH"`;
    const eol = ctx.source.eol;
    const buildEdits = [];
    const runtimeBefore = new Map<number, string[]>();
    if (this.firstPip !== null && this.ownVenv === null) {
      const at = ctx.source.lineStart(instructions[this.firstPip]!.getRange().start.line);
      buildEdits.push(insertAt(at, `RUN python -m venv ${venv}${eol}${venvPath}${eol}`));
      runtimeBefore.set(this.firstPip, [venvPath]);
    }
    const used = this.ownVenv ?? (this.firstPip !== null ? venv : null);
    // The virtualenv weighs the same in both images: what a split saves is the base and the build-only packages.
    const saving = estimateSaving(this.split.stage.image!, input.image, 30, [droppedPackages(input.needs.buildOnlyPackages)]);
    if (this.sourcesFromContext()) {
      const { roles } = this.split;
      const firstBuild = roles.indexOf('build');
      runtimeBefore.set(firstBuild, [...input.installLines, ...(runtimeBefore.get(firstBuild) ?? [])]);
      // The copies before the installs again from the context, those after them moved.
      const again = instructions.flatMap((instruction, i) => (i < this.lastPip! && roles[i] === 'build' && copiesFromContext(instruction) ? [copiedInstruction(ctx.source, instruction)] : []));
      const runtimeAt = new Map<number, string[]>([[this.lastPip!, [`COPY --from=${input.buildName} ${used} ${used}`, ...again]]]);
      const moveToRuntime = instructions.flatMap((instruction, i) => (i > this.lastPip! && roles[i] === 'build' ? [i] : []));
      return { buildEdits, buildTail: [], payload: [], runtimeBefore, runtimeAt, moveToRuntime, what: `dependencies in a virtualenv (${used}) from a stage that installs them, and the sources from the build context`, saving };
    }
    if (appDir === '/') {
      throw new Decline(
        `the app is built at the image root (no WORKDIR), and ${this.lastPip === null ? 'nothing is installed with pip' : this.editable ? 'pip installs the project in place (-e)' : 'build steps other than copies from the build context follow the pip installs'}: what the runtime needs cannot be named apart from the root folder, which is the whole system`,
        instructions[this.lastPip ?? this.split.lastBuild]!,
      );
    }
    const payload = [...input.installLines];
    if (used !== null) payload.push(`COPY --from=${input.buildName} ${used} ${used}`);
    payload.push(`COPY --from=${input.buildName} ${appDir} ${appDir}`);
    return { buildEdits, buildTail: [], payload, runtimeBefore, what: `dependencies in a virtualenv (${venv})`, saving };
  }
}
