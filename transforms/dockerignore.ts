// dockerignore: a Dockerfile that copies its whole build context (`COPY . .`) from a folder with no
// .dockerignore sends, and bakes into the image, whatever the developer's checkout holds:
// node_modules, .git, build outputs, logs, env files, editor junk. This proposes a .dockerignore at
// the context root listing what this folder actually has, each with the reason, and never a path
// the build or the app reads.
import path from 'node:path/posix';
import type { Instruction } from 'dockerfile-ast';
import { dockerignoreToGitignore, type BuildContext } from '../src/build-context.js';
import { planManifests, recognize } from '../src/ecosystems.js';
import { commandOf } from '../src/final-command.js';
import { ignoreMatcher } from '../src/lazy.js';
import { calledCommands } from '../src/shell.js';
import { copiesFromContext, copyOperands, isBroadCopy, readStages, type Stage } from '../src/stages.js';
import { lineage } from '../src/stage-products.js';
import { workingFolders } from '../src/workdirs.js';
import { readPackageJson } from '../src/stacks/node/package-json.js';
import { buildScript, scriptOutputs } from '../src/stacks/node/build.js';
import { defineTransform, type Finding, type TransformContext } from '../src/transform.js';
import { DEFAULT_RUNTIME_PATHS } from './narrow-copy-from.js';

interface Options {
  runtimePaths: string[];
  envFiles: boolean;
}

type Ctx = TransformContext<Options>;

/** The file it creates, at the build context root (where BuildKit reads it with `-f -` too). */
const IGNORE_FILE = '.dockerignore';
/** How far the context is looked through: enough for `logs/app.log`, `src/pkg/__pycache__`, not a whole monorepo. */
const MAX_DEPTH = 4;
const MAX_ENTRIES = 10_000;
/** Folders listed but never entered: what is below them is excluded (or kept) with them. */
const NOT_ENTERED = new Set(['node_modules', '.git', '.venv', 'venv', '__pycache__', '.tox', '.pytest_cache', '.mypy_cache']);
const NODE_INSTALLERS = new Set(['npm', 'yarn', 'pnpm']);
/** Env files that are templates, committed to be copied (`cp .env.example .env`), not secrets. */
const ENV_TEMPLATE = /\.(example|sample|template|dist|defaults?)$/;
/** Package managers whose bare words are script and command names, not paths (`npm run build`). */
const SCRIPT_RUNNERS = new Set(['npm', 'npx', 'yarn', 'pnpm', 'bun', 'node']);

/** One line of the proposed file: its pattern, the comment saying why, and whether it may go inside a folder the build copies. */
interface Candidate {
  pattern: string;
  why: string;
  /** Junk no build reads even inside a copied folder (bytecode, editor files): a `COPY src/ ...` does not keep it. */
  junk?: boolean;
  /** Set for env files: excluding them is unsafe. */
  env?: boolean;
  /**
   * Written again by the build (node_modules by the install, dist by `npm run build`): a RUN or CMD
   * naming a path inside it reads the new one, so only a COPY of it (before it is rebuilt) conflicts.
   */
  rebuilt?: boolean;
}

export default defineTransform<Options>({
  id: 'dockerignore',
  summary: 'Create a .dockerignore for a build that copies its whole context, excluding the dependencies, VCS data, build outputs, logs and junk that folder has.',
  safety: 'safe',
  unsafeReason: 'it excludes env files (.env.local …) that the app may read at run time',
  options: {
    runtimePaths: {
      type: 'string[]',
      default: DEFAULT_RUNTIME_PATHS,
      pattern: /^[A-Za-z0-9._@+-][A-Za-z0-9._@+\/-]*$/,
      description: 'Files and folders of the context the app reads at run time: never excluded (the same list as narrow-copy-from).',
    },
    envFiles: {
      type: 'boolean',
      default: true,
      description: 'Also exclude env files (`.env.local`, `.env.development` …; never templates such as `.env.example`): an unsafe fix, since the app may read them.',
    },
  },
  run(ctx) {
    const broad = ctx.dockerfile.getInstructions().find((i) => isBroadCopy(i));
    if (!broad) return [];
    const at = ctx.source.span(broad.getRange());
    const decline = (message: string): Finding[] => [{ key: 'decline', message, span: { start: at.start, end: at.start } }];
    const context = ctx.buildContext;
    // Unknown context (stdin without a path, or an ignore file stageopt cannot use — which is an
    // ignore file all the same): nothing is known to exclude, so there is nothing to decline either.
    if (context.root === null) return [];
    // An ignore file of any kind is the project's own choice; BuildKit reads <Dockerfile>.dockerignore first.
    if (context.ignoreFile !== null) return [];

    const entries = walk(context);
    const needs = readNeeds(ctx);
    if (typeof needs === 'string') return decline(`${needs}, so the files it uses are unknown; no .dockerignore proposed`);

    const kept: string[] = [];
    const chosen: Candidate[] = [];
    for (const candidate of candidates(ctx, entries, needs, kept)) {
      const conflict = usedPath(candidate, candidate.rebuilt ? needs.copied : [...needs.copied, ...needs.named], entries.paths);
      if (conflict) kept.push(`${candidate.pattern} (${conflict} is used by the build)`);
      else chosen.push(candidate);
    }
    if (chosen.length === 0) {
      return kept.length === 0 ? [] : decline(`nothing to exclude safely: kept ${kept.join(', ')}; no .dockerignore proposed`);
    }
    const envs = chosen.filter((c) => c.env);
    const content = ['# Written by stageopt (dockerignore): what the build and the app do not use from this folder.', ...chosen.flatMap((c) => [`# ${c.why}`, c.pattern]), ''].join('\n');
    const keptNote = kept.length === 0 ? '' : `; kept ${kept.join(', ')}`;
    return [
      {
        key: 'create-dockerignore',
        message: `create ${IGNORE_FILE} excluding ${chosen.map((c) => c.pattern).join(', ')} from the build context${keptNote}`,
        span: { start: at.start, end: at.start },
        fix: {
          edits: [],
          creates: [{ path: IGNORE_FILE, content }],
          ...(envs.length > 0
            ? { safety: 'unsafe' as const, unsafeReason: `it excludes ${envs.map((c) => c.pattern).join(', ')}, which the app may read at run time (give it with --env-file or -e instead)` }
            : {}),
        },
      },
    ];
  },
});

interface Entries {
  /** Every path seen (files and folders), relative to the context root. */
  paths: string[];
  dirs: Set<string>;
}

/** The context breadth first, to MAX_DEPTH and MAX_ENTRIES, without entering NOT_ENTERED folders. */
function walk(context: BuildContext): Entries {
  const paths: string[] = [];
  const dirs = new Set<string>();
  let level = [''];
  for (let depth = 0; depth < MAX_DEPTH && level.length > 0 && paths.length < MAX_ENTRIES; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      for (const name of context.list(dir) ?? []) {
        if (paths.length >= MAX_ENTRIES) break;
        const rel = dir ? `${dir}/${name}` : name;
        paths.push(rel);
        if (!context.isDirectory(rel)) continue;
        dirs.add(rel);
        if (!NOT_ENTERED.has(name)) next.push(rel);
      }
    }
    level = next;
  }
  return { paths, dirs };
}

interface Needs {
  /** Context paths (or globs) copied by name: COPY/ADD sources, the manifests an install reads, the run-time paths. */
  copied: string[];
  /** Context paths RUN, CMD, ENTRYPOINT and HEALTHCHECK name. */
  named: string[];
  /** The build runs git (`git describe`): .git stays. */
  runsGit: boolean;
  /** The build installs Node dependencies itself. */
  installsNode: string | null;
  /** Folders the build writes again (`npm run build` → dist). */
  rebuilt: Map<string, string>;
}

/** What the build and the app read from the context, or why a RUN cannot be read. */
function readNeeds(ctx: Ctx): Needs | string {
  const needs: Needs = { copied: [...ctx.options.runtimePaths], named: [], runsGit: false, installsNode: null, rebuilt: new Map() };
  const pkg = readPackageJson(ctx.buildContext, '');
  const stages = readStages(ctx.source);
  for (const stage of stages) {
    const dests = copyDestinations(stage, stages);
    for (const instruction of stage.instructions) {
      const keyword = instruction.getKeyword();
      if (copiesFromContext(instruction)) {
        for (const source of copyOperands(instruction)?.sources ?? []) {
          if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source) || source === '.' || source === './') continue;
          needs.copied.push(source);
        }
        continue;
      }
      if (keyword !== 'RUN' && keyword !== 'CMD' && keyword !== 'ENTRYPOINT' && keyword !== 'HEALTHCHECK') continue;
      const command = commandOf(ctx.source, instruction);
      if (!command) continue;
      if (command.exec === undefined && instruction.getKeyword() === 'RUN' && (instruction as unknown as { getHeredocs(): unknown[] }).getHeredocs().length > 0) {
        return `the RUN at line ${line(ctx, instruction)} has a heredoc`;
      }
      const calls = command.exec !== undefined ? [command.exec] : calledCommands(command.shell, { quoted: true });
      if (calls === null) return `the ${keyword} at line ${line(ctx, instruction)} cannot be read`;
      for (const words of calls) readCommand(ctx, words, dests, needs, pkg, instruction);
    }
  }
  return needs;
}

function readCommand(ctx: Ctx, words: readonly (string | null)[], dests: readonly (string | null)[], needs: Needs, pkg: Record<string, any> | null, instruction: Instruction): void {
  const literal = words.filter((w): w is string => w !== null);
  if (literal.some((w) => w === 'git' || path.basename(w) === 'git')) needs.runsGit = true;
  const recognized = recognize(words);
  if (recognized?.kind === 'install') {
    if (NODE_INSTALLERS.has(recognized.install.ecosystem)) needs.installsNode = `${literal.slice(0, 2).join(' ')}, line ${line(ctx, instruction)}`;
    // The files manifest-first copies ahead of this install.
    const plan = planManifests(recognized.install, ctx.buildContext, []);
    if (plan.ok) needs.copied.push(...plan.plan.paths);
  }
  const script = buildScript(words);
  if (script && pkg) {
    const outputs = scriptOutputs(script, pkg, '', ctx.buildContext);
    if (typeof outputs !== 'string') for (const out of outputs.outputs) needs.rebuilt.set(path.normalize(out).replace(/^\.\/|\/$/g, ''), `${literal.slice(0, 3).join(' ')}, line ${line(ctx, instruction)}`);
  }
  if (literal[0] === 'cargo' && literal[1] === 'build') needs.rebuilt.set('target', `cargo build, line ${line(ctx, instruction)}`);
  if (/^(mvn|mvnw|\.\/mvnw)$/.test(literal[0] ?? '') && literal.some((w) => /^(package|install|verify)$/.test(w))) needs.rebuilt.set('target', `${literal[0]} package, line ${line(ctx, instruction)}`);
  const scripted = SCRIPT_RUNNERS.has(literal[0] ?? '');
  for (const word of literal.slice(1)) {
    const value = word.startsWith('-') ? (word.includes('=') ? word.slice(word.indexOf('=') + 1) : '') : word;
    if (!value || (scripted && !/[./]/.test(value))) continue;
    for (const rel of contextPathsOf(value, dests, ctx.buildContext)) needs.named.push(rel);
  }
}

/**
 * A word as paths of the context: relative as written, or absolute under a folder the broad copy
 * filled. Under a folder that is not known (null), any tail of the path may be one: those the
 * context holds, or all of them when it holds none.
 */
function contextPathsOf(word: string, dests: readonly (string | null)[], context: BuildContext): string[] {
  if (!path.isAbsolute(word)) return [path.normalize(word)];
  const out = new Set<string>();
  for (const d of dests) {
    if (d === null) {
      const parts = path.normalize(word).split('/').filter(Boolean);
      const tails = parts.map((_, i) => parts.slice(i).join('/'));
      const held = tails.filter((t) => context.has(t));
      for (const t of held.length > 0 ? held : tails) out.add(t);
    } else if (word.startsWith(d === '/' ? '/' : `${d}/`)) out.add(word.slice(d === '/' ? 1 : d.length + 1));
  }
  return [...out];
}

/**
 * Where the broad copies (`COPY . <dest>`) of the stage and of the stages it is built on put the
 * context, as absolute folders; null for one whose folder is not known (a variable, or a relative
 * destination in the WORKDIR of a base image stageopt does not know).
 */
function copyDestinations(stage: Stage, stages: readonly Stage[]): (string | null)[] {
  const chain = lineage(stage, stages) ?? [stage];
  const workdirs = workingFolders(chain);
  const dests: (string | null)[] = [];
  for (const instruction of chain.flatMap((s) => s.instructions)) {
    if (!isBroadCopy(instruction)) continue;
    const dest = copyOperands(instruction)!.dest;
    const cwd = workdirs.before(instruction);
    if (dest.includes('$')) dests.push(null);
    else if (path.isAbsolute(dest)) dests.push(path.normalize(dest).replace(/(.)\/$/, '$1'));
    else dests.push(cwd?.known ? path.resolve(cwd.dir, dest) : null);
  }
  return dests;
}

/** The proposed lines for what this context holds; what must stay is added to `kept` with the reason. */
function candidates(ctx: Ctx, entries: Entries, needs: Needs, kept: string[]): Candidate[] {
  const out: Candidate[] = [];
  const root = entries.paths.filter((p) => !p.includes('/'));
  const rootDir = (name: string) => entries.dirs.has(name);
  const anywhere = (test: (base: string, rel: string) => boolean) => entries.paths.some((p) => test(path.basename(p), p));

  const nestedModules = entries.paths.some((p) => p.endsWith('/node_modules') && !p.startsWith('node_modules/') && entries.dirs.has(p));
  if (rootDir('node_modules') || nestedModules) {
    const pattern = nestedModules ? '**/node_modules' : 'node_modules';
    if (needs.installsNode) out.push({ pattern, why: `dependencies: the build installs its own (${needs.installsNode})`, rebuilt: true });
    else kept.push(`${pattern} (the Dockerfile installs no Node dependencies, so the build may use them)`);
  }
  if (root.includes('.git')) {
    if (needs.runsGit) kept.push('.git (the build runs git)');
    else out.push({ pattern: '.git', why: 'version control history: the build does not run git' });
  }
  for (const dir of ['dist', 'build', 'target']) {
    if (!rootDir(dir)) continue;
    const by = needs.rebuilt.get(dir);
    if (by) out.push({ pattern: dir, why: `build output: the build writes it again (${by})`, rebuilt: true });
    else kept.push(`${dir} (the Dockerfile does not build it again)`);
  }
  for (const dir of ['.venv', 'venv']) {
    if (rootDir(dir) && ctx.buildContext.has(`${dir}/pyvenv.cfg`)) out.push({ pattern: dir, why: 'a virtualenv made on the host: its interpreter paths are the host\'s' });
  }
  if (anywhere((b, rel) => b === '__pycache__' && entries.dirs.has(rel))) out.push({ pattern: '**/__pycache__', why: 'Python bytecode: written again on import', junk: true });
  if (anywhere((b, rel) => /\.py[co]$/.test(b) && !rel.includes('__pycache__/'))) out.push({ pattern: '**/*.pyc', why: 'Python bytecode: written again on import', junk: true });
  for (const [dir, why] of [
    ['coverage', 'test coverage reports'],
    ['.nyc_output', 'test coverage data'],
    ['.pytest_cache', 'test runner cache'],
    ['.mypy_cache', 'type checker cache'],
    ['.tox', 'tox environments made on the host'],
  ] as const) {
    if (rootDir(dir)) out.push({ pattern: dir, why });
  }
  if (anywhere((b, rel) => /\.log$/.test(b) && !entries.dirs.has(rel))) out.push({ pattern: '**/*.log', why: 'logs written on the host' });
  if (root.some((p) => /^(npm-debug|yarn-debug|yarn-error)\.log./.test(p))) out.push({ pattern: '*-debug.log*', why: 'package manager debug logs' });
  for (const [name, why] of [
    ['.DS_Store', 'macOS folder metadata'],
    ['Thumbs.db', 'Windows thumbnail cache'],
  ] as const) {
    if (anywhere((b) => b === name)) out.push({ pattern: `**/${name}`, why, junk: true });
  }
  for (const dir of ['.idea', '.vscode']) if (rootDir(dir)) out.push({ pattern: dir, why: 'editor settings', junk: true });
  if (anywhere((b) => /^\..*\.sw[op]$/.test(b))) out.push({ pattern: '**/.*.sw?', why: 'editor swap files', junk: true });
  const envs = root.filter((p) => /^\.env(\..+)?$/.test(p) && !ENV_TEMPLATE.test(p) && !entries.dirs.has(p));
  for (const env of envs) {
    if (ctx.options.runtimePaths.includes(env)) kept.push(`${env} (the app may read it at run time: runtimePaths)`);
    else if (ctx.options.envFiles) out.push({ pattern: env, why: 'local environment settings, often secrets: pass them at run time instead', env: true });
  }
  return out;
}

/**
 * A path the build or the app uses that the candidate would exclude, or null. A used folder also
 * conflicts with a pattern that excludes something inside it (`COPY logs/ ...` and `**\/*.log`),
 * unless the candidate is junk no build reads.
 */
function usedPath(candidate: Candidate, used: readonly string[], seen: readonly string[]): string | null {
  const matcher = ignoreMatcher().add(dockerignoreToGitignore(candidate.pattern));
  for (const raw of used) {
    const p = path.normalize(raw).replace(/^\.\/+|\/+$/g, '');
    if (p === '' || p === '.' || p.startsWith('../')) continue;
    if (matcher.ignores(p)) return raw;
    if (!candidate.junk && seen.some((e) => e.startsWith(`${p}/`) && matcher.ignores(e))) return raw;
  }
  return null;
}

function line(ctx: Ctx, instruction: Instruction): number {
  return ctx.source.lineNumberAt(ctx.source.offsetAt(instruction.getRange().start));
}
