// Python's split recipe: pip installs go into a virtualenv (the file's own, or one made just before
// the first pip), which the runtime stage copies and puts first on PATH; the runtime is the slim
// variant of the same Python image.
import path from 'node:path';
import { insertAt } from '../../edits.js';
import { droppedPackages, estimateSaving } from '../saving.js';
import { Decline, type CommandStep, type PlanInput, type RuntimeImage, type SplitRecipe, type SplitSession, type SplitStage, type StackPlan, slimRuntimeImage } from '../split.js';
import { pipArgs } from './pip.js';

export const pythonSplit: SplitRecipe = {
  family: 'python',
  detects: () => true,
  isFolderIndependent(words) {
    // `pip install flask` names packages; `pip install -r requirements.txt` reads a relative path
    return (pipArgs(words as string[])?.every((w) => w !== null && !w.startsWith('-r') && !w.startsWith('-c') && !w.startsWith('.') && !w.startsWith('--requirement')) ?? false) && words.every((w) => w !== null);
  },
  begin: (split) => new PythonSplit(split),
};

class PythonSplit implements SplitSession {
  /** Index (in the stage) of the first RUN that runs pip: the virtualenv is made just before it. */
  private firstPip: number | null = null;
  /** A virtualenv the Dockerfile makes itself (`python -m venv /opt/venv`): used instead of ours. */
  private ownVenv: string | null = null;
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
    const payload = [...input.installLines];
    const used = this.ownVenv ?? (this.firstPip !== null ? venv : null);
    if (used !== null) payload.push(`COPY --from=${input.buildName} ${used} ${used}`);
    payload.push(`COPY --from=${input.buildName} ${appDir} ${appDir}`);
    // The virtualenv weighs the same in both images: what a split saves is the base and the build-only packages.
    const saving = estimateSaving(this.split.stage.image!, input.image, 30, [droppedPackages(input.needs.buildOnlyPackages)]);
    return { buildEdits, buildTail: [], payload, runtimeBefore, what: `dependencies in a virtualenv (${venv})`, saving };
  }
}
