// reproducible-install: a dependency install that may quietly update its lockfile becomes the one
// that installs exactly the lockfile (`npm install` → `npm ci`, yarn's `--frozen-lockfile` /
// `--immutable`, pnpm's `--frozen-lockfile`) when the lockfile reaches the install and agrees with
// package.json; and `pip install` gains `--no-cache-dir` when no cache mount keeps pip's cache.
import path from 'node:path';
import { Env, Run, type Instruction } from 'dockerfile-ast';
import { recognize } from '../src/ecosystems.js';
import { insertAt, replaceSpan } from '../src/edits.js';
import type { SimpleCommand } from '../src/shell.js';
import type { Source } from '../src/source.js';
import { lineage, readProducts, type StageProducts } from '../src/stage-products.js';
import { globalArgs, mountTargets, parseImage, readStages, type Stage } from '../src/stages.js';
import { knownWords, runScript } from '../src/stacks/run-script.js';
import { bundledNpmMajor, nodeMajor, npmCiMissing } from '../src/stacks/node/image.js';
import { parseNpmLock } from '../src/stacks/node/lockfile.js';
import { npmLockDisagreement, pnpmLockDisagreement, yarnLockDisagreement } from '../src/stacks/node/lock-sync.js';
import { readPackageJson } from '../src/stacks/node/package-json.js';
import { readYarnBerry } from '../src/stacks/node/yarn-berry.js';
import { defineTransform, type Finding, type Fix, type TransformContext } from '../src/transform.js';

interface Options {
  npm: boolean;
  yarn: boolean;
  pnpm: boolean;
  pip: boolean;
}

type Ctx = TransformContext<Options>;
type Manager = 'npm' | 'yarn' | 'pnpm';

const UNSAFE_REASON = 'the frozen install stops the build when the lockfile is out of date, which stageopt checks only against package.json';
const NPM_UNSAFE = 'npm ci stops the build when package-lock.json is out of date (checked only against package.json) and never rewrites it, where npm install may have';
// Flags that mean the same to `npm ci` as to `npm install`; a flag outside this list may not.
const NPM_CI_FLAGS = /^(--production|--production=true|--omit=(dev|optional|peer)|--only=prod(uction)?|--include=(dev|optional|peer|prod)|--ignore-scripts|--silent|-s|--quiet|-q|--verbose|-d|--loglevel=\S+|--no-audit|--audit=false|--no-fund|--fund=false|--no-progress|--progress=false|--unsafe-perm|--unsafe-perm=true|--legacy-peer-deps|--no-optional|--no-update-notifier|--prefer-offline)$/;
const NPM_VALUE_FLAGS = new Set(['--loglevel', '--omit', '--include', '--only']);
const MENTIONS = /\b(npm|yarn|pnpm|pip[\d.]*|python[\d.]*)\b/;

export default defineTransform<Options>({
  id: 'reproducible-install',
  summary: 'Install exactly the lockfile (`npm ci`, `--frozen-lockfile`, `--immutable`) and keep pip\'s download cache out of the image (`--no-cache-dir`).',
  safety: 'unsafe',
  unsafeReason: UNSAFE_REASON,
  options: {
    npm: { type: 'boolean', default: true, description: 'Rewrite `npm install` to `npm ci` when the lockfile is copied in and agrees with package.json.' },
    yarn: { type: 'boolean', default: true, description: 'Add `--frozen-lockfile` (yarn 1) or `--immutable` (yarn 2+) to `yarn install`.' },
    pnpm: { type: 'boolean', default: true, description: 'Add `--frozen-lockfile` to `pnpm install`.' },
    pip: { type: 'boolean', default: true, description: 'Add `--no-cache-dir` to `pip install` on a RUN without a cache mount for pip.' },
  },
  run(ctx) {
    const findings: Finding[] = [];
    const stages = readStages(ctx.source);
    for (const stage of stages) {
      for (const instruction of stage.instructions) {
        if (!(instruction instanceof Run) || instruction.getHeredocs().length > 0 || instruction.getOpeningBracket()) continue;
        if (!MENTIONS.test(instruction.getArgumentsContent() ?? '')) continue;
        const script = runScript(ctx.source, instruction);
        if (script === null || !script.chain.ok) continue;
        const commands = script.chain.commands;
        for (const [index, command] of commands.entries()) {
          // A word still not known after reading quotes and ENV leaves the command alone.
          const words = knownWords(ctx.source, stage.instructions, instruction, command);
          const at = { stage, stages, run: instruction, command, words, before: commands.slice(0, index), scriptStart: script.scriptStart };
          const finding = readCommand(ctx, at);
          if (finding) findings.push(finding);
        }
      }
    }
    return findings;
  },
});

interface At {
  stage: Stage;
  stages: readonly Stage[];
  run: Run;
  command: SimpleCommand;
  /** The command's words, quotes read and known `$NAME`s filled in; null where still unknown. */
  words: readonly (string | null)[];
  /** The commands of the same RUN before this one. */
  before: readonly SimpleCommand[];
  scriptStart: number;
}

function readCommand(ctx: Ctx, at: At): Finding | null {
  const words = at.words;
  if (words.some((w) => w === null)) return null;
  const literal = words as string[];
  const pipAt = pipInstallIndex(literal);
  if (pipAt !== -1) return ctx.options.pip ? pipFinding(ctx, at, literal, pipAt) : null;
  const manager = literal[0];
  if (manager !== 'npm' && manager !== 'yarn' && manager !== 'pnpm') return null;
  if (!ctx.options[manager]) return null;
  const recognized = recognize(literal);
  if (recognized?.kind !== 'install' || recognized.install.ecosystem !== manager) return null; // `npm install express` adds a package
  if (alreadyFrozen(manager, literal)) return null;
  return nodeFinding(ctx, at, manager, literal);
}

/** Where `install` is in a pip command (`pip install`, `pip3.12 install`, `python3 -m pip install`), or -1. */
function pipInstallIndex(words: readonly string[]): number {
  if (/^pip[\d.]*$/.test(words[0] ?? '') && words[1] === 'install') return 1;
  if (/^python[\d.]*$/.test(words[0] ?? '') && words[1] === '-m' && /^pip[\d.]*$/.test(words[2] ?? '') && words[3] === 'install') return 3;
  return -1;
}

function alreadyFrozen(manager: Manager, words: readonly string[]): boolean {
  if (manager === 'npm') return ['ci', 'clean-install', 'install-clean'].includes(words[1] ?? '');
  // An explicit `--no-frozen-lockfile` is the project's own choice: not ours to fight.
  return words.some((w) => /^--(frozen-lockfile|immutable|no-frozen-lockfile|no-immutable)(=.*)?$/.test(w));
}

function nodeFinding(ctx: Ctx, at: At, manager: Manager, words: readonly string[]): Finding | null {
  const run = at.run;
  const line = lineOf(run);
  const shown = `${manager}${manager === 'yarn' && words[1] !== 'install' ? '' : ` ${words[1]}`} at line ${line}`;
  const decline = (reason: string): Finding => ({ key: `decline-${manager}-${line}`, message: `${shown}: ${reason}`, span: spanOf(ctx.source, run) });

  if (ctx.buildContext.root === null) return decline('the build context is unknown, so whether the lockfile reaches the install cannot be told');
  if (at.before.some((c) => c.words[0] === 'cd')) return decline('the install runs after a `cd` in the same RUN, whose folder is not followed');
  if (at.before.some((c) => { const r = recognize(c.words); return r?.kind === 'install'; })) return decline('another install runs before it in the same RUN');
  const chain = lineage(at.stage, at.stages);
  if (chain === null) return decline('a FROM uses a variable, so the stage it builds on cannot be read');
  const read = readProducts(ctx.buildContext, at.stages, chain, run);
  if (!read.ok) return decline(`what the app folder holds at the install cannot be told: ${read.reason}`);
  const products = read.products;
  const cwd = products.workdir;
  const pkgPath = products.contextPath(path.posix.join(cwd, 'package.json'));
  if (pkgPath === null) return decline(`no package.json from the build context is in ${cwd} when the install runs`);
  const dir = path.posix.dirname(pkgPath) === '.' ? '' : path.posix.dirname(pkgPath);
  const pkg = readPackageJson(ctx.buildContext, dir);
  if (pkg === null) return decline(`${pkgPath} is missing or not valid JSON`);
  if (pkg.workspaces !== undefined || (manager === 'pnpm' && ctx.buildContext.has(path.posix.join(dir, 'pnpm-workspace.yaml')))) {
    return decline('the project has workspaces, whose members\' manifests stageopt does not check against the lockfile');
  }

  const lockNames = manager === 'npm' ? ['npm-shrinkwrap.json', 'package-lock.json'] : manager === 'yarn' ? ['yarn.lock'] : ['pnpm-lock.yaml'];
  const copied = lockNames.find((name) => products.contextPath(path.posix.join(cwd, name)) === path.posix.join(dir, name));
  if (copied === undefined) {
    const present = lockNames.find((name) => ctx.buildContext.has(path.posix.join(dir, name)));
    return decline(present ? `${present} is in the build context but not copied into ${cwd} before the install` : `no ${lockNames.join(' or ')} in the build context`);
  }
  const lockText = ctx.buildContext.readText(path.posix.join(dir, copied));
  if (lockText === null) return decline(`${copied} cannot be read`);

  if (manager === 'npm') return npmFinding(ctx, at, words, products, { pkg, lockText, lockName: copied, chain }, decline);
  const stale = manager === 'yarn' ? yarnLockDisagreement(pkg, lockText) : pnpmLockDisagreement(pkg, lockText);
  if (stale) return decline(stale);
  let flag = '--frozen-lockfile';
  if (manager === 'yarn') {
    if (words.some((w) => w === '--no-lockfile' || w === '--update-checksums')) return decline('it runs with a flag that writes or skips the lockfile');
    // Yarn 2+ writes a `__metadata` block; its frozen install is `--immutable`.
    const berryLock = /^__metadata:/m.test(lockText);
    const berry = readYarnBerry(pkg, ctx.buildContext);
    if (berryLock !== (berry !== null)) return decline('yarn.lock and the project\'s yarn settings disagree on whether yarn 1 or yarn 2+ runs');
    if (berry !== null) flag = '--immutable';
  } else if (words.includes('--fix-lockfile')) {
    return decline('it runs with --fix-lockfile, which rewrites the lockfile');
  }
  const fix: Fix = { edits: [insertAt(at.scriptStart + at.command.end, ` ${flag}`)], unsafeReason: `${manager} ${flag} stops the build when ${copied} is out of date, which stageopt checks only against package.json` };
  return { key: `${manager}-frozen-${line}-${at.command.start}`, message: `add ${flag} to ${shown}: install exactly ${copied}`, span: spanOf(ctx.source, run), fix };
}

interface NpmProject {
  pkg: Record<string, any>;
  lockText: string;
  lockName: string;
  chain: readonly Stage[];
}

function npmFinding(ctx: Ctx, at: At, words: readonly string[], products: StageProducts, project: NpmProject, decline: (reason: string) => Finding): Finding {
  const cwd = products.workdir;
  const modules = path.posix.join(cwd, 'node_modules');
  if (products.contextPath(modules) !== null) return decline(`node_modules from the build context is in ${cwd} before the install, and npm ci deletes it`);
  if (products.items.some((item) => item.path === modules)) return decline(`an earlier install filled ${modules}, and npm ci deletes it`);
  const foreign = products.foreign.find((f) => f.dest === cwd || f.dest.startsWith(modules) || cwd.startsWith(f.dest + '/') || f.dest === '/');
  if (foreign) return decline(`line ${foreign.line} puts ${foreign.what}'s files into ${foreign.dest}, which may hold a node_modules that npm ci deletes`);

  const flags = words.slice(2);
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    if (NPM_VALUE_FLAGS.has(flag)) {
      if (!NPM_CI_FLAGS.test(`${flag}=${flags[i + 1] ?? ''}`)) return decline(`npm ci may not take ${flag} ${flags[i + 1] ?? ''} the way npm install does`);
      i++;
    } else if (!NPM_CI_FLAGS.test(flag)) {
      return decline(`npm ci may not take ${flag} the way npm install does`);
    }
  }

  const image = project.chain[0]!.image;
  if (image === null) return decline('the stage\'s base image cannot be read');
  const ref = parseImage(image);
  const args = globalArgs(ctx.source);
  const missing = npmCiMissing(ref, args);
  if (missing) return decline(missing);
  const lock = parseNpmLock(project.lockText);
  if (lock === null) return decline(`${project.lockName} is not valid JSON`);
  const major = nodeMajor(ref, args);
  const npmMajor = major === null ? null : bundledNpmMajor(major);
  if (npmMajor !== null && npmMajor < 7 && lock.lockfileVersion === 3) return decline(`${project.lockName} is lockfileVersion 3, which the npm ${npmMajor} of ${image} cannot read`);
  const stale = npmLockDisagreement(project.pkg, lock, project.lockName);
  if (stale) return decline(stale);

  const text = ctx.source.text.slice(at.scriptStart + at.command.start, at.scriptStart + at.command.end);
  const sub = /(^|[\s=])npm((?:[ \t]|\\\r?\n)+)(install|i|isntall)(?=[\s]|$)/.exec(text);
  if (!sub) return decline('the install word cannot be found in the command text');
  const subStart = at.scriptStart + at.command.start + sub.index + sub[1]!.length + 3 + sub[2]!.length;
  const line = lineOf(at.run);
  return {
    key: `npm-ci-${line}-${at.command.start}`,
    message: `"npm ${words[1]}" at line ${line} → "npm ci": install exactly ${project.lockName}, which agrees with package.json`,
    span: spanOf(ctx.source, at.run),
    fix: { edits: [replaceSpan({ start: subStart, end: subStart + sub[3]!.length }, 'ci')], unsafeReason: NPM_UNSAFE },
  };
}

function pipFinding(ctx: Ctx, at: At, words: readonly string[], installAt: number): Finding | null {
  const rest = words.slice(installAt + 1);
  if (rest.some((w) => w === '--no-cache-dir' || w.startsWith('--cache-dir'))) return null;
  if (at.command.assigns.includes('PIP_NO_CACHE_DIR') || at.command.assigns.includes('PIP_CACHE_DIR')) return null;
  // A cache mount keeps pip's cache out of the image already, and pip should read it: no flag then.
  if (mountTargets(at.run, 'cache').size > 0) return null;
  const chain = lineage(at.stage, at.stages) ?? [at.stage];
  if (pipCacheSetting(chain, at.run)) return null;
  const line = lineOf(at.run);
  // A later step that reads pip's cache (a `COPY --from` of it, `pip install --no-index`) would miss it.
  if (/\.cache\/pip/.test(ctx.source.text)) {
    return { key: `decline-pip-${line}`, message: `pip install at line ${line}: the file names .cache/pip, which a later step may read`, span: spanOf(ctx.source, at.run) };
  }
  const text = ctx.source.text.slice(at.scriptStart + at.command.start, at.scriptStart + at.command.end);
  const tokens = [...text.matchAll(/[^\s\\]+/g)];
  const lead = at.command.assigns.length;
  const install = tokens[lead + installAt];
  if (!install || install[0] !== 'install' || tokens.length !== lead + words.length) return null;
  const end = at.scriptStart + at.command.start + install.index! + install[0].length;
  return {
    key: `pip-no-cache-${line}-${at.command.start}`,
    message: `add --no-cache-dir to "${words.slice(0, installAt + 1).join(' ')}" at line ${line}: pip's download cache stays out of the image`,
    span: spanOf(ctx.source, at.run),
    fix: { edits: [insertAt(end, ' --no-cache-dir')], safety: 'safe' },
  };
}

/** Whether an ENV before the RUN (in the stage or those it builds on) sets PIP_NO_CACHE_DIR or PIP_CACHE_DIR. */
function pipCacheSetting(chain: readonly Stage[], until: Instruction): boolean {
  for (const stage of chain) {
    for (const instruction of stage.instructions) {
      if (instruction === until) return false;
      if (instruction instanceof Env && instruction.getProperties().some((p) => p.getName() === 'PIP_NO_CACHE_DIR' || p.getName() === 'PIP_CACHE_DIR')) return true;
    }
  }
  return false;
}

function spanOf(source: Source, instruction: Instruction) {
  return source.span(instruction.getRange());
}

function lineOf(instruction: Instruction): number {
  return instruction.getRange().start.line + 1;
}
