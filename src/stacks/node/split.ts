// Node's split recipe: the build stage keeps its install and build; the runtime stage, on the slim
// variant of the same Node image, receives the app folder with production dependencies only. Global
// tools the final commands run (`npm install -g pm2`, `corepack enable`) are set up again there.
import { slimVariant } from '../../runtime-images.js';
import { globalArgs, parseImage } from '../../stages.js';
import { Decline, type CommandStep, type PlanInput, type ProgramUse, type RuntimeImage, type RuntimeNeeds, type SplitRecipe, type SplitSession, type SplitStage, type StackPlan } from '../split.js';
import { globalBins, isGlobalSetup } from './globals.js';
import { nodeRuntimeProblem, readNodeProject } from './project.js';

export const nodeSplit: SplitRecipe = {
  family: 'node',
  detects: () => true,
  isFolderIndependent: (words) => isGlobalSetup(words),
  begin: (split) => new NodeSplit(split),
};

export class NodeSplit implements SplitSession {
  /** The package manager of the dependency install, once one is seen. */
  install: 'npm' | 'pnpm' | 'yarn' | null = null;
  /** `npm install -g` packages: global, so outside the app folder; installed again in the runtime. */
  private globals: string[] = [];
  readonly needsShellForPrograms = false;

  constructor(protected readonly split: SplitStage) {}

  takesVariableValues(cmd: string): boolean {
    return cmd === 'npm' || cmd === 'yarn' || cmd === 'pnpm';
  }

  readCommand(step: CommandStep, needs: RuntimeNeeds): boolean {
    const { words: literal, at, run } = step;
    const cmd = literal[0]!;
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
        this.install = this.install ?? cmd;
      }
      return true; // scripts, tests, builds and prunes work inside the app folder
    }
    if (cmd === 'corepack') {
      // `corepack enable` puts pnpm and yarn shims in /usr/local/bin: the runtime needs them too.
      needs.globalSetup.push(literal.join(' '));
      if (literal[1] === 'enable') this.globals.push('pnpm', 'yarn');
      return true;
    }
    return cmd === 'npx' || cmd === 'tsc' || cmd === 'node';
  }

  finishReading(): void {
    if (this.install === 'yarn') throw new Decline('dependencies are installed with yarn; pruning yarn\'s dev dependencies is not supported yet', this.split.stage.from);
  }

  provides(program: string): boolean {
    return this.globals.some((g) => globalBins(g).includes(program));
  }

  checkStart(_programs: readonly ProgramUse[], nodeCommands: readonly string[][]): void {
    const { ctx, stage, instructions } = this.split;
    const project = readNodeProject(ctx.buildContext);
    if ('problem' in project) throw new Decline(project.problem, stage.from);
    const problem = nodeRuntimeProblem(project, nodeCommands);
    if (problem) throw new Decline(problem, instructions.find((i) => i.getKeyword() === 'CMD' || i.getKeyword() === 'ENTRYPOINT') ?? stage.from);
  }

  runtimeImage(): RuntimeImage {
    const { ctx, stage } = this.split;
    if (ctx.options.nodeRuntimeImage) return { image: ctx.options.nodeRuntimeImage, copyCaCerts: false };
    const slim = slimVariant(parseImage(stage.image!), 'node', globalArgs(ctx.source));
    if (!slim.ok) throw new Decline(slim.reason, stage.from);
    if (slim.alreadySlim && this.install === null) {
      throw new Decline(`the base ${stage.image} is already slim and no dependencies are installed; a split would save nothing`, stage.from);
    }
    return { image: slim.image, copyCaCerts: false };
  }

  protected prune(): string[] {
    if (this.install === 'npm') return ['RUN npm prune --omit=dev'];
    if (this.install === 'pnpm') return ['RUN pnpm prune --prod'];
    return [];
  }

  plan(input: PlanInput): StackPlan {
    const { appDir } = this.split;
    const payload = [...input.installLines, `COPY --from=${input.buildName} ${appDir} ${appDir}`];
    return { buildEdits: [], buildTail: this.prune(), payload, runtimeBefore: new Map(), what: 'production dependencies only' };
  }
}
