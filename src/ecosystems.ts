// Package managers as Dockerfiles use them: which command is a dependency install, which files
// from the build context that install reads, and when an install reads more than its manifests
// (lifecycle hooks, local path dependencies) so that it must not run before the sources are there.
import path from 'node:path';
import type { BuildContext } from './build-context.js';
import { andChain } from './shell.js';

export const ECOSYSTEMS = ['npm', 'yarn', 'pnpm', 'pip', 'pipenv', 'poetry', 'uv', 'go', 'bundler', 'composer'] as const;
export type Ecosystem = (typeof ECOSYSTEMS)[number];

/**
 * How the install is put ahead of the sources:
 * - move: the install itself runs before `COPY . .` (it reads only manifests);
 * - prepare: a source-free variant runs before, and the original install stays after the
 *   sources to finish the job (install the project itself, run scripts, dump the autoloader).
 */
export type Strategy = 'move' | 'prepare';

export interface Install {
  ecosystem: Ecosystem;
  strategy: Strategy;
  /** Words to append to the command for the early run (`--no-root`); empty for `move`. */
  prepareFlags: string[];
  /** For `prepare` where the early command differs from the install (`go build` → `go mod download`). */
  prepareCommand?: string;
  /** pip: requirement/constraint files named on the command line, relative to the install's folder. */
  requirementFiles: string[];
  ignoresScripts: boolean;
}

export type Recognized = { kind: 'install'; install: Install } | { kind: 'decline'; reason: string } | null;

const NPM_VALUE_FLAGS = new Set(['--loglevel', '--cache', '--registry', '--userconfig', '--omit', '--include', '--only', '--workspace', '-w']);

/** Is this simple command (its literal words) a dependency install from manifests? */
export function recognize(words: readonly (string | null)[]): Recognized {
  if (words.length === 0 || words[0] === null) return null;
  const [cmd, sub] = words;
  const rest = words.slice(2);
  const literal = (ws: readonly (string | null)[]): ws is string[] => ws.every((w) => w !== null);
  const positional = (ws: readonly string[], valueFlags: ReadonlySet<string>) => {
    const out: string[] = [];
    for (let i = 0; i < ws.length; i++) {
      const w = ws[i]!;
      if (w.startsWith('-')) {
        if (valueFlags.has(w)) i++;
      } else out.push(w);
    }
    return out;
  };
  const base = { prepareFlags: [], requirementFiles: [], ignoresScripts: false };
  switch (cmd) {
    case 'npm':
      if (!['ci', 'install', 'i', 'clean-install', 'install-clean', 'isntall'].includes(sub ?? '')) return null;
      if (!literal(rest)) return { kind: 'decline', reason: `"npm ${sub}" has arguments made of variables` };
      if (rest.some((w) => w === '-g' || w === '--global')) return null;
      if (rest.some((w) => w.startsWith('--prefix'))) return { kind: 'decline', reason: 'npm installs into another folder (--prefix)' };
      if (positional(rest, NPM_VALUE_FLAGS).length > 0) return null; // `npm install express`: adds a package, not a manifest install
      return { kind: 'install', install: { ...base, ecosystem: 'npm', strategy: 'move', ignoresScripts: rest.includes('--ignore-scripts') } };
    case 'yarn': {
      const args = words.slice(1);
      if (!literal(args)) return { kind: 'decline', reason: '"yarn" has arguments made of variables' };
      if (args.length > 0 && args[0] !== 'install' && !args[0]!.startsWith('-')) return null;
      if (positional(args[0] === 'install' ? args.slice(1) : args, new Set(['--cache-folder', '--modules-folder', '--network-timeout'])).length > 0) return null;
      return { kind: 'install', install: { ...base, ecosystem: 'yarn', strategy: 'move', ignoresScripts: args.includes('--ignore-scripts') } };
    }
    case 'pnpm':
      if (!['install', 'i'].includes(sub ?? '')) return null;
      if (!literal(rest)) return { kind: 'decline', reason: '"pnpm install" has arguments made of variables' };
      if (positional(rest, new Set(['--filter', '-F', '--store-dir'])).length > 0) return null;
      return { kind: 'install', install: { ...base, ecosystem: 'pnpm', strategy: 'move', ignoresScripts: rest.includes('--ignore-scripts') } };
    case 'pip':
    case 'pip3':
      return sub === 'install' ? recognizePip(rest) : null;
    case 'python':
    case 'python3':
      return sub === '-m' && (words[2] === 'pip' || words[2] === 'pip3') && words[3] === 'install' ? recognizePip(words.slice(4)) : null;
    case 'pipenv':
      if (sub !== 'install' && sub !== 'sync') return null;
      if (!literal(rest) || positional(rest, new Set(['--python'])).length > 0) return null;
      return { kind: 'install', install: { ...base, ecosystem: 'pipenv', strategy: 'move' } };
    case 'poetry':
      if (sub !== 'install' || !literal(rest)) return null;
      return { kind: 'install', install: { ...base, ecosystem: 'poetry', strategy: 'prepare', prepareFlags: rest.includes('--no-root') ? [] : ['--no-root'] } };
    case 'uv':
      if (sub === 'pip' && words[2] === 'install') return recognizePip(words.slice(3));
      if (sub !== 'sync' || !literal(rest)) return null;
      return { kind: 'install', install: { ...base, ecosystem: 'uv', strategy: 'prepare', prepareFlags: rest.includes('--no-install-project') ? [] : ['--no-install-project'] } };
    case 'go':
      if (sub === 'mod' && words[2] === 'download') return { kind: 'install', install: { ...base, ecosystem: 'go', strategy: 'move' } };
      if (['build', 'install', 'test', 'vet', 'run', 'generate'].includes(sub ?? '')) {
        return { kind: 'install', install: { ...base, ecosystem: 'go', strategy: 'prepare', prepareCommand: 'go mod download' } };
      }
      return null;
    case 'bundle':
      if (sub !== 'install' || !literal(rest)) return null;
      return { kind: 'install', install: { ...base, ecosystem: 'bundler', strategy: 'move' } };
    case 'composer':
      if (sub !== 'install' || !literal(rest)) return null;
      return {
        kind: 'install',
        install: { ...base, ecosystem: 'composer', strategy: 'prepare', prepareFlags: ['--no-scripts', '--no-autoloader'].filter((f) => !rest.includes(f)) },
      };
    case 'mvn':
    case './mvnw':
    case 'gradle':
    case './gradlew':
      return { kind: 'decline', reason: `${cmd} resolves dependencies from the build files and plugins together; no safe manifest-only step is known` };
    case 'cargo':
      return sub === 'build' || sub === 'fetch' || sub === 'install'
        ? { kind: 'decline', reason: 'cargo cannot fetch and build dependencies without the sources (a dummy main.rs trick changes what is built)' }
        : null;
    default:
      return null;
  }
}

function recognizePip(args: readonly (string | null)[]): Recognized {
  if (!args.every((w): w is string => w !== null)) return { kind: 'decline', reason: '"pip install" has arguments made of variables' };
  const files: string[] = [];
  const packages: string[] = [];
  const valueFlags = new Set(['--prefix', '--target', '-t', '--root', '--index-url', '-i', '--extra-index-url', '--find-links', '-f', '--trusted-host', '--cache-dir', '--timeout', '--retries', '--progress-bar']);
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === '-r' || w === '--requirement' || w === '-c' || w === '--constraint') files.push(args[++i] ?? '');
    else if (/^(-r|-c)(.+)$/.test(w) && !w.startsWith('--')) files.push(w.slice(2));
    else if (/^--(requirement|constraint)=/.test(w)) files.push(w.slice(w.indexOf('=') + 1));
    else if (w === '-e' || w === '--editable') return { kind: 'decline', reason: 'pip installs the project itself (-e), which needs the sources' };
    else if (valueFlags.has(w)) i++;
    else if (!w.startsWith('-')) packages.push(w);
  }
  if (packages.some(isLocalPath)) return { kind: 'decline', reason: `pip installs a local path (${packages.find(isLocalPath)}), which needs the sources` };
  if (files.length === 0) return null; // `pip install flask gunicorn`: named packages, no manifest
  if (packages.length > 0) return null; // mixed with named packages: not a pure manifest install
  return { kind: 'install', install: { ecosystem: 'pip', strategy: 'move', prepareFlags: [], requirementFiles: files, ignoresScripts: false } };
}

function isLocalPath(spec: string): boolean {
  return spec === '.' || spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/') || spec.startsWith('file:') || spec.endsWith('/');
}

/**
 * Commands that read nothing from the sources, so they may travel with an install that moves
 * ahead of them (`apt-get install -y python3 make && npm ci`).
 */
export function isSourceIndependent(words: readonly (string | null)[]): boolean {
  if (words.some((w) => w === null) || words.length === 0) return false;
  const [cmd, sub] = words as string[];
  const rest = (words as string[]).slice(2);
  switch (cmd) {
    case 'apt-get':
    case 'apt':
    case 'apk':
    case 'yum':
    case 'dnf':
    case 'microdnf':
    case 'true':
    case 'echo':
    case 'corepack':
      return true;
    case 'rm':
      return rest.concat(sub ?? '').every((w) => w.startsWith('-') || w.startsWith('/var/lib/apt') || w.startsWith('/var/cache') || w.startsWith('/tmp') || w === '');
    case 'mkdir':
      return true;
    case 'npm':
    case 'yarn':
    case 'pnpm':
      return sub === 'config' || sub === 'set' || ((sub === 'install' || sub === 'i' || sub === 'add') && rest.some((w) => w === '-g' || w === '--global'));
    case 'pip':
    case 'pip3':
      return sub === 'install' && rest.every((w) => w.startsWith('-') || /^[A-Za-z0-9_.\-\[\]=<>~!]+$/.test(w)) && !rest.some((w) => ['-r', '-e', '.', '-c'].includes(w) || w.startsWith('-r') || w.startsWith('-c'));
    case 'gem':
      return sub === 'install' && rest.every((w) => !w.includes('/'));
    case 'bundle':
    case 'poetry':
    case 'composer':
      return sub === 'config';
    default:
      return false;
  }
}

export interface ManifestPlan {
  /** Context paths to copy before the install, files and folders, sorted. */
  paths: string[];
}

export type PlanResult = { ok: true; plan: ManifestPlan } | { ok: false; reason: string };

/** The files an install reads, as they exist in the build context; or why the install needs more. */
export function planManifests(install: Install, ctx: BuildContext, extraFiles: readonly string[]): PlanResult {
  const paths = new Set<string>();
  const addIfPresent = (...candidates: string[]) => {
    for (const c of candidates) if (ctx.has(c)) paths.add(c);
  };
  const requireFile = (file: string): string | null => (ctx.has(file) ? (paths.add(file), null) : `no ${file} in the build context${excludedNote(ctx, file)}`);
  let problem: string | null = null;
  switch (install.ecosystem) {
    case 'npm':
    case 'yarn':
    case 'pnpm':
      problem = planNode(install, ctx, paths, extraFiles);
      break;
    case 'pip':
      for (const file of install.requirementFiles) {
        problem ??= followRequirements(file, ctx, paths, new Set());
      }
      break;
    case 'pipenv':
      problem = requireFile('Pipfile');
      if (!problem && /path\s*=\s*["']\.{0,2}\//.test(ctx.readText('Pipfile') ?? '')) problem = 'the Pipfile installs a local path, which needs the sources';
      addIfPresent('Pipfile.lock');
      break;
    case 'poetry':
      problem = requireFile('pyproject.toml');
      addIfPresent('poetry.lock', 'poetry.toml');
      if (!problem && /path\s*=\s*["']/.test(ctx.readText('pyproject.toml') ?? '')) problem = 'pyproject.toml has a path dependency, which needs the sources';
      break;
    case 'uv':
      problem = requireFile('pyproject.toml') ?? requireFile('uv.lock');
      addIfPresent('.python-version', 'uv.toml');
      if (!problem && /\[tool\.uv\.(workspace|sources)\]/.test(ctx.readText('pyproject.toml') ?? '')) problem = 'pyproject.toml declares uv workspace members or sources, which need the sources';
      break;
    case 'go': {
      problem = requireFile('go.mod');
      addIfPresent('go.sum');
      const gomod = ctx.readText('go.mod') ?? '';
      if (!problem && ctx.has('go.work')) problem = 'a go.work workspace spans several modules';
      if (!problem && /^\s*replace\b[^\n]*=>\s*\.{0,2}\//m.test(gomod)) problem = 'go.mod replaces a module with a local folder, which the download needs';
      if (!problem && /^\s*replace\s*\(([^)]*=>\s*\.{0,2}\/)/m.test(gomod)) problem = 'go.mod replaces a module with a local folder, which the download needs';
      break;
    }
    case 'bundler': {
      problem = requireFile('Gemfile');
      addIfPresent('Gemfile.lock', '.bundle/config');
      const gemfile = ctx.readText('Gemfile') ?? '';
      if (!problem && /^\s*gemspec\b/m.test(gemfile)) problem = 'the Gemfile loads a gemspec, which reads the sources';
      if (!problem && /\bpath:\s*["']|:path\s*=>/.test(gemfile)) problem = 'the Gemfile has a path gem, which needs the sources';
      break;
    }
    case 'composer': {
      problem = requireFile('composer.json');
      addIfPresent('composer.lock', 'auth.json');
      const json = parseJson(ctx.readText('composer.json'));
      if (!problem && JSON.stringify(json?.repositories ?? []).includes('"path"')) problem = 'composer.json has a path repository, which needs the sources';
      break;
    }
  }
  if (problem) return { ok: false, reason: problem };
  for (const extra of extraFiles) {
    if (!ctx.has(extra)) return { ok: false, reason: `extra file ${extra} (from the options) is not in the build context` };
    paths.add(extra);
  }
  return { ok: true, plan: { paths: [...paths].sort() } };
}

function excludedNote(ctx: BuildContext, file: string): string {
  return ctx.excluded(file) ? ` (excluded by ${path.basename(ctx.ignoreFile ?? '.dockerignore')})` : '';
}

function parseJson(text: string | null): Record<string, any> | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : null;
  } catch {
    return null;
  }
}

const LIFECYCLE = ['preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'prepare', 'postprepare'];

function planNode(install: Install, ctx: BuildContext, paths: Set<string>, extraFiles: readonly string[]): string | null {
  if (!ctx.has('package.json')) return `no package.json in the build context${excludedNote(ctx, 'package.json')}`;
  const pkg = parseJson(ctx.readText('package.json'));
  if (!pkg) return 'package.json is not valid JSON';
  paths.add('package.json');
  const lockfiles: Record<string, string[]> = {
    npm: ['package-lock.json', 'npm-shrinkwrap.json'],
    yarn: ['yarn.lock'],
    pnpm: ['pnpm-lock.yaml'],
  };
  const config: Record<string, string[]> = {
    npm: ['.npmrc'],
    yarn: ['.npmrc', '.yarnrc', '.yarnrc.yml', '.yarn/releases', '.yarn/plugins', '.yarn/patches', '.yarn/cache'],
    pnpm: ['.npmrc', '.pnpmfile.cjs', 'pnpm-workspace.yaml'],
  };
  const locks = lockfiles[install.ecosystem]!.filter((f) => ctx.has(f));
  for (const f of [...locks, ...config[install.ecosystem]!]) if (ctx.has(f)) paths.add(f);

  // Workspaces: the install needs every member's package.json at the same place.
  const members = workspaceMembers(install, pkg, ctx);
  if (typeof members === 'string') return members;
  const packages: [string, Record<string, any>][] = [['package.json', pkg]];
  for (const dir of members) {
    const file = `${dir}/package.json`;
    const member = parseJson(ctx.readText(file));
    if (!member) return `${file} is missing or not valid JSON`;
    paths.add(file);
    packages.push([file, member]);
  }

  for (const [file, manifest] of packages) {
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      for (const [name, spec] of Object.entries((manifest[field] ?? {}) as Record<string, unknown>)) {
        if (typeof spec === 'string' && /^(file|link|portal):/.test(spec)) return `${file} depends on ${name} from a local path (${spec}), which needs the sources`;
      }
    }
    if (install.ignoresScripts) continue;
    const scripts = (manifest.scripts ?? {}) as Record<string, unknown>;
    for (const hook of LIFECYCLE) {
      const script = scripts[hook];
      if (typeof script !== 'string') continue;
      const needs = hookNeeds(script, scripts, manifest, ctx, extraFiles, new Set([hook]));
      if (typeof needs === 'string') return `the ${hook} script of ${file} ${needs}`;
      for (const p of needs) paths.add(p);
    }
  }
  const patched = (pkg.pnpm?.patchedDependencies ?? {}) as Record<string, string>;
  for (const patch of Object.values(patched)) if (typeof patch === 'string' && ctx.has(patch)) paths.add(patch);
  return null;
}

function workspaceMembers(install: Install, pkg: Record<string, any>, ctx: BuildContext): string[] | string {
  let globs: string[] = [];
  if (install.ecosystem === 'pnpm') {
    const yaml = ctx.readText('pnpm-workspace.yaml');
    if (yaml !== null) {
      const block = /^packages:\s*\n((?:\s+-.*\n?|\s*#.*\n?)*)/m.exec(yaml);
      if (!block && /^packages:/m.test(yaml)) return 'pnpm-workspace.yaml lists packages in a form stageopt does not read';
      globs = [...(block?.[1] ?? '').matchAll(/^\s+-\s*['"]?([^'"\n#]+?)['"]?\s*(#.*)?$/gm)].map((m) => m[1]!.trim());
    }
  } else {
    const ws = pkg.workspaces;
    globs = Array.isArray(ws) ? ws : Array.isArray(ws?.packages) ? ws.packages : [];
  }
  const members: string[] = [];
  for (const glob of globs) {
    if (typeof glob !== 'string') return 'the workspaces field is not a list of folders';
    if (glob.startsWith('!')) continue;
    const clean = glob.replace(/^\.\//, '').replace(/\/+$/, '');
    const star = /^([^*?[\]{}]+)\/\*$/.exec(clean);
    if (star) {
      for (const name of ctx.list(star[1]!) ?? []) {
        const dir = `${star[1]}/${name}`;
        if (ctx.has(`${dir}/package.json`)) members.push(dir);
      }
    } else if (/[*?[\]{}]/.test(clean)) {
      return `the workspace pattern "${glob}" is more than "folder/*", which stageopt does not expand`;
    } else if (ctx.has(`${clean}/package.json`)) {
      members.push(clean);
    }
  }
  return members;
}

/**
 * What an npm lifecycle script reads from the sources: a list of context paths to copy with the
 * manifests, or a sentence saying why it needs the sources.
 */
function hookNeeds(
  script: string,
  scripts: Record<string, unknown>,
  pkg: Record<string, any>,
  ctx: BuildContext,
  extraFiles: readonly string[],
  seen: Set<string>,
): string[] | string {
  const chain = andChain(script);
  if (!chain.ok) return `("${script}") cannot be read: ${chain.reason}`;
  const needs: string[] = [];
  for (const command of chain.commands) {
    let words = command.words;
    if (words[0] === 'npx' || (words[0] === 'yarn' && words[1] !== 'run') || words[0] === 'pnpm' && words[1] === 'exec') words = words.slice(words[0] === 'pnpm' ? 2 : 1);
    const [cmd, sub] = words;
    if (cmd === null || cmd === undefined) return `runs "${script.slice(command.start, command.end)}", which stageopt cannot follow`;
    if (cmd === 'patch-package') {
      if (ctx.has('patches')) needs.push('patches');
    } else if (cmd === 'prisma' && sub === 'generate') {
      const schema = typeof pkg.prisma?.schema === 'string' ? pkg.prisma.schema.replace(/^\.\//, '') : 'prisma/schema.prisma';
      if (!ctx.has(schema)) return `runs "prisma generate" but ${schema} is not in the build context`;
      needs.push(schema);
    } else if (cmd === 'husky' || cmd === 'is-ci' || cmd === 'ngcc' || cmd === 'true' || cmd === 'echo' || cmd === 'exit') {
      if (cmd === 'husky' && ctx.has('.git')) return 'runs husky, which reads .git from the build context';
    } else if ((cmd === 'npm' || cmd === 'yarn' || cmd === 'pnpm') && (sub === 'run' || sub === 'run-script')) {
      const target = words[2];
      if (!target || typeof scripts[target] !== 'string') return `runs "${script.slice(command.start, command.end)}", which names no script`;
      if (seen.has(target)) continue;
      seen.add(target);
      const inner = hookNeeds(scripts[target] as string, scripts, pkg, ctx, extraFiles, seen);
      if (typeof inner === 'string') return inner;
      needs.push(...inner);
    } else if (cmd === 'node' && sub && extraFiles.includes(sub.replace(/^\.\//, ''))) {
      needs.push(sub.replace(/^\.\//, ''));
    } else {
      return `runs "${script.slice(command.start, command.end)}", which may need the sources`;
    }
  }
  return needs;
}

/** Adds a requirements file and every file it includes (-r/-c), relative to the including file. */
function followRequirements(file: string, ctx: BuildContext, paths: Set<string>, seen: Set<string>): string | null {
  const clean = path.posix.normalize(file);
  if (clean.startsWith('..') || clean.startsWith('/')) return `the requirements file ${file} is outside the build context`;
  if (seen.has(clean)) return null;
  seen.add(clean);
  const text = ctx.readText(clean);
  if (text === null) return `no ${clean} in the build context${excludedNote(ctx, clean)}`;
  paths.add(clean);
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const include = /^(-r|-c|--requirement|--constraint)[\s=]*(\S+)$/.exec(line);
    if (include) {
      const problem = followRequirements(path.posix.join(path.posix.dirname(clean), include[2]!), ctx, paths, seen);
      if (problem) return problem;
    } else if (/^(-e|--editable)\b/.test(line) || /^(\.|\.\.|\/|file:)/.test(line) || /@\s*file:/.test(line)) {
      return `${clean} installs a local path ("${line}"), which needs the sources`;
    }
  }
  return null;
}
