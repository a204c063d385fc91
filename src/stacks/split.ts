// The contract between split-stages (the orchestration: stages, roles, moved instructions, the
// runtime stage's text) and a stack's split recipe (what its build commands leave behind, which
// runtime image can run it, what the runtime stage receives). One recipe per stack folder.
import type { Instruction, Run } from 'dockerfile-ast';
import type { TextEdit } from '../edits.js';
import type { SimpleCommand } from '../shell.js';
import type { Stage } from '../stages.js';
import type { TransformContext } from '../transform.js';
import { slimVariant, type Family } from '../runtime-images.js';
import { globalArgs, parseImage } from '../stages.js';

export interface SplitOptions {
  buildName: string;
  runtimeName: string;
  nodeRuntimeImage: string;
  pythonRuntimeImage: string;
  goRuntimeImage: string;
  goShellRuntimeImage: string;
  staticRuntimeImage: string;
  venv: string;
  depsName: string;
  minSaving: number;
  splitCompilingAtStart: boolean;
  splitPoetry: boolean;
}

export type SplitCtx = TransformContext<SplitOptions>;

/** A split that cannot be made safely: the message says why, at the instruction that shows it. */
export class Decline extends Error {
  constructor(
    message: string,
    readonly at: Instruction,
  ) {
    super(message);
  }
}

export function lineOf(instruction: Instruction): number {
  return instruction.getRange().start.line + 1;
}

export type Role = 'both' | 'runtime' | 'build';

/** The single stage being split, as every recipe sees it. */
export interface SplitStage {
  ctx: SplitCtx;
  stage: Stage;
  instructions: readonly Instruction[];
  roles: readonly Role[];
  /** The folder the build works in, without a trailing slash; `/` for an app built at the image root. */
  appDir: string;
  lastBuild: number;
  /** WORKDIR instructions by index, with the folder each one leaves the build in. */
  workdirs: ReadonlyMap<number, string>;
}

/** One simple command of a build RUN, after the generic checks (OS packages, housekeeping, variables). */
export interface CommandStep {
  run: Run;
  /** The RUN's index in the stage. */
  index: number;
  command: SimpleCommand;
  /** Offset of the RUN's script in the source (command offsets are relative to it). */
  scriptStart: number;
  /** The command's words, a variable or quoted word read as ''. */
  words: string[];
  /** "RUN at line N", for messages. */
  at: string;
  /** The words as the user reads them, variables as "…". */
  shown: string;
}

/** What the final image runs: a program and the instruction that names it. */
export interface ProgramUse {
  program: string;
  at: Instruction;
}

/** What the runtime stage needs installed that the stack does not bring itself. */
export interface RuntimeNeeds {
  /** OS packages the runtime must install again (build-only ones are left behind). */
  osPackages: string[];
  /** Commands that set up global tools (`npm install -g pm2`, `corepack enable`), run again in the runtime. */
  globalSetup: string[];
  /** OS packages only the build needs (compilers, headers): the weight the runtime leaves behind. */
  buildOnlyPackages: string[];
  /** RUNs (by index) that set the owner or mode of the app folder itself: the plan must run them in the runtime too. */
  folderModes: number[];
}

export interface RuntimeImage {
  image: string;
  /** Copy the builder's CA bundle (Debian slim has none; a static binary making TLS calls needs it). */
  copyCaCerts: boolean;
}

/** What the split puts into the file, besides the moved and shared instructions. */
export interface StackPlan {
  /** Edits inside the build stage (a virtualenv, CGO_ENABLED=0, a prune). */
  buildEdits: TextEdit[];
  /** Lines the build stage ends with (a prune after its last build step). */
  buildTail: string[];
  /** Lines the runtime stage receives at the point of the original's last build step. */
  payload: string[];
  /** Lines the runtime stage receives just before the instruction of that index (a virtualenv's PATH). */
  runtimeBefore: ReadonlyMap<number, string[]>;
  /** Lines the runtime stage receives in place of the build instruction of that index. */
  runtimeAt?: ReadonlyMap<number, string[]>;
  /** Build instructions that leave the build stage for the runtime stage, as runtime-only ones do. */
  moveToRuntime?: readonly number[];
  /** Stages written between the build stage and the runtime stage, each as its lines. */
  stagesBefore?: readonly string[][];
  /** The expected saving, for the decision whether the split pays and for the fix message. */
  saving: Saving;
  /** How the fix message names what the runtime gets. */
  what: string;
}

/** What the orchestration hands a recipe's plan: the chosen image and what the runtime installs. */
export interface PlanInput extends RuntimeImage {
  buildName: string;
  /** OS packages the runtime stage installs, and with which package manager. */
  packages: string[];
  manager: 'apt' | 'apk';
  needs: RuntimeNeeds;
  /** The runtime's OS install and the global setup replayed, in that order (empty when neither is needed). */
  installLines: string[];
}

/**
 * What a split is expected to save, estimated from what the stack knows: the two base images'
 * usual sizes and the weight left behind. `verify` measures the real figures.
 */
export interface Saving {
  /** Approximate size of the original image and of the runtime image, in MB. */
  beforeMB: number;
  afterMB: number;
  /** What the figure is made of, in words ("node:20-slim (≈240 MB) instead of node:20 (≈1,100 MB)"). */
  notes: string[];
}

/** A stack's reading of one split, from its first build command to the plan. */
export interface SplitSession {
  /** An ENV of the stage (the build runs under it). */
  readEnv?(instruction: Instruction, text: string): void;
  /** A COPY/ADD to `dest`, outside the app folder: true when the stack knows it (a published site). */
  acceptsCopyTo?(dest: string, operands: readonly string[], instruction: Instruction): boolean;
  /** A command that publishes files outside the app folder, read before anything else: true when it is one. */
  readPublishing?(words: readonly (string | null)[], run: Run): boolean;
  /**
   * OS packages a RUN installs, before the generic sorting into build-only and run-time ones: true
   * when the stack has judged them itself (on the nginx image they are the site's build tools).
   */
  takesOsPackages?(packages: readonly string[], run: Run): boolean;
  /** Whether `cmd` may take variables as values (`npm ci --omit=$OMIT`, `go build -o $OUT`). */
  takesVariableValues(cmd: string): boolean;
  /** Reads one build command; false when it is not one this stack knows. */
  readCommand(step: CommandStep, needs: RuntimeNeeds): boolean;
  /** The build stage's name when the stage has none (default: the buildName option). */
  stageName?(): string | undefined;
  /** Called once every build step is read, before the runtime is chosen. */
  finishReading?(): void;
  /** A program the final commands run that the build itself provides (a Go binary, a pip package's script). */
  provides(program: string): boolean;
  /** Whether a program the runtime image must bring means a shell image (Go: distroless has none). */
  readonly needsShellForPrograms: boolean;
  /** Reads the final commands before their programs are looked up (Go: `go run` compiles at start). */
  readFinalCommands?(programs: readonly ProgramUse[], commands: readonly string[][]): void;
  /** Checks the start path once the programs are known (Node: dev dependencies); returns OS packages the runtime must install for it. */
  checkStart?(programs: readonly ProgramUse[], nodeCommands: readonly string[][]): string[] | void;
  /** The runtime image; `needsShell` when a final command is shell form or the runtime installs anything. */
  runtimeImage(needsShell: boolean, installs: boolean): RuntimeImage;
  /** What the runtime stage gets, once the image is chosen. */
  plan(input: PlanInput): StackPlan;
}

export interface SplitRecipe {
  /** The family whose programs the runtime images have or lack (runtime-images.programNeed). */
  readonly family: Family;
  /** Whether this recipe splits a stage of its family (the static site recipe also asks the final command). */
  detects(ctx: SplitCtx, instructions: readonly Instruction[]): boolean;
  /** A command that works the same in any folder (an OS install, `pip install flask`): not an app-folder build step. */
  isFolderIndependent(words: readonly (string | null)[]): boolean;
  /**
   * Whether the recipe splits an app built at the image root (no WORKDIR): it must then copy what
   * the build made by name (`/node_modules`), never the root folder, which is the whole system.
   */
  readonly buildsAtImageRoot?: boolean;
  /**
   * Whether the runtime image has the build image's users (the slim variant of the same image:
   * `node` in node:20 and node:20-slim), so that a `USER` before the build steps means the same in
   * both stages. Copies between stages keep the owners of what they copy; the app folder's own
   * owner comes from the folder setup both stages run.
   */
  readonly runtimeHasBuildUsers?: boolean;
  begin(stage: SplitStage): SplitSession;
}

/**
 * The runtime image of a family whose official images have slim variants (node, python): the
 * configured one, else the slim variant of the base. A base that is already slim, with nothing
 * installed, leaves a split nothing to save.
 */
export function slimRuntimeImage(split: SplitStage, family: 'node' | 'python', configured: string, installs: boolean): RuntimeImage {
  const { ctx, stage } = split;
  if (configured) return { image: configured, copyCaCerts: false };
  const slim = slimVariant(parseImage(stage.image!), family, globalArgs(ctx.source));
  if (!slim.ok) throw new Decline(slim.reason, stage.from);
  if (slim.alreadySlim && !installs) {
    throw new Decline(`the base ${stage.image} is already slim and no dependencies are installed; a split would save nothing`, stage.from);
  }
  return { image: slim.image, copyCaCerts: false };
}
