// split-stages: a single-stage Dockerfile built on a full toolchain image (node, python, golang)
// becomes a build stage — the original, untouched but for a name and what sheds build-only weight
// (a dev-dependency prune, a virtualenv, a static Go binary) — and a runtime stage on a slim image
// that receives the app folder and keeps every instruction that shapes the final image.
//
// The runtime stage copies the whole app folder from the builder: exactly the files the original
// image had there, minus dev dependencies. Narrowing that copy to build outputs is the separate,
// also-unsafe narrow-copy-from. Everything the original left outside the app folder (OS packages,
// global installs) is either known to be build-only, installed again, or the split declines.
import path from 'node:path';
import { Copy, type Instruction, Run } from 'dockerfile-ast';
import { insertAt, type TextEdit } from '../src/edits.js';
import { installLine, readOsInstall, sortPackages } from '../src/os-packages.js';
import { debianSlimOf, familyOf, isAlpine, isDistroless, programNeed, slimVariant, type Family } from '../src/runtime-images.js';
import { andChain, calledCommands, flagValue, type Chain, type SimpleCommand } from '../src/shell.js';
import type { Source, Span } from '../src/source.js';
import { isUnder } from '../src/stage-products.js';
import { operandsOf, parseImage, readStages, type Stage } from '../src/stages.js';
import { defineTransform, type Finding, type TransformContext } from '../src/transform.js';
import { nodeRuntimeProblem, type NodeProject, readNodeProject } from '../src/stacks/node/project.js';

interface Options {
  buildName: string;
  runtimeName: string;
  nodeRuntimeImage: string;
  pythonRuntimeImage: string;
  goRuntimeImage: string;
  goShellRuntimeImage: string;
  staticRuntimeImage: string;
  venv: string;
}

type Ctx = TransformContext<Options>;

const STAGE_NAME = /^[a-z][a-z0-9_.-]*$/;
const IMAGE = /^$|^[a-z0-9][a-z0-9._\/:@-]*$/;

/** Instructions that shape the final image but not the build: they move to the runtime stage. */
const RUNTIME_ONLY = new Set(['LABEL', 'EXPOSE', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK', 'STOPSIGNAL', 'MAINTAINER']);

/** Folders a build writes to that nobody reads at run time (caches, package lists, temp). */
const SCRATCH_PATHS = ['/tmp', '/var/tmp', '/var/lib/apt/lists', '/var/cache', '/root/.npm', '/root/.cache', '/root/.yarn', '/usr/local/share/.cache', '/root/.local/share/pnpm', '/go/pkg', '/root/go/pkg'];

export default defineTransform<Options>({
  id: 'split-stages',
  summary: 'Split a single-stage Node, Python or Go Dockerfile into a build stage and a slim runtime stage.',
  safety: 'unsafe',
  options: {
    buildName: { type: 'string', default: 'build', pattern: STAGE_NAME, description: 'Name of the build stage (when the stage has no name yet).' },
    runtimeName: { type: 'string', default: 'runtime', pattern: STAGE_NAME, description: 'Name of the runtime stage.' },
    nodeRuntimeImage: { type: 'string', default: '', pattern: IMAGE, description: 'Runtime image for Node apps (default: the slim variant of the base, `node:20` → `node:20-slim`).' },
    pythonRuntimeImage: { type: 'string', default: '', pattern: IMAGE, description: 'Runtime image for Python apps (default: the slim variant of the base, `python:3.12` → `python:3.12-slim`).' },
    goRuntimeImage: { type: 'string', default: 'gcr.io/distroless/static-debian12', pattern: IMAGE, description: 'Runtime image for a static Go binary when the final image needs no shell.' },
    goShellRuntimeImage: { type: 'string', default: 'debian:bookworm-slim', pattern: IMAGE, description: 'Runtime image for Go when CMD, ENTRYPOINT or HEALTHCHECK needs a shell or other programs.' },
    staticRuntimeImage: { type: 'string', default: '', pattern: IMAGE, description: 'Runtime image for a site built by Node and served by nginx from Debian (default: the Debian slim image of the same release, `node:20` → `debian:bookworm-slim`).' },
    venv: { type: 'string', default: '/opt/venv', pattern: /^\/[A-Za-z0-9._\/-]+$/, description: 'Where Python dependencies are installed in a virtualenv that the runtime stage copies.' },
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

type Role = 'both' | 'runtime' | 'build';

/** What the stage's build steps leave behind, as far as the runtime stage is concerned. */
interface BuildFacts {
  /** OS packages the runtime must install again (build-only ones are left behind). */
  osPackages: string[];
  /** `npm install -g` packages: global, so outside the app folder; installed again in the runtime. */
  npmGlobals: string[];
  /** The commands that made them (`npm install -g pm2`, `corepack enable`), run again in the runtime. */
  globalSetup: string[];
  nodeInstall: 'npm' | 'pnpm' | 'yarn' | null;
  /** Index (in the stage) of the first RUN that runs pip: the virtualenv is made just before it. */
  firstPip: number | null;
  /** A virtualenv the Dockerfile makes itself (`python -m venv /opt/venv`): used instead of ours. */
  ownVenv: string | null;
  pipPackages: string[];
  pipRequirementFiles: string[];
  /** Go: where `CGO_ENABLED=0` goes, and binaries built outside the app folder. */
  goBuildInserts: number[];
  goOutputs: string[];
  /** Why the Go code needs cgo, or null; read from the build context once, on first use. */
  cgoProblem: () => string | null;
  /** Static sites: files the build put where the web server reads them, copied to the runtime. */
  published: string[];
  /** Published folders the build emptied first (`rm -rf /var/www/html/*`): emptied in the runtime too. */
  emptied: string[];
}

class Decline extends Error {
  constructor(
    message: string,
    readonly at: Instruction,
  ) {
    super(message);
  }
}

function planSplit(ctx: Ctx, stage: Stage, family: Family): Plan {
  try {
    return plan(ctx, stage, family);
  } catch (err) {
    if (err instanceof Decline) return { decline: err.message, at: err.at };
    throw err;
  }
}

function plan(ctx: Ctx, stage: Stage, family: Family): Plan {
  const { source } = ctx;
  const from = stage.from;
  if (from.getFlags().length > 0) throw new Decline(`FROM at line ${lineOf(from)} has flags (${from.getFlags()[0]!.toString()}); the runtime stage's platform cannot be chosen safely`, from);
  const instructions = stage.instructions;
  // A heredoc runs to its terminator, or to the end of the file when it has none: a runtime stage
  // appended after it would become part of its body. Docker 20.10 cannot build heredocs anyway.
  const heredoc = instructions.find((i) => (i instanceof Run || i instanceof Copy) && i.getHeredocs().length > 0);
  if (heredoc) throw new Decline(`${heredoc.getKeyword()} at line ${lineOf(heredoc)} uses a heredoc; what it leaves behind cannot be read`, heredoc);
  const roles = instructions.map((instruction) => roleOf(instruction));
  const lastBuild = roles.lastIndexOf('build');
  if (lastBuild === -1) throw new Decline('the stage builds nothing (no RUN, COPY or ADD): there is nothing to leave behind', from);

  const { appDir, workdirs } = readAppFolder(source, instructions, lastBuild);
  for (let i = 0; i < instructions.length; i++) {
    const instruction = instructions[i]!;
    const keyword = instruction.getKeyword();
    if (keyword === 'ONBUILD') throw new Decline(`ONBUILD at line ${lineOf(instruction)} runs in images built from this one; a split would move it`, instruction);
    if (roles[i] === 'build' || i > lastBuild) continue;
    if (keyword === 'VOLUME') throw new Decline(`VOLUME at line ${lineOf(instruction)} comes before build steps, which it affects`, instruction);
    if (keyword === 'USER' && !isRoot(instruction)) {
      throw new Decline(`USER at line ${lineOf(instruction)} makes later build steps create files as another user; copying them to the runtime stage would not keep their owner`, instruction);
    }
  }

  const served = family === 'node' && servesStatically(ctx, instructions);
  const facts = readBuildSteps(ctx, instructions, roles, appDir, family, served);
  if (facts.nodeInstall === 'yarn') throw new Decline('dependencies are installed with yarn; pruning yarn\'s dev dependencies is not supported yet', stage.from);
  const runtime = chooseRuntime(ctx, stage, family, instructions, facts, served);

  const buildName = stage.name ?? ctx.options.buildName;
  const runtimeName = ctx.options.runtimeName === buildName ? `${buildName}-runtime` : ctx.options.runtimeName;
  const eol = source.eol;
  const edits: TextEdit[] = [];

  // The build stage: named, and made to shed build-only weight.
  if (stage.name === null) {
    const image = from.getArguments()[0]!;
    const as = from.getInstruction() === from.getInstruction().toLowerCase() ? 'as' : 'AS';
    edits.push(insertAt(source.span(image.getRange()).end, ` ${as} ${buildName}`));
  }
  const venv = ctx.options.venv;
  const venvPath = `ENV PATH="${venv}/bin:$PATH"`;
  if (facts.firstPip !== null && facts.ownVenv === null) {
    const at = source.lineStart(instructions[facts.firstPip]!.getRange().start.line);
    edits.push(insertAt(at, `RUN python -m venv ${venv}${eol}${venvPath}${eol}`));
  }
  for (const offset of facts.goBuildInserts) edits.push(insertAt(offset, 'CGO_ENABLED=0 '));
  const prune = pruneCommand(facts.nodeInstall);

  // Runtime-only instructions leave the build stage, with the comments just above them.
  const moved = new Map<number, string>();
  const removed: Span[] = [];
  for (let i = 0; i < instructions.length; i++) {
    if (roles[i] !== 'runtime' && !(i > lastBuild && ['USER', 'VOLUME'].includes(instructions[i]!.getKeyword()))) continue;
    const span = blockSpan(source, instructions[i]!);
    moved.set(i, source.slice({ start: span.start, end: source.lineEndAt(source.positionAt(span.end - 1).line) }));
    removed.push(span);
  }
  const removals = tidyRemovals(source, removed);
  for (const span of removals) edits.push({ ...span, text: '' });
  // What the build stage ends with once the moved lines are gone: a removal that reaches the end
  // of the file leaves it ending at a line start, whatever the original's final newline.
  const endsWithBreak = removals.some((r) => r.end === source.text.length && r.start > 0) || source.finalNewline;

  const end = source.text.length;
  const afterLastBuild = source.nextLineStart(source.offsetAt(instructions[lastBuild]!.getRange().end));
  // At the end of the file the prune joins the runtime stage's insertion: two insertions at one
  // offset would have no defined order.
  const pruneAtEnd = prune !== null && afterLastBuild === end;
  if (prune && !pruneAtEnd) edits.push(insertAt(afterLastBuild, `${prune}${eol}`));

  // The runtime stage, instruction by instruction in the original order.
  // Written lines use upper-case keywords whatever the original's style: a copied lower-case
  // keyword would be one more warning of the validator (and of hadolint) in the output.
  const lines: string[] = [`FROM ${runtime.image} AS ${runtimeName}`];
  for (let i = 0; i < instructions.length; i++) {
    if (i === facts.firstPip && facts.ownVenv === null) lines.push(venvPath);
    const role = roles[i];
    if (moved.has(i)) lines.push(moved.get(i)!);
    else if (role === 'both') lines.push(copiedInstruction(source, instructions[i]!, workdirs.get(i)));
    if (i === lastBuild) lines.push(...payload(ctx, facts, runtime, appDir, buildName));
  }
  const lead = pruneAtEnd ? (endsWithBreak ? `${prune}${eol}${eol}` : `${eol}${prune}${eol}${eol}`) : endsWithBreak ? eol : `${eol}${eol}`;
  edits.push(insertAt(end, `${lead}${lines.join(eol)}${source.finalNewline ? eol : ''}`));

  const what = runtime.served ? `the published site and its server (${runtime.packages.join(', ')})` : family === 'node' ? 'production dependencies only' : family === 'python' ? `dependencies in a virtualenv (${venv})` : 'a static binary (CGO_ENABLED=0)';
  return { edits, image: runtime.image, message: `split into a build stage (${stage.image}) and a runtime stage on ${runtime.image} with ${what}` };
}

/**
 * Build steps stay in the build stage, runtime-only instructions move, and everything else (ARG,
 * ENV, WORKDIR, SHELL, USER, VOLUME) both stages need: the build runs under it and the final image
 * keeps it.
 */
function roleOf(instruction: Instruction): Role {
  const keyword = instruction.getKeyword();
  if (keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD') return 'build';
  return RUNTIME_ONLY.has(keyword) ? 'runtime' : 'both';
}

/**
 * The folder the app lives in: every build step must work inside the one working folder, since
 * that folder is what the runtime stage copies. Files put anywhere else would be lost.
 */
function readAppFolder(source: Source, instructions: readonly Instruction[], lastBuild: number): { appDir: string; workdirs: Map<number, string> } {
  let current = '/';
  let app: string | null = null;
  const workdirs = new Map<number, string>();
  for (let i = 0; i < instructions.length; i++) {
    const instruction = instructions[i]!;
    const keyword = instruction.getKeyword();
    if (keyword === 'WORKDIR') {
      const arg = operandsOf(instruction).join(' ').trim().replace(/^["']|["']$/g, '');
      if (arg.includes('$') || arg === '') throw new Decline(`WORKDIR at line ${lineOf(instruction)} uses a variable; the app folder cannot be known`, instruction);
      current = arg.startsWith('/') ? path.posix.normalize(arg) : path.posix.join(current, arg);
      workdirs.set(i, current);
      continue;
    }
    if (i > lastBuild || roleOf(instruction) !== 'build' || isFolderIndependent(source, instruction)) continue;
    if (app === null) app = current;
    if (current !== app) throw new Decline(`build steps run in two folders (${app} and ${current}, line ${lineOf(instruction)}); only one app folder can be copied`, instruction);
  }
  if (app === null || app === '/') throw new Decline('the app is built at the image root (no WORKDIR); there is no app folder to copy', instructions[lastBuild]!);
  return { appDir: app.replace(/\/+$/, ''), workdirs };
}

/** A RUN made only of OS package commands and absolute-path housekeeping: where it runs does not matter. */
function isFolderIndependent(source: Source, instruction: Instruction): boolean {
  const keyword = instruction.getKeyword();
  if (keyword === 'COPY' || keyword === 'ADD') return operandsOf(instruction).at(-1)?.startsWith('/') ?? false;
  if (!(instruction instanceof Run) || instruction.getOpeningBracket()) return false;
  const chain = runScript(source, instruction)?.chain;
  const absolute = (words: readonly (string | null)[]) => words.every((w) => w !== null && (w.startsWith('-') || w.startsWith('/')));
  const independent = (words: readonly (string | null)[]) =>
    readOsInstall(words) !== null ||
    isGlobalSetup(words) ||
    words[0] === 'echo' ||
    (['rm', 'mkdir'].includes(words[0] ?? '') && absolute(words.slice(1))) ||
    // `pip install flask` names packages; `pip install -r requirements.txt` reads a relative path
    ((pipArgs(words as string[])?.every((w) => w !== null && !w.startsWith('-r') && !w.startsWith('-c') && !w.startsWith('.') && !w.startsWith('--requirement')) ?? false) && words.every((w) => w !== null));
  return chain?.ok === true && chain.commands.every((c) => independent(c.words));
}

const scripts = new WeakMap<Run, { chain: Chain; scriptStart: number } | null>();

/**
 * A shell-form RUN's `&&` chain and where its script starts, parsed once: the folder check, the
 * static-site check and the build-step reading all ask for the same RUNs. Null without arguments.
 */
function runScript(source: Source, run: Run): { chain: Chain; scriptStart: number } | null {
  if (!scripts.has(run)) {
    const args = run.getArguments();
    if (args.length === 0) scripts.set(run, null);
    else {
      const scriptStart = source.offsetAt(args[0]!.getRange().start);
      scripts.set(run, { chain: andChain(source.text.slice(scriptStart, source.offsetAt(run.getRange().end))), scriptStart });
    }
  }
  return scripts.get(run)!;
}

/** Commands that set up global tools the final commands may use: run again in the runtime stage. */
function isGlobalSetup(words: readonly (string | null)[]): boolean {
  return (words[0] === 'npm' && (words.includes('-g') || words.includes('--global'))) || words[0] === 'corepack';
}

function readBuildSteps(ctx: Ctx, instructions: readonly Instruction[], roles: readonly Role[], appDir: string, family: Family, served: boolean): BuildFacts {
  const facts: BuildFacts = {
    osPackages: [], npmGlobals: [], globalSetup: [], nodeInstall: null, firstPip: null, ownVenv: null, pipPackages: [], pipRequirementFiles: [], goBuildInserts: [], goOutputs: [], published: [], emptied: [],
    cgoProblem: once(() => cgoProblem(ctx)),
  };
  let cgoDisabled = false;
  for (let i = 0; i < instructions.length; i++) {
    const instruction = instructions[i]!;
    const keyword = instruction.getKeyword();
    const envText = keyword === 'ENV' ? instructionText(ctx.source, instruction) : '';
    if (/\bCGO_ENABLED\b/.test(envText)) {
      if (/CGO_ENABLED=["']?1/.test(envText)) throw new Decline(`ENV at line ${lineOf(instruction)} turns cgo on; the binary needs the C library of the build image`, instruction);
      cgoDisabled = true;
    }
    if (roles[i] !== 'build') continue;
    if (keyword === 'COPY' || keyword === 'ADD') {
      const dest = checkCopy(instruction, appDir, served);
      if (dest !== null) facts.published.push(dest);
      continue;
    }
    const run = instruction as Run;
    if (run.getOpeningBracket()) throw new Decline(`RUN at line ${lineOf(run)} uses the exec form; what it leaves behind cannot be read`, run);
    const script = runScript(ctx.source, run);
    if (script === null) continue;
    const { chain, scriptStart } = script;
    if (!chain.ok) throw new Decline(`RUN at line ${lineOf(run)} cannot be read (${chain.reason}); what it leaves outside the app folder is unknown`, run);
    for (const command of chain.commands) {
      if (served && readPublishing(command.words, appDir, facts)) continue;
      readCommand(ctx, run, i, command, scriptStart, appDir, family, facts, cgoDisabled);
    }
  }
  return facts;
}

/** Checks where a COPY/ADD puts files; returns the destination when it publishes to the web server. */
function checkCopy(instruction: Instruction, appDir: string, served: boolean): string | null {
  const ops = operandsOf(instruction);
  if (ops.length < 2) return null;
  const dest = ops[ops.length - 1]!;
  if (dest.includes('$')) throw new Decline(`${instruction.getKeyword()} at line ${lineOf(instruction)} copies to a path made of variables`, instruction);
  if (!dest.startsWith('/') || isUnder(path.posix.normalize(dest), appDir)) return null;
  const normalized = path.posix.normalize(dest);
  if (served && isPublishedPath(normalized)) {
    // `COPY a b /etc/nginx/conf.d/` keeps the names: the folder is what the runtime copies.
    return dest.endsWith('/') || ops.length > 2 ? normalized.replace(/\/$/, '') : normalized;
  }
  throw new Decline(`${instruction.getKeyword()} at line ${lineOf(instruction)} puts files in ${dest}, outside the app folder ${appDir}`, instruction);
}

// Where Debian's nginx reads its configuration and, by default, the site.
const PUBLISHED_ROOTS = ['/var/www', '/etc/nginx', '/usr/share/nginx'];
const STATIC_SERVERS = new Set(['nginx', 'nginx-light', 'nginx-core', 'nginx-full', 'nginx-extras']);

function isPublishedPath(p: string): boolean {
  return PUBLISHED_ROOTS.some((root) => isUnder(p, root) && p !== root);
}

/**
 * A site built by Node and served by nginx from the OS packages: the final command starts nginx,
 * which a RUN installed. The runtime then needs nginx and what the build published for it, not Node.
 */
function servesStatically(ctx: Ctx, instructions: readonly Instruction[]): boolean {
  const final = [...instructions].reverse().find((i) => i.getKeyword() === 'CMD' || i.getKeyword() === 'ENTRYPOINT');
  if (!final) return false;
  const command = commandOf(ctx.source, final);
  const first = command === null ? null : command.exec ? command.exec[0] : calledCommands(command.shell)?.[0]?.[0];
  if (first !== 'nginx' && first !== '/usr/sbin/nginx') return false;
  return instructions.some((i) => {
    if (!(i instanceof Run) || i.getOpeningBracket()) return false;
    const chain = runScript(ctx.source, i)?.chain;
    return chain?.ok === true && chain.commands.some((c) => {
      const os = readOsInstall(c.words);
      return os !== null && 'packages' in os && os.packages.some((p) => STATIC_SERVERS.has(p.replace(/[=].*$/, '')));
    });
  });
}

/** `cp -r dist/* /var/www/html/`, `rm -rf /var/www/html/*`: the build publishing the site. */
function readPublishing(words: readonly (string | null)[], appDir: string, facts: BuildFacts): boolean {
  const [cmd, ...rest] = words;
  if (rest.some((w) => w === null)) return false;
  const args = (rest as string[]).filter((w) => !w.startsWith('-'));
  const resolve = (w: string) => path.posix.normalize(w.startsWith('/') ? w : path.posix.join(appDir, w));
  if (cmd === 'rm') {
    const targets = args.map((w) => resolve(w));
    if (!targets.every((t) => isPublishedPath(t.replace(/\/\*$/, '')))) return false;
    for (const t of targets) if (t.endsWith('/*')) facts.emptied.push(t.slice(0, -2));
    return true;
  }
  if (cmd === 'cp' || cmd === 'mv' || cmd === 'mkdir') {
    const dest = resolve(args[args.length - 1] ?? '');
    if (!isPublishedPath(dest)) return false;
    // Sources must come from the app folder: the runtime has nothing else.
    if (cmd !== 'mkdir' && !args.slice(0, -1).every((w) => isUnder(resolve(w.replace(/\/?\*$/, '')), appDir))) return false;
    facts.published.push(dest.replace(/\/$/, ''));
    return true;
  }
  return false;
}

function readCommand(ctx: Ctx, run: Run, index: number, command: SimpleCommand, scriptStart: number, appDir: string, family: Family, facts: BuildFacts, cgoDisabled: boolean): void {
  const words = command.words;
  const at = () => `RUN at line ${lineOf(run)}`;
  const shown = words.map((w) => w ?? '…').join(' ');
  if (words[0] === null || words[0] === undefined) throw new Decline(`${at()} runs a command named by a variable`, run);
  const cmd = words[0];

  const os = readOsInstall(words);
  if (os) {
    if ('unreadable' in os) throw new Decline(`${at()}: ${os.unreadable}`, run);
    if (os.packages.length === 0) return;
    const sorted = sortPackages(os.packages, os.manager === 'apk');
    if (!sorted.ok) throw new Decline(`${at()}: ${sorted.reason}, so the runtime stage cannot install it`, run);
    facts.osPackages.push(...sorted.runtime.filter((p) => !facts.osPackages.includes(p)));
    return;
  }

  if ((cmd === 'chown' || cmd === 'chmod') && words.slice(1).some((w) => w !== null && !w.startsWith('-') && [appDir, `${appDir}/`, '.', './'].includes(w))) {
    // A copy between stages keeps the owner and mode of what is inside the folder, not of the
    // folder itself: the runtime's own WORKDIR would stay root's.
    throw new Decline(`${at()} changes the owner or mode of the app folder itself, which the copy to the runtime stage does not carry`, run);
  }
  if (isScratchOnly(words, appDir, command.decorated)) return;
  if (words.some((w) => w === null) && !['npm', 'yarn', 'pnpm', 'go'].includes(cmd)) {
    throw new Decline(`${at()} runs "${shown}", whose arguments are variables or quoted`, run);
  }
  // npm, yarn, pnpm and go may take variables as values (`npm ci --omit=$OMIT`): read those as empty.
  const literal = words.map((w) => w ?? '');

  switch (family) {
    case 'node':
      if (cmd === 'npm' || cmd === 'yarn' || cmd === 'pnpm') {
        const sub = literal[1];
        const global = literal.includes('-g') || literal.includes('--global') || (cmd === 'yarn' && sub === 'global');
        if (global) {
          if (cmd !== 'npm' || !['install', 'i', 'add'].includes(sub ?? '')) throw new Decline(`${at()} installs globally with ${cmd}; install it in the runtime stage by hand`, run);
          facts.npmGlobals.push(...literal.slice(2).filter((w) => !w.startsWith('-')));
          facts.globalSetup.push(literal.join(' '));
          return;
        }
        if (['ci', 'install', 'i', 'clean-install'].includes(sub ?? '') || (cmd === 'yarn' && (sub === undefined || sub.startsWith('-')))) {
          if (literal.slice(2).some((w) => w.startsWith('--prefix'))) throw new Decline(`${at()} installs into another folder (--prefix)`, run);
          facts.nodeInstall = facts.nodeInstall ?? cmd;
        }
        return; // scripts, tests, builds and prunes work inside the app folder
      }
      if (cmd === 'corepack') {
        // `corepack enable` puts pnpm and yarn shims in /usr/local/bin: the runtime needs them too.
        facts.globalSetup.push(literal.join(' '));
        if (literal[1] === 'enable') facts.npmGlobals.push('pnpm', 'yarn');
        return;
      }
      if (cmd === 'npx' || cmd === 'tsc' || cmd === 'node') return;
      break;
    case 'python': {
      const pip = pipArgs(literal);
      if (pip) {
        const bad = pip.find((w) => ['--user', '--prefix', '--target', '-t', '--root'].includes(w.split('=')[0]!));
        if (bad) throw new Decline(`${at()} runs pip with ${bad}, which installs outside the virtualenv the runtime stage copies`, run);
        facts.firstPip = facts.firstPip ?? index;
        for (let j = 0; j < pip.length; j++) {
          if (pip[j] === '-r' || pip[j] === '--requirement') facts.pipRequirementFiles.push(pip[++j] ?? '');
          else if (!pip[j]!.startsWith('-')) facts.pipPackages.push(pip[j]!);
        }
        return;
      }
      if ((cmd === 'python' || cmd === 'python3') && literal[1] === '-m' && (literal[2] === 'venv' || literal[2] === 'virtualenv')) {
        const dir = literal.slice(3).find((w) => !w.startsWith('-'));
        if (!dir?.startsWith('/') || facts.firstPip !== null) throw new Decline(`${at()} makes a virtualenv ${dir?.startsWith('/') ? 'after pip already installed into the system Python' : 'at a relative path'}; the runtime stage cannot tell what to copy`, run);
        facts.ownVenv = path.posix.normalize(dir);
        return;
      }
      if ((cmd === 'python' || cmd === 'python3') && (literal[1] === '-m' && literal[2] === 'compileall')) return;
      if ((cmd === 'python' || cmd === 'python3') && literal[1] === 'manage.py' && literal[2] === 'collectstatic') return;
      if (['pipenv', 'poetry', 'uv', 'conda', 'pdm'].includes(cmd)) throw new Decline(`${at()} installs with ${cmd}; split-stages handles pip only so far`, run);
      break;
    }
    case 'go':
      if (cmd === 'go') {
        const sub = literal[1];
        if (sub === 'build') {
          readGoBuild(ctx, run, command, scriptStart, literal, appDir, facts, cgoDisabled);
          return;
        }
        if (['mod', 'vet', 'test', 'generate', 'env', 'version', 'list'].includes(sub ?? '')) return;
        throw new Decline(`${at()} runs "go ${sub}"; its output is not in the app folder`, run);
      }
      break;
  }
  throw new Decline(`${at()} runs "${shown}"; cannot tell whether the app needs what it leaves outside ${appDir}`, run);
}

/** File and housekeeping commands that only touch the app folder or caches. */
function isScratchOnly(words: readonly (string | null)[], appDir: string, decorated: boolean): boolean {
  const [cmd, ...rest] = words;
  // Printing commands write nothing unless redirected; their quoted words do not matter.
  if (['true', 'echo', 'ls', 'cat', 'pwd', 'printenv', 'env', 'whoami', 'id', 'uname', 'date'].includes(cmd!)) return !decorated;
  if (!['mkdir', 'rm', 'cp', 'mv', 'chmod', 'chown', 'ln', 'touch', 'sed', 'find', 'cd'].includes(cmd!) || decorated) return false;
  return rest.every((w) => {
    if (w === null) return false;
    if (w.startsWith('-') || !w.startsWith('/')) return true;
    const target = path.posix.normalize(w.replace(/\*.*$/, ''));
    return isUnder(target, appDir) || SCRATCH_PATHS.some((p) => isUnder(target, p));
  });
}

function pipArgs(words: readonly string[]): string[] | null {
  if ((words[0] === 'pip' || words[0] === 'pip3') && words[1] === 'install') return words.slice(2);
  if ((words[0] === 'python' || words[0] === 'python3') && words[1] === '-m' && /^pip3?$/.test(words[2] ?? '') && words[3] === 'install') return words.slice(4);
  return null;
}

// Modules that are cgo bindings: with CGO_ENABLED=0 they fail to build or lose their driver.
const CGO_MODULES = ['github.com/mattn/go-sqlite3', 'github.com/confluentinc/confluent-kafka-go', 'gopkg.in/confluentinc/confluent-kafka-go', 'github.com/go-gl/', 'github.com/mattn/go-oci8', 'github.com/DataDog/zstd', 'github.com/tecbot/gorocksdb', 'github.com/linxGnu/grocksdb'];

function readGoBuild(ctx: Ctx, run: Run, command: SimpleCommand, scriptStart: number, words: readonly string[], appDir: string, facts: BuildFacts, cgoDisabled: boolean): void {
  const at = `RUN at line ${lineOf(run)}`;
  const cgoFlag = words.find((w) => w === '-race' || w === '-msan' || w === '-asan' || /linkmode[= ]+external/.test(w));
  if (cgoFlag) throw new Decline(`${at}: the build needs cgo (${cgoFlag})`, run);
  const out = flagValue(words, '-o');
  if (!out) throw new Decline(`${at}: "go build" without -o; the binary's name cannot be known for sure`, run);
  const outPath = out.startsWith('/') ? path.posix.normalize(out) : path.posix.join(appDir, out);
  if (!isUnder(outPath, appDir)) facts.goOutputs.push(outPath.endsWith('/') ? outPath.slice(0, -1) : outPath);
  const problem = facts.cgoProblem();
  if (problem) throw new Decline(`${at}: ${problem}`, run);
  if (!cgoDisabled && !command.assigns.includes('CGO_ENABLED')) facts.goBuildInserts.push(scriptStart + command.start);
  if (command.assigns.includes('CGO_ENABLED') && /CGO_ENABLED=["']?1/.test(ctx.source.text.slice(scriptStart + command.start, scriptStart + command.end))) {
    throw new Decline(`${at} builds with cgo on; the binary needs the C library of the build image`, run);
  }
}

/** Does the module (in the build context) need cgo? `import "C"` in its code or a cgo binding in go.mod. */
function cgoProblem(ctx: Ctx): string | null {
  const bc = ctx.buildContext;
  if (bc.root === null) return 'the build context is unknown, so whether the code needs cgo cannot be checked';
  const gomod = bc.readText('go.mod');
  if (gomod) {
    const binding = CGO_MODULES.find((m) => gomod.includes(m));
    if (binding) return `go.mod requires ${binding}, which needs cgo`;
  }
  let seen = 0;
  const pending = [''];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for (const entry of bc.list(dir) ?? []) {
      const rel = dir ? `${dir}/${entry}` : entry;
      if (++seen > 5000) return 'the build context has over 5,000 files; not all were checked for cgo';
      if (entry === 'vendor' || entry === 'node_modules' || entry.startsWith('.')) continue;
      if (bc.isDirectory(rel)) pending.push(rel);
      else if (entry.endsWith('.go') && /^\s*import\s+(\(\s*)?"C"/m.test(bc.readText(rel) ?? '')) return `${rel} uses cgo (import "C")`;
    }
  }
  return null;
}

interface Runtime {
  image: string;
  /** OS packages to install in the runtime stage, and with which package manager. */
  packages: string[];
  manager: 'apt' | 'apk';
  /** Debian slim has no CA bundle; a Go binary that makes TLS calls needs the builder's. */
  copyCaCerts: boolean;
  /** A static site: the runtime gets the server and the published files, not the app folder. */
  served: boolean;
  /**
   * The official Node images start everything through `ENTRYPOINT ["docker-entrypoint.sh"]`; a
   * runtime on another base must declare it again, or the final image's entrypoint changes.
   */
  keepNodeEntrypoint: boolean;
}

function chooseRuntime(ctx: Ctx, stage: Stage, family: Family, instructions: readonly Instruction[], facts: BuildFacts, served: boolean): Runtime {
  const ref = parseImage(stage.image!);
  const programs = programsCalled(ctx, instructions);
  const needed = new Set(facts.osPackages);
  let needsShellImage = programs.shell;
  for (const { program, at } of programs.list) {
    if (family === 'go' && isGoBinary(program, facts)) continue;
    if (family === 'python' && providedByPip(program, ctx, facts)) continue;
    if (family === 'node' && facts.npmGlobals.some((g) => globalBins(g).includes(program))) continue;
    if (served && (program === 'nginx' || program === '/usr/sbin/nginx')) continue;
    const need = programNeed(program, family);
    if (need.kind === 'unknown') throw new Decline(`${at.getKeyword()} at line ${lineOf(at)} runs "${program}"; cannot tell whether the runtime image has it`, at);
    if (family === 'go') needsShellImage = true;
    if (need.kind === 'package') needed.add(need.name);
  }
  if (family === 'node' && !served) {
    const problem = nodeRuntimeProblem(readProject(ctx, stage), programs.nodeCommands);
    if (problem) throw new Decline(problem, instructions.find((i) => i.getKeyword() === 'CMD' || i.getKeyword() === 'ENTRYPOINT') ?? stage.from);
  }

  let image: string;
  if (served) {
    image = ctx.options.staticRuntimeImage || debianSlimOf(ref);
    if (!image) throw new Decline(`the Debian release of ${stage.image} is not known; set the staticRuntimeImage option`, stage.from);
  } else if (family === 'go') {
    if (needed.size > 0 || facts.globalSetup.length > 0) needsShellImage = true;
    image = needsShellImage ? ctx.options.goShellRuntimeImage : ctx.options.goRuntimeImage;
  } else {
    const configured = family === 'node' ? ctx.options.nodeRuntimeImage : ctx.options.pythonRuntimeImage;
    if (configured) image = configured;
    else {
      const slim = slimVariant(ref, family, globalArgs(ctx.source));
      if (!slim.ok) throw new Decline(slim.reason, stage.from);
      if (slim.alreadySlim && facts.nodeInstall === null && facts.firstPip === null) {
        throw new Decline(`the base ${stage.image} is already slim and no dependencies are installed; a split would save nothing`, stage.from);
      }
      image = slim.image;
    }
  }
  if ((needed.size > 0 || facts.globalSetup.length > 0) && isDistroless(image)) {
    throw new Decline(`the runtime image ${image} cannot install ${[...needed, ...facts.globalSetup].join(', ')} (no shell or package manager)`, stage.from);
  }
  // The runtime image's own package manager, whatever the build used: Alpine's apk, else apt.
  return { image, packages: [...needed], manager: isAlpine(image) ? 'apk' : 'apt', copyCaCerts: family === 'go' && !isDistroless(image), served,
    keepNodeEntrypoint: served && !instructions.some((i) => i.getKeyword() === 'ENTRYPOINT') };
}

function readProject(ctx: Ctx, stage: Stage): NodeProject {
  const project = readNodeProject(ctx.buildContext);
  if ('problem' in project) throw new Decline(project.problem, stage.from);
  return project;
}

// Global packages whose commands are not named after the package.
const GLOBAL_BINS: Record<string, string[]> = {
  pm2: ['pm2', 'pm2-runtime', 'pm2-docker', 'pm2-dev'],
  typescript: ['tsc', 'tsserver'],
  '@nestjs/cli': ['nest'],
  '@angular/cli': ['ng'],
};

/** The commands a globally installed package (`pm2@5`, `@scope/cli@latest`) puts on the PATH. */
function globalBins(spec: string): string[] {
  const name = spec.replace(/(.)@[^/]*$/, '$1');
  return GLOBAL_BINS[name] ?? [name.split('/').pop()!];
}

function isGoBinary(program: string, facts: BuildFacts): boolean {
  const base = program.slice(program.lastIndexOf('/') + 1);
  return program.startsWith('./') || program.startsWith('/') ? true : facts.goOutputs.some((o) => o.endsWith(`/${base}`));
}

function providedByPip(program: string, ctx: Ctx, facts: BuildFacts): boolean {
  if (facts.firstPip === null) return false;
  const norm = (s: string) => s.toLowerCase().replace(/[-_.]+/g, '-');
  const names = [...facts.pipPackages];
  for (const file of facts.pipRequirementFiles) {
    for (const line of (ctx.buildContext.readText(file.replace(/^\.\//, '')) ?? '').split(/\r?\n/)) names.push(line);
  }
  return names.some((n) => norm(n.replace(/[\s\[=<>~!;#].*$/, '')) === norm(program));
}

interface ProgramUse {
  program: string;
  at: Instruction;
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

/** The command of CMD, ENTRYPOINT or HEALTHCHECK CMD: exec-form words or a shell script. */
function commandOf(source: Source, instruction: Instruction): { exec: string[] } | { exec?: undefined; shell: string } | null {
  const keyword = instruction.getKeyword();
  let text: string;
  if (keyword === 'HEALTHCHECK') {
    const sub = (instruction as unknown as { getSubcommand(): { getValue(): string; getRange(): { end: { line: number; character: number } } } | null }).getSubcommand();
    if (!sub || sub.getValue().toUpperCase() !== 'CMD') return null;
    text = source.text.slice(source.offsetAt(sub.getRange().end), source.offsetAt(instruction.getRange().end));
  } else {
    const args = instruction.getArguments();
    if (args.length === 0) return null;
    text = source.text.slice(source.offsetAt(args[0]!.getRange().start), source.offsetAt(instruction.getRange().end));
  }
  const joined = text.replace(new RegExp(`\\${source.escapeChar}\\r?\\n`, 'g'), '').trim();
  if (joined.startsWith('[')) {
    try {
      const parsed = JSON.parse(joined) as unknown;
      if (Array.isArray(parsed) && parsed.every((w) => typeof w === 'string')) return { exec: parsed as string[] };
    } catch {
      // Not valid JSON: Docker runs it as a shell command, and so do we.
    }
  }
  return { shell: joined };
}

function pruneCommand(install: BuildFacts['nodeInstall']): string | null {
  if (install === 'npm') return 'RUN npm prune --omit=dev';
  if (install === 'pnpm') return 'RUN pnpm prune --prod';
  if (install === 'yarn') throw new Error('unreachable: yarn declines earlier');
  return null;
}

/** What the runtime stage receives at the point of the original's last build step. */
function payload(ctx: Ctx, facts: BuildFacts, runtime: Runtime, appDir: string, buildName: string): string[] {
  const lines: string[] = [];
  if (runtime.packages.length > 0) {
    // What the build emptied before publishing (the server package's own placeholder page) is
    // emptied again after the runtime installs the package, or the copy would merge with it.
    const emptied = [...new Set(facts.emptied)].map((dir) => ` && rm -rf ${dir}/*`).join('');
    lines.push(installLine(runtime.manager, runtime.packages) + emptied);
  }
  if (facts.globalSetup.length > 0) lines.push(`RUN ${facts.globalSetup.join(' && ')}`);
  if (runtime.copyCaCerts) lines.push(`COPY --from=${buildName} /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt`);
  const venv = facts.ownVenv ?? (facts.firstPip !== null ? ctx.options.venv : null);
  if (venv !== null) lines.push(`COPY --from=${buildName} ${venv} ${venv}`);
  // A static site's runtime needs only what was published; the app folder still comes along
  // (dev dependencies pruned) so that the image keeps every file its WORKDIR had.
  for (const p of minimalPaths(facts.published)) lines.push(`COPY --from=${buildName} ${p} ${p}`);
  if (runtime.keepNodeEntrypoint) {
    lines.push(`COPY --from=${buildName} /usr/local/bin/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh`);
    lines.push('ENTRYPOINT ["docker-entrypoint.sh"]');
  }
  lines.push(`COPY --from=${buildName} ${appDir} ${appDir}`);
  for (const out of facts.goOutputs) lines.push(`COPY --from=${buildName} ${out} ${out}`);
  return lines;
}

/** Paths without those inside another listed path (copying `/var/www/html` covers its files). */
function minimalPaths(paths: readonly string[]): string[] {
  const unique = [...new Set(paths)].sort();
  return unique.filter((p) => !unique.some((q) => q !== p && isUnder(p, q)));
}

/** `ARG NAME=default` lines before the first FROM: the variables FROM lines may use. */
function globalArgs(source: Source): Map<string, string | null> {
  const args = new Map<string, string | null>();
  for (const instruction of source.dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') break;
    if (instruction.getKeyword() !== 'ARG') continue;
    for (const arg of operandsOf(instruction)) {
      const eq = arg.indexOf('=');
      args.set(eq === -1 ? arg : arg.slice(0, eq), eq === -1 ? null : arg.slice(eq + 1).replace(/^["']|["']$/g, ''));
    }
  }
  return args;
}


function isRoot(instruction: Instruction): boolean {
  const user = operandsOf(instruction).join('').split(':')[0];
  return user === 'root' || user === '0';
}

function lineOf(instruction: Instruction): number {
  return instruction.getRange().start.line + 1;
}

/** The instruction's text as written, continuation lines and all, without its final line break. */
function instructionText(source: Source, instruction: Instruction): string {
  const range = instruction.getRange();
  return source.text.slice(source.lineStart(range.start.line), source.lineEndAt(range.end.line));
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

/** The lines of an instruction and the comment lines right above it, line break included. */
function blockSpan(source: Source, instruction: Instruction): Span {
  let first = instruction.getRange().start.line;
  while (first > 0 && /^\s*#/.test(source.text.slice(source.lineStart(first - 1), source.lineEndAt(first - 1))) && !isDirectiveLine(source, first - 1)) first--;
  return { start: source.lineStart(first), end: source.nextLineStart(source.offsetAt(instruction.getRange().end)) };
}

// Parser directives (`# syntax=`, `# escape=`) look like comments but belong to the file's top.
function isDirectiveLine(source: Source, line: number): boolean {
  return source.dockerfile.getDirectives().some((d) => d.getRange().start.line === line);
}

function once<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

/**
 * An instruction both stages need, as the runtime stage writes it: the original text with the
 * keyword in upper case, and a relative WORKDIR made absolute (the runtime stage starts at `/`,
 * where the original's relative path would mean something else if an earlier WORKDIR was moved).
 */
function copiedInstruction(source: Source, instruction: Instruction, resolvedWorkdir?: string): string {
  const text = instructionText(source, instruction);
  const keywordStart = source.offsetAt(instruction.getInstructionRange().start) - source.lineStart(instruction.getRange().start.line);
  const keyword = instruction.getInstruction();
  const upper = text.slice(0, keywordStart) + keyword.toUpperCase() + text.slice(keywordStart + keyword.length);
  if (instruction.getKeyword() === 'WORKDIR' && resolvedWorkdir !== undefined && !operandsOf(instruction).join(' ').trim().startsWith('/')) {
    return `WORKDIR ${resolvedWorkdir}`;
  }
  return upper;
}
