// split-stages: a single-stage Dockerfile built on a full toolchain image (node, python, golang)
// becomes a build stage — the original, untouched but for a name and what sheds build-only weight
// (a dev-dependency prune, a virtualenv, a static Go binary) — and a runtime stage on a slim image
// that receives what the app needs and keeps every instruction that shapes the final image.
//
// This file is the orchestration: it reads the stage (roles, the app folder, OS packages,
// housekeeping), asks the stack's split recipe (src/stacks/*/split.ts) what each build command
// leaves behind and what the runtime stage receives, and writes the edits. Narrowing the copies to
// build outputs is the separate, also-unsafe narrow-copy-from. Everything the original left outside
// the app folder (OS packages, global installs) is either known to be build-only, installed again,
// or the split declines.
import path from 'node:path';
import { Copy, type Instruction, Run } from 'dockerfile-ast';
import { commandOf } from '../src/final-command.js';
import { insertAt, type TextEdit } from '../src/edits.js';
import { installLine, readOsInstall, sortPackages } from '../src/os-packages.js';
import { familyOf, installedByBuildOnly, isAlpine, isDistroless, programNeed } from '../src/runtime-images.js';
import { calledCommands, type SimpleCommand } from '../src/shell.js';
import type { Source, Span } from '../src/source.js';
import { isUnder } from '../src/stage-products.js';
import { operandsOf, parseImage, readStages, type Stage } from '../src/stages.js';
import { isScratchOnly } from '../src/stacks/housekeeping.js';
import { savedPercent } from '../src/stacks/saving.js';
import { blankLineAbove, blockStart, copiedInstruction, instructionText } from '../src/stacks/stage-text.js';
import { SPLIT_RECIPES } from '../src/stacks/index.js';
import { knownEnv, quotedWords, runScript } from '../src/stacks/run-script.js';
import { readStartScripts, type StartScript } from '../src/start-scripts.js';
import { Decline, lineOf, type ProgramUse, type Role, type RuntimeNeeds, type SplitCtx as Ctx, type SplitOptions as Options, type SplitRecipe, type SplitSession, type SplitStage } from '../src/stacks/split.js';
import { defineTransform } from '../src/transform.js';
import { workingFolders } from '../src/workdirs.js';

const STAGE_NAME = /^[a-z][a-z0-9_.-]*$/;
const IMAGE = /^$|^[a-z0-9][a-z0-9._\/:@-]*$/;

/** Instructions that shape the final image but not the build: they move to the runtime stage. */
const RUNTIME_ONLY = new Set(['LABEL', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'STOPSIGNAL', 'MAINTAINER']);


export default defineTransform<Options>({
  id: 'split-stages',
  summary: 'Split a single-stage Node, Python or Go Dockerfile (or a site built on the nginx image) into a build stage and a slim runtime stage.',
  safety: 'unsafe',
  unsafeReason: 'the final image runs on another base image, which may lack a program, library or file the app uses at run time; `stageopt verify` checks it',
  options: {
    buildName: { type: 'string', default: 'build', pattern: STAGE_NAME, description: 'Name of the build stage (when the stage has no name yet).' },
    runtimeName: { type: 'string', default: 'runtime', pattern: STAGE_NAME, description: 'Name of the runtime stage.' },
    nodeRuntimeImage: { type: 'string', default: '', pattern: IMAGE, description: 'Runtime image for Node apps (default: the slim variant of the base, `node:20` → `node:20-slim`).' },
    pythonRuntimeImage: { type: 'string', default: '', pattern: IMAGE, description: 'Runtime image for Python apps (default: the slim variant of the base, `python:3.12` → `python:3.12-slim`).' },
    goRuntimeImage: { type: 'string', default: 'gcr.io/distroless/static-debian12', pattern: IMAGE, description: 'Runtime image for a static Go binary when the final image needs no shell.' },
    goShellRuntimeImage: { type: 'string', default: 'debian:bookworm-slim', pattern: IMAGE, description: 'Runtime image for Go when CMD, ENTRYPOINT or HEALTHCHECK needs a shell or other programs.' },
    staticRuntimeImage: { type: 'string', default: '', pattern: IMAGE, description: 'Runtime image for a site built by Node and served by nginx from Debian (default: the Debian slim image of the same release, `node:20` → `debian:bookworm-slim`).' },
    venv: { type: 'string', default: '/opt/venv', pattern: /^\/[A-Za-z0-9._\/-]+$/, description: 'Where Python dependencies are installed in a virtualenv that the runtime stage copies.' },
    depsName: { type: 'string', default: 'deps', pattern: STAGE_NAME, description: 'Name of the stage that installs production dependencies from the manifests alone (Node).' },
    splitPoetry: { type: 'boolean', default: true, description: 'Split a Python app that installs with poetry (virtualenvs.create false, or a VIRTUAL_ENV the file makes), pointing poetry at the runtime\'s virtualenv with VIRTUAL_ENV; false declines such files.' },
    splitCompilingAtStart: { type: 'boolean', default: false, description: 'Split a Node app whose start path compiles at start (babel-node, ts-node, a dev server such as `vite` or `next dev`), keeping its dev dependencies in the runtime so that it compiles there as before (default: decline, since a split that ran a build output would change CMD).' },
    minSaving: { type: 'number', default: 10, min: 0, max: 100, description: 'Decline a split expected to save less than this share of the image, in percent (an estimate from the base images and what the runtime leaves behind; `stageopt verify` measures the real figure).' },
  },
  run(ctx) {
    const stages = readStages(ctx.source);
    // Already multi-stage: its author chose the stages; splitting again is not this transform's job.
    if (stages.length !== 1) return [];
    const stage = stages[0]!;
    if (!stage.image) return [];
    const family = familyOf(parseImage(stage.image));
    if (!family) return [];
    const plan = planSplit(ctx, stage, family);
    if ('decline' in plan) return [{ key: 'split', message: plan.decline, span: ctx.source.span(plan.at.getRange()) }];
    return [{ key: 'split', message: plan.message, span: ctx.source.span(stage.from.getRange()), fix: { edits: plan.edits, introducesImages: [plan.image] } }];
  },
});

type Plan = { edits: TextEdit[]; image: string; message: string } | { decline: string; at: Instruction };

function planSplit(ctx: Ctx, stage: Stage, family: string): Plan {
  try {
    return plan(ctx, stage, family);
  } catch (err) {
    if (err instanceof Decline) return { decline: err.message, at: err.at };
    throw err;
  }
}

function plan(ctx: Ctx, stage: Stage, family: string): Plan {
  const { source } = ctx;
  const from = stage.from;
  if (from.getFlags().length > 0) throw new Decline(`FROM at line ${lineOf(from)} has flags (${from.getFlags()[0]!.toString()}); the runtime stage's platform cannot be chosen safely`, from);
  const instructions = stage.instructions;
  // A heredoc runs to its terminator, or to the end of the file when it has none: a runtime stage
  // appended after it would become part of its body. Docker 20.10 cannot build heredocs anyway.
  const heredoc = instructions.find((i) => (i instanceof Run || i instanceof Copy) && i.getHeredocs().length > 0);
  if (heredoc) throw new Decline(`${heredoc.getKeyword()} at line ${lineOf(heredoc)} uses a heredoc; what it leaves behind cannot be read`, heredoc);
  const roles = readRoles(source, instructions);
  let lastBuild = roles.lastIndexOf('build');
  if (lastBuild === -1) throw new Decline('the stage builds nothing (no RUN, COPY or ADD): there is nothing to leave behind', from);

  const recipe = SPLIT_RECIPES.find((r) => r.family === family && r.detects(ctx, instructions))!;
  const { appDir, workdirs } = readAppFolder(source, stage, roles, lastBuild);
  // Start scripts copied outside the app folder are copied the same way in both stages.
  const scripts = readStartScripts(source, ctx.buildContext, instructions, appDir);
  if ('problem' in scripts) throw new Decline(scripts.problem, scripts.at);
  markStartScripts(source, instructions, roles, scripts);
  lastBuild = roles.lastIndexOf('build');
  if (lastBuild === -1) throw new Decline('the stage builds nothing but its start scripts: there is nothing to leave behind', from);
  for (let i = 0; i < instructions.length; i++) {
    const instruction = instructions[i]!;
    const keyword = instruction.getKeyword();
    if (keyword === 'ONBUILD') throw new Decline(`ONBUILD at line ${lineOf(instruction)} runs in images built from this one; a split would move it`, instruction);
    if (roles[i] === 'build' || i > lastBuild) continue;
    if (keyword === 'VOLUME') throw new Decline(`VOLUME at line ${lineOf(instruction)} comes before build steps, which it affects`, instruction);
    if (keyword === 'USER' && !isRoot(instruction) && !recipe.runtimeHasBuildUsers) {
      throw new Decline(`USER at line ${lineOf(instruction)} runs later build steps as another user, whom the ${family} runtime image is not known to have (split-stages keeps such a USER for Node, whose slim image has the same users)`, instruction);
    }
  }

  if (appDir === '/' && !recipe.buildsAtImageRoot) {
    throw new Decline('the app is built at the image root (no WORKDIR); there is no app folder to copy', instructions[lastBuild]!);
  }
  const split: SplitStage = { ctx, stage, instructions, roles, appDir, lastBuild, workdirs };
  const session = recipe.begin(split);
  const needs = readBuildSteps(split, session);
  session.finishReading?.();
  const runtime = chooseRuntime(split, recipe, session, needs, scripts);

  const buildName = stage.name ?? session.stageName?.() ?? ctx.options.buildName;
  const runtimeName = ctx.options.runtimeName === buildName ? `${buildName}-runtime` : ctx.options.runtimeName;
  const eol = source.eol;
  const edits: TextEdit[] = [];

  // The build stage: named, and made to shed build-only weight.
  if (stage.name === null) {
    const image = from.getArguments()[0]!;
    const as = from.getInstruction() === from.getInstruction().toLowerCase() ? 'as' : 'AS';
    edits.push(insertAt(source.span(image.getRange()).end, ` ${as} ${buildName}`));
  }
  const installLines: string[] = [];
  if (runtime.packages.length > 0) installLines.push(installLine(runtime.manager, runtime.packages));
  if (needs.globalSetup.length > 0) installLines.push(`RUN ${needs.globalSetup.join(' && ')}`);
  const stackPlan = session.plan({ ...runtime, buildName, needs, installLines });
  for (const index of needs.folderModes) {
    const again = copiedInstruction(source, instructions[index]!);
    if (stackPlan.moveToRuntime?.includes(index) || stackPlan.runtimeAt?.get(index)?.includes(again)) continue;
    throw new Decline(`RUN at line ${lineOf(instructions[index]!)} changes the owner or mode of the app folder itself, which the copy to the runtime stage does not carry`, instructions[index]!);
  }
  const saved = savedPercent(stackPlan.saving);
  if (saved < ctx.options.minSaving) {
    throw new Decline(`a split would save little (about ${saved}% of the image, under the minSaving option's ${ctx.options.minSaving}%): ${stackPlan.saving.notes.join('; ')}`, from);
  }
  edits.push(...stackPlan.buildEdits);
  const tail = stackPlan.buildTail.map((line) => `${line}${eol}`).join('');

  // Runtime-only instructions leave the build stage, with the comments just above them and the
  // blank line that set them apart.
  const moved = new Map<number, { text: string; blankBefore: boolean }>();
  const removed: Span[] = [];
  const movedBuildSteps = new Set(stackPlan.moveToRuntime ?? []);
  for (let i = 0; i < instructions.length; i++) {
    if (roles[i] !== 'runtime' && !movedBuildSteps.has(i) && !(i > lastBuild && ['USER', 'VOLUME'].includes(instructions[i]!.getKeyword()))) continue;
    const span = blockSpan(source, instructions[i]!);
    const text = source.slice({ start: span.start, end: source.lineEndAt(source.positionAt(span.end - 1).line) });
    moved.set(i, { text, blankBefore: blankLineAbove(source, span.start) });
    removed.push(span);
  }
  // Comments after the last instruction close the file, and the file now ends with the runtime
  // stage: left where they are, they would end up between the build stage and the next one.
  const trailer = trailingComments(source, instructions[instructions.length - 1]!);
  if (trailer) removed.push(trailer);
  const removals = tidyRemovals(source, removed);
  for (const span of removals) edits.push({ ...span, text: '' });
  // What the build stage ends with once the moved lines are gone: a removal that reaches the end
  // of the file leaves it ending at a line start, whatever the original's final newline.
  const endsWithBreak = removals.some((r) => r.end === source.text.length && r.start > 0) || source.finalNewline;

  const end = source.text.length;
  const afterLastBuild = source.nextLineStart(source.offsetAt(instructions[lastBuild]!.getRange().end));
  // At the end of the file (or where the closing comments start) the build stage's tail joins the
  // runtime stage's insertion: two edits starting at one offset would have no defined order.
  const tailAtEnd = tail !== '' && afterLastBuild === (trailer?.start ?? end);
  if (tail !== '' && !tailAtEnd) edits.push(insertAt(afterLastBuild, tail));

  // The runtime stage, instruction by instruction in the original order.
  // Written lines use upper-case keywords whatever the original's style: a copied lower-case
  // keyword would be one more warning of the validator (and of hadolint) in the output.
  const lines: string[] = [];
  for (const stageLines of stackPlan.stagesBefore ?? []) lines.push(...stageLines, '');
  lines.push(`FROM ${runtime.image} AS ${runtimeName}`);
  for (let i = 0; i < instructions.length; i++) {
    lines.push(...(stackPlan.runtimeBefore.get(i) ?? []));
    const role = roles[i];
    const block = moved.get(i);
    if (block) {
      if (block.blankBefore && lines[lines.length - 1] !== '') lines.push('');
      lines.push(block.text);
    } else if (role === 'both') lines.push(copiedInstruction(source, instructions[i]!, workdirs.get(i)));
    lines.push(...(stackPlan.runtimeAt?.get(i) ?? []));
    if (i === lastBuild) lines.push(...stackPlan.payload);
  }
  const lead = tailAtEnd ? (endsWithBreak ? `${tail}${eol}` : `${eol}${tail}${eol}`) : endsWithBreak ? eol : `${eol}${eol}`;
  const close = trailer ? `${eol}${source.text.slice(trailer.start)}` : source.finalNewline ? eol : '';
  edits.push(insertAt(end, `${lead}${lines.join(eol)}${close}`));

  const message = `split into a ${buildName} stage (${stage.image}) and a runtime stage on ${runtime.image} with ${stackPlan.what}; expected to save about ${saved}%: ${stackPlan.saving.notes.join('; ')}`;
  return { edits, image: runtime.image, message };
}

/**
 * Build steps stay in the build stage, runtime-only instructions move, and everything else (ARG,
 * ENV, WORKDIR, SHELL, USER, VOLUME) both stages need: the build runs under it and the final image
 * keeps it.
 */
function readRoles(source: Source, instructions: readonly Instruction[]): Role[] {
  const roles = instructions.map((instruction) => roleOf(instruction));
  // Folders made and handed to a user before anything is built (`RUN mkdir -p /home/node/app &&
  // chown -R node:node /home/node/app`, the Node guides' shape for `USER node`): the runtime must
  // make them the same way, since a copy between stages carries what is inside a folder, not the
  // folder's own owner. They hold nothing yet, so running them again gives the same folders.
  const firstBuild = roles.indexOf('build');
  for (let i = firstBuild; i >= 0 && i < instructions.length && isFolderSetup(source, instructions[i]!); i++) roles[i] = 'both';
  return roles;
}

/**
 * Start scripts and the `RUN chmod +x` that makes them runnable move to both stages: the runtime
 * copies them from the build context as the original did.
 */
function markStartScripts(source: Source, instructions: readonly Instruction[], roles: Role[], scripts: readonly StartScript[]): void {
  const dests = new Set(scripts.map((s) => s.dest));
  for (const script of scripts) roles[script.index] = 'both';
  for (let i = 0; i < instructions.length; i++) {
    const instruction = instructions[i]!;
    if (roles[i] !== 'build' || !(instruction instanceof Run) || instruction.getOpeningBracket()) continue;
    const chain = runScript(source, instruction)?.chain;
    const onScripts = chain?.ok === true && chain.commands.length > 0 && chain.commands.every((c) => {
      const [cmd, ...rest] = c.words;
      if ((cmd !== 'chmod' && cmd !== 'chown') || c.decorated || rest.some((w) => w === null)) return false;
      const paths = (rest as string[]).filter((w) => !w.startsWith('-')).slice(1);
      return paths.length > 0 && paths.every((p) => dests.has(path.posix.normalize(p)));
    });
    if (onScripts) roles[i] = 'both';
  }
}

/** A RUN of only mkdir, chown and chmod on absolute, literal paths, setting an owner or mode. */
function isFolderSetup(source: Source, instruction: Instruction): boolean {
  if (!(instruction instanceof Run) || instruction.getOpeningBracket()) return false;
  const chain = runScript(source, instruction)?.chain;
  // mkdir alone gives folders that WORKDIR and the copies make the same anyway: only an owner or mode set on them needs the runtime to run it.
  if (!chain?.ok || !chain.commands.some((c) => c.words[0] === 'chown' || c.words[0] === 'chmod')) return false;
  return chain.commands.every((c) => {
    const [cmd, ...rest] = c.words;
    if (c.decorated || rest.some((w) => w === null || /[*?[$]/.test(w))) return false;
    const operands = (rest as string[]).filter((w) => !w.startsWith('-'));
    const paths = cmd === 'mkdir' ? operands : cmd === 'chown' || cmd === 'chmod' ? operands.slice(1) : null;
    return paths !== null && paths.length > 0 && paths.every((p) => p.startsWith('/') && p !== '/');
  });
}

function roleOf(instruction: Instruction): Role {
  const keyword = instruction.getKeyword();
  if (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD') return 'build';
  return RUNTIME_ONLY.has(keyword) ? 'runtime' : 'both';
}

/**
 * The folder the app lives in: every build step must work inside the one working folder, since
 * that folder is what the runtime stage copies. Files put anywhere else would be lost. The stage
 * starts in the base image's WORKDIR (`/`, or /go in the golang images).
 */
function readAppFolder(source: Source, stage: Stage, roles: readonly Role[], lastBuild: number): { appDir: string; workdirs: Map<number, string> } {
  const instructions = stage.instructions;
  const folders = workingFolders([stage]);
  let app: string | null = null;
  const workdirs = new Map<number, string>();
  for (let i = 0; i < instructions.length; i++) {
    const instruction = instructions[i]!;
    const folder = folders.after(instruction);
    if (folder === null) throw new Decline(`WORKDIR at line ${lineOf(instruction)} uses a variable; the app folder cannot be known`, instruction);
    if (instruction.getKeyword() === 'WORKDIR') {
      workdirs.set(i, folder.dir);
      continue;
    }
    if (i > lastBuild || roles[i] !== 'build' || isFolderIndependent(source, instruction, knownEnv(source, instructions, i))) continue;
    if (app === null) app = folder.dir;
    if (folder.dir !== app) throw new Decline(`build steps run in two folders (${app} and ${folder.dir}, line ${lineOf(instruction)}); only one app folder can be copied`, instruction);
  }
  // Only copies to absolute paths and steps on absolute paths: nothing is built in a folder.
  if (app === null) throw new Decline(`no build step runs in a working folder (each copies to or works on absolute paths only, as the ${instructions[lastBuild]!.getKeyword()} at line ${lineOf(instructions[lastBuild]!)} does): nothing is built that a build stage could leave behind`, instructions[lastBuild]!);
  return { appDir: app, workdirs };
}

/** A RUN made only of OS package commands and absolute-path housekeeping: where it runs does not matter. */
function isFolderIndependent(source: Source, instruction: Instruction, env: ReadonlyMap<string, string>): boolean {
  const keyword = instruction.getKeyword();
  if (keyword === 'COPY' || keyword === 'ADD') return operandsOf(instruction).at(-1)?.startsWith('/') ?? false;
  if (!(instruction instanceof Run) || instruction.getOpeningBracket()) return false;
  const script = runScript(source, instruction);
  const chain = script?.chain;
  const absolute = (words: readonly (string | null)[]) => words.every((w) => w !== null && (w.startsWith('-') || w.startsWith('/')));
  const independent = (words: readonly (string | null)[]) =>
    readOsInstall(words) !== null ||
    words[0] === 'echo' ||
    (['rm', 'mkdir'].includes(words[0] ?? '') && absolute(words.slice(1))) ||
    SPLIT_RECIPES.some((recipe) => recipe.isFolderIndependent(words));
  return chain?.ok === true && chain.commands.every((c) => independent(quotedWords(source, script!.scriptStart, c, env)));
}

/** Reads every build step: COPY/ADD destinations, then each simple command of each RUN. */
function readBuildSteps(split: SplitStage, session: SplitSession): RuntimeNeeds {
  const { ctx, instructions, roles, appDir } = split;
  const needs: RuntimeNeeds = { osPackages: [], globalSetup: [], buildOnlyPackages: [], folderModes: [] };
  for (let i = 0; i < instructions.length; i++) {
    const instruction = instructions[i]!;
    const keyword = instruction.getKeyword();
    if (keyword === 'ENV') session.readEnv?.(instruction, instructionText(ctx.source, instruction));
    if (roles[i] !== 'build') continue;
    if (keyword === 'COPY' || keyword === 'ADD') {
      checkCopy(instruction, appDir, session);
      continue;
    }
    const run = instruction as Run;
    if (run.getOpeningBracket()) throw new Decline(`RUN at line ${lineOf(run)} uses the exec form; what it leaves behind cannot be read`, run);
    const script = runScript(ctx.source, run);
    if (script === null) continue;
    const { chain, scriptStart } = script;
    if (!chain.ok) throw new Decline(`RUN at line ${lineOf(run)} cannot be read (${chain.reason}); what it leaves outside the app folder is unknown`, run);
    const env = knownEnv(ctx.source, instructions, i);
    for (const command of chain.commands) {
      if (session.readPublishing?.(command.words, run)) continue;
      readCommand(split, session, run, i, command, scriptStart, env, needs);
    }
  }
  return needs;
}

/** Checks where a COPY/ADD puts files: inside the app folder, or somewhere the stack knows. */
function checkCopy(instruction: Instruction, appDir: string, session: SplitSession): void {
  const ops = operandsOf(instruction);
  if (ops.length < 2) return;
  const dest = ops[ops.length - 1]!;
  if (dest.includes('$')) throw new Decline(`${instruction.getKeyword()} at line ${lineOf(instruction)} copies to a path made of variables`, instruction);
  if (!dest.startsWith('/')) return;
  // Asked first: at the image root every path is "in the app folder", a published site's too.
  if (session.acceptsCopyTo?.(dest, ops, instruction)) return;
  if (isUnder(path.posix.normalize(dest), appDir)) return;
  throw new Decline(`${instruction.getKeyword()} at line ${lineOf(instruction)} puts files in ${dest}, outside the app folder ${appDir}`, instruction);
}

/** One simple command of a build RUN: the generic readings first, then the stack's own. */
function readCommand(split: SplitStage, session: SplitSession, run: Run, index: number, command: SimpleCommand, scriptStart: number, env: ReadonlyMap<string, string>, needs: RuntimeNeeds): void {
  const { appDir } = split;
  // Quotes read (`pip install "poetry>=1.2,<1.4"`), and variables the stage's ENV sets
  // (`"poetry==$POETRY_VERSION"`); any other word with an expansion stays null.
  const words = quotedWords(split.ctx.source, scriptStart, command, env);
  const at = `RUN at line ${lineOf(run)}`;
  const shown = words.map((w) => w ?? '…').join(' ');
  if (words[0] === null || words[0] === undefined) throw new Decline(`${at} runs a command named by a variable`, run);
  const cmd = words[0];

  const os = readOsInstall(words);
  if (os) {
    if ('unreadable' in os) throw new Decline(`${at}: ${os.unreadable}`, run);
    if (os.packages.length === 0) return;
    if (session.takesOsPackages?.(os.packages, run)) return;
    const sorted = sortPackages(os.packages, os.manager === 'apk');
    if (!sorted.ok) throw new Decline(`${at}: ${sorted.reason}, so the runtime stage cannot install it`, run);
    needs.osPackages.push(...sorted.runtime.filter((p) => !needs.osPackages.includes(p)));
    needs.buildOnlyPackages.push(...sorted.buildOnly.filter((p) => !needs.buildOnlyPackages.includes(p)));
    return;
  }

  if ((cmd === 'chown' || cmd === 'chmod') && words.slice(1).some((w) => w !== null && !w.startsWith('-') && [appDir, `${appDir}/`, '.', './'].includes(w))) {
    // A copy between stages keeps the owner and mode of what is inside the folder, not of the
    // folder itself: the runtime's own WORKDIR would stay root's — unless the plan runs this RUN
    // again in the runtime stage (checked once the plan is made).
    needs.folderModes.push(index);
  }
  if (isScratchOnly(words, appDir, command.decorated)) return;
  if (words.some((w) => w === null) && !session.takesVariableValues(cmd)) {
    throw new Decline(`${at} runs "${shown}", whose arguments are variables`, run);
  }
  // Package managers and go may take variables as values (`npm ci --omit=$OMIT`): read those as empty.
  const literal = words.map((w) => w ?? '');
  if (session.readCommand({ run, index, command, scriptStart, words: literal, at, shown }, needs)) return;
  throw new Decline(`${at} runs "${shown}"; cannot tell whether the app needs what it leaves outside ${appDir}`, run);
}


interface Runtime {
  image: string;
  /** OS packages to install in the runtime stage, and with which package manager. */
  packages: string[];
  manager: 'apt' | 'apk';
  /** Debian slim has no CA bundle; a Go binary that makes TLS calls needs the builder's. */
  copyCaCerts: boolean;
}

/** The runtime image and what it must install: every program the final commands run must be there. */
function chooseRuntime(split: SplitStage, recipe: SplitRecipe, session: SplitSession, needs: RuntimeNeeds, scripts: readonly StartScript[]): Runtime {
  const { ctx, instructions } = split;
  const programs = programsCalled(ctx, instructions);
  // The start scripts come along; what they run must be in the runtime, as the final commands' programs.
  const isScript = (program: string) => scripts.some((s) => s.dest === program || path.posix.basename(s.dest) === program);
  programs.list = programs.list.filter((p) => !isScript(p.program));
  for (const script of scripts) {
    for (const words of script.commands) {
      if (!words[0]) continue;
      programs.list.push({ program: words[0], at: script.at });
      // A variable word is what the script was handed (`exec gosu node "$@"`): the CMD, read on its own.
      const literal = words.indexOf(null);
      programs.nodeCommands.push((literal === -1 ? words : words.slice(0, literal)) as string[]);
    }
  }
  const needed = new Set(needs.osPackages);
  let needsShellImage = programs.shell;
  session.readFinalCommands?.(programs.list, programs.nodeCommands);
  for (const { program, at } of programs.list) {
    if (session.provides(program)) continue;
    const need = programNeed(program, recipe.family);
    if (need.kind === 'unknown') throw new Decline(`${at.getKeyword()} at line ${lineOf(at)} runs "${program}"; cannot tell whether the runtime image has it`, at);
    if (need.kind === 'package' && installedByBuildOnly(program) && !needs.osPackages.includes(need.name)) {
      throw new Decline(`${at.getKeyword()} at line ${lineOf(at)} runs "${program}", which the base image does not have and no RUN installs: the original cannot run it either`, at);
    }
    if (session.needsShellForPrograms) needsShellImage = true;
    if (need.kind === 'package') needed.add(need.name);
  }
  for (const name of session.checkStart?.(programs.list, programs.nodeCommands) ?? []) needed.add(name);
  const installs = needed.size > 0 || needs.globalSetup.length > 0;
  const { image, copyCaCerts } = session.runtimeImage(needsShellImage, installs);
  if (installs && isDistroless(image)) {
    throw new Decline(`the runtime image ${image} cannot install ${[...needed, ...needs.globalSetup].join(', ')} (no shell or package manager)`, split.stage.from);
  }
  // The runtime image's own package manager, whatever the build used: Alpine's apk, else apt.
  return { image, packages: [...needed], manager: isAlpine(image) ? 'apk' : 'apt', copyCaCerts };
}

/** Programs the final image's commands run, and the Node commands among them (for dev-dependency checks). */
function programsCalled(ctx: Ctx, instructions: readonly Instruction[]): { list: ProgramUse[]; shell: boolean; nodeCommands: string[][] } {
  const list: ProgramUse[] = [];
  const nodeCommands: string[][] = [];
  let shell = false;
  for (const instruction of instructions) {
    const keyword = instruction.getKeyword();
    if (keyword !== 'CMD' && keyword !== 'ENTRYPOINT' && keyword !== 'HEALTHCHECK') continue;
    const command = commandOf(ctx.source, instruction);
    if (command === null) continue;
    let calls: (string | null)[][];
    if (command.exec) calls = [command.exec];
    else {
      shell = true;
      const read = calledCommands(command.shell);
      if (read === null) throw new Decline(`${keyword} at line ${lineOf(instruction)} cannot be read by the shell parser`, instruction);
      calls = read;
    }
    for (const words of calls) {
      const program = words[0];
      if (!program) throw new Decline(`${keyword} at line ${lineOf(instruction)} runs a program named by a variable`, instruction);
      list.push({ program, at: instruction });
      nodeCommands.push(words.map((w) => w ?? ''));
    }
  }
  return { list, shell, nodeCommands };
}

function isRoot(instruction: Instruction): boolean {
  const user = operandsOf(instruction).join('').split(':')[0];
  return user === 'root' || user === '0';
}


/**
 * Removed blocks with the blank lines that separated them from their neighbours: blocks separated
 * only by blank lines become one removal, a removal between two blank lines takes the blank lines
 * after it, and one that reaches the end of the file takes the blank lines before it — so the
 * build stage keeps the file's spacing rather than gaining runs of empty lines.
 */
function tidyRemovals(source: Source, spans: readonly Span[]): Span[] {
  const blank = (text: string) => /^[ \t\r\n]*$/.test(text);
  const merged: Span[] = [];
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const last = merged[merged.length - 1];
    if (last && blank(source.text.slice(last.end, span.start))) last.end = span.end;
    else merged.push({ ...span });
  }
  for (const span of merged) {
    if (blank(source.text.slice(span.end))) {
      span.end = source.text.length;
      while (span.start > 0) {
        const prev = source.positionAt(span.start - 1).line;
        if (!blank(source.text.slice(source.lineStart(prev), span.start)) || prev === 0) break;
        span.start = source.lineStart(prev);
      }
    } else if (span.start === 0 || blank(source.text.slice(source.lineStart(source.positionAt(span.start - 1).line), span.start))) {
      while (span.end < source.text.length && blank(source.text.slice(span.end, source.nextLineStart(span.end)))) span.end = source.nextLineStart(span.end);
    }
  }
  return merged;
}

/** The lines after the file's last instruction, when any of them is a comment. */
function trailingComments(source: Source, last: Instruction): Span | null {
  const start = source.nextLineStart(source.offsetAt(last.getRange().end));
  return /^[ \t]*#/m.test(source.text.slice(start)) ? { start, end: source.text.length } : null;
}

/** The lines of an instruction and the comment lines right above it, line break included. */
function blockSpan(source: Source, instruction: Instruction): Span {
  return { start: blockStart(source, instruction), end: source.nextLineStart(source.offsetAt(instruction.getRange().end)) };
}

