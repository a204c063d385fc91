// Where package managers and compilers keep their download and build caches, as the official images
// run them: which commands fill a cache, which folder it is for the user and environment of a RUN,
// and which commands or flags exist only to keep that cache out of the image. cache-mounts asks
// this module; the folders follow each tool's own rules (documented defaults and the variables
// that move them), and a folder that depends on something stageopt cannot see is a reason, not a guess.
import path from 'node:path';
import type { BuildContext } from '../build-context.js';
import { GOLANG_GOPATH } from './go/image.js';
import { readPackageJson } from './node/package-json.js';
import { readYarnBerry } from './node/yarn-berry.js';
import { pipArgs } from './python/pip.js';

export type CacheTool = 'npm' | 'yarn' | 'pnpm' | 'pip' | 'pipenv' | 'poetry' | 'go' | 'bundler';

export const CACHE_TOOLS: readonly CacheTool[] = ['npm', 'yarn', 'pnpm', 'pip', 'pipenv', 'poetry', 'go', 'bundler'];

/** What a RUN runs under: its user and home folder (null: not known), its ENV and the ARGs in scope. */
export interface RunEnv {
  user: string | null;
  home: string | null;
  /** The uid and gid a cache mount needs to be writable by a user other than root. */
  owner: { uid: number; gid: number } | null;
  /** ENV values; null when the value holds a variable. */
  env: ReadonlyMap<string, string | null>;
  /** ARG names declared in the stage: Docker passes them to RUN as variables. */
  args: ReadonlySet<string>;
  /** The official image family the stage starts from (`node`, `golang`, `ruby` …), or null. */
  family: string | null;
}

export type Folders = { ok: true; targets: string[] } | { ok: false; reason: string };

const NPM_INSTALLS = new Set(['ci', 'install', 'i', 'add', 'clean-install', 'install-clean', 'isntall', 'update', 'up', 'exec', 'x']);
const YARN_INSTALLS = new Set(['install', 'add', 'global', 'upgrade', 'dlx']);
const PNPM_INSTALLS = new Set(['install', 'i', 'add', 'fetch', 'update', 'up', 'dlx']);
const PIPENV_INSTALLS = new Set(['install', 'sync', 'lock', 'update', 'upgrade']);
const POETRY_INSTALLS = new Set(['install', 'add', 'update', 'lock', 'sync']);
const GO_BUILDS = new Set(['build', 'install', 'test', 'vet', 'run', 'generate', 'get', 'list']);
const GO_MOD_DOWNLOADS = new Set(['download', 'tidy', 'vendor', 'verify', 'why', 'graph']);

/** The tool whose cache this simple command fills (a download or a compile), or null. */
export function cacheUser(words: readonly (string | null)[]): CacheTool | null {
  const [cmd, sub] = words;
  switch (cmd) {
    case 'npm':
      return NPM_INSTALLS.has(sub ?? '') ? 'npm' : null;
    case 'npx':
      return 'npm';
    case 'yarn':
      return sub === undefined || (sub !== null && (sub.startsWith('-') || YARN_INSTALLS.has(sub))) ? 'yarn' : null;
    case 'pnpm':
      return PNPM_INSTALLS.has(sub ?? '') ? 'pnpm' : null;
    case 'pipenv':
      return PIPENV_INSTALLS.has(firstCommand(words) ?? '') ? 'pipenv' : null;
    case 'poetry': {
      const command = firstCommand(words);
      // `poetry config cache-dir …` counts too: it moves the cache, which cacheFolders declines.
      if (command === 'config') return words.includes('cache-dir') ? 'poetry' : null;
      return POETRY_INSTALLS.has(command ?? '') ? 'poetry' : null;
    }
    case 'go':
      return GO_BUILDS.has(sub ?? '') || (sub === 'mod' && GO_MOD_DOWNLOADS.has(words[2] ?? '')) ? 'go' : null;
    case 'bundle':
      return sub === undefined || sub === 'install' ? 'bundler' : null;
    default:
      return words.every((w) => w !== null) && pipArgs(words as string[]) !== null ? 'pip' : null;
  }
}

/** A tool's command word, after its global options (`poetry --no-interaction install`). */
function firstCommand(words: readonly (string | null)[]): string | null | undefined {
  return words.slice(1).find((w) => w === null || !w.startsWith('-'));
}

/** The tool whose cache this command empties (`npm cache clean --force`, `pip cache purge`), or null. */
export function cacheCleaner(words: readonly (string | null)[]): CacheTool | null {
  const [cmd, sub, third] = words;
  if (cmd === 'npm' && sub === 'cache' && ['clean', 'clear', 'rm'].includes(third ?? '')) return 'npm';
  if (cmd === 'yarn' && sub === 'cache' && third === 'clean') return 'yarn';
  if (cmd === 'pnpm' && sub === 'store' && third === 'prune') return 'pnpm';
  if ((cmd === 'pip' || cmd === 'pip3') && sub === 'cache' && ['purge', 'remove'].includes(third ?? '')) return 'pip';
  if (cmd === 'poetry' && sub === 'cache' && third === 'clear') return 'poetry';
  if (cmd === 'go' && sub === 'clean' && words.some((w) => w === '-cache' || w === '-modcache')) return 'go';
  return null;
}

/** Flags that turn a tool's cache off for one command: with a cache mount they only waste it. */
export const CACHE_OFF_FLAGS: Partial<Record<CacheTool, readonly string[]>> = { pip: ['--no-cache-dir'], pipenv: ['--clear'], poetry: ['--no-cache'] };

/** Flags that forbid the network, so the command needs a cache a mount may not have (it can be empty). */
const OFFLINE_FLAGS = new Set(['--offline']);

/** Flags naming the cache folder on the command line, which the mount would have to follow. */
const FOLDER_FLAGS: Partial<Record<CacheTool, readonly string[]>> = { npm: ['--cache'], yarn: ['--cache-folder'], pnpm: ['--store-dir'], pip: ['--cache-dir'], bundler: ['--path', '--deployment', '--local', '--standalone'] };

/** Variables that move or turn off a tool's cache (npm reads its config variables case-insensitively). */
const VARIABLES: Record<CacheTool, readonly string[]> = {
  npm: ['npm_config_cache', 'HOME'],
  yarn: ['YARN_CACHE_FOLDER', 'XDG_CACHE_HOME', 'HOME'],
  pnpm: ['npm_config_store_dir', 'pnpm_config_store_dir', 'PNPM_HOME', 'XDG_DATA_HOME', 'HOME'],
  pip: ['PIP_CACHE_DIR', 'PIP_NO_CACHE_DIR', 'XDG_CACHE_HOME', 'HOME'],
  pipenv: ['PIPENV_CACHE_DIR', 'XDG_CACHE_HOME', 'HOME'],
  poetry: ['POETRY_CACHE_DIR', 'POETRY_CONFIG_DIR', 'XDG_CACHE_HOME', 'XDG_CONFIG_HOME', 'HOME'],
  go: ['GOPATH', 'GOMODCACHE', 'GOCACHE', 'GOPROXY', 'GOFLAGS', 'XDG_CACHE_HOME', 'HOME'],
  bundler: ['GEM_HOME', 'BUNDLE_PATH', 'BUNDLE_DEPLOYMENT', 'BUNDLE_CACHE_PATH', 'BUNDLE_FROZEN', 'HOME'],
};

/**
 * The cache folders a command of `tool` writes, for the RUN's user and environment; or why they
 * cannot be known (or a mount would not work). `assigns` are the variables the command sets itself.
 */
export function cacheFolders(tool: CacheTool, words: readonly (string | null)[], assigns: readonly string[], run: RunEnv, ctx: BuildContext): Folders {
  const fail = (reason: string): Folders => ({ ok: false, reason });
  const lookup = new Map<string, string | null>();
  for (const name of VARIABLES[tool]) {
    const matches = (n: string) => (name.startsWith('npm_config_') || name.startsWith('pnpm_config_') ? n.toLowerCase() === name : n === name);
    const set = assigns.find(matches);
    if (set) return fail(`the command sets ${set} itself`);
    const arg = [...run.args].find(matches);
    if (arg) return fail(`ARG ${arg} may set where the cache is at build time`);
    const key = [...run.env.keys()].find(matches);
    if (key === undefined) continue;
    const value = run.env.get(key)!;
    if (value === null) return fail(`ENV ${key} holds a variable`);
    lookup.set(name, value);
  }
  const flag = (FOLDER_FLAGS[tool] ?? []).find((f) => words.some((w) => w === f || w?.startsWith(`${f}=`)));
  if (flag) return fail(`the command names its own folder (${flag})`);
  const offline = words.find((w) => w !== null && OFFLINE_FLAGS.has(w));
  if (offline) return fail(`the command runs ${offline}, which needs a cache that a mount may not have`);
  const home = lookup.get('HOME') ?? run.home;
  const absolute = (p: string | undefined | null) => (p && p.startsWith('/') ? path.posix.normalize(p).replace(/(.)\/$/, '$1') : null);
  const needHome = (): string | null => absolute(home);
  const userNote = run.user === null ? 'the user the base image runs as is not known' : `the home folder of user ${run.user} is not known`;

  switch (tool) {
    case 'npm': {
      if (/^\s*cache\s*=/m.test(ctx.readText('.npmrc') ?? '')) return fail('the .npmrc of the build context sets the cache folder');
      const set = lookup.get('npm_config_cache');
      if (set !== undefined) return absolute(set) ? { ok: true, targets: [absolute(set)!] } : fail(`npm_config_cache is not an absolute path`);
      const h = needHome();
      return h ? { ok: true, targets: [`${h === '/' ? '' : h}/.npm`] } : fail(userNote);
    }
    case 'yarn': {
      const pkg = readPackageJson(ctx, '.');
      if ((pkg && readYarnBerry(pkg, ctx) !== null) || ctx.has('.yarnrc.yml')) return fail('the project uses yarn 2 or later, whose cache is .yarn/cache or ~/.yarn/berry, by its settings');
      const set = lookup.get('YARN_CACHE_FOLDER') ?? (lookup.has('XDG_CACHE_HOME') ? `${lookup.get('XDG_CACHE_HOME')}/yarn` : undefined);
      if (set !== undefined) return absolute(set) ? { ok: true, targets: [absolute(set)!] } : fail('the yarn cache folder is not an absolute path');
      // Yarn 1 puts root's cache under /usr/local/share, everyone else's under ~/.cache.
      if (run.user === 'root' && !lookup.has('HOME')) return { ok: true, targets: ['/usr/local/share/.cache/yarn'] };
      const h = needHome();
      return h ? { ok: true, targets: [`${h}/.cache/yarn`] } : fail(userNote);
    }
    case 'pnpm': {
      const set = lookup.get('npm_config_store_dir') ?? lookup.get('pnpm_config_store_dir') ?? (lookup.has('PNPM_HOME') ? `${lookup.get('PNPM_HOME')}/store` : lookup.has('XDG_DATA_HOME') ? `${lookup.get('XDG_DATA_HOME')}/pnpm/store` : undefined);
      if (set !== undefined) return absolute(set) ? { ok: true, targets: [absolute(set)!] } : fail('the pnpm store folder is not an absolute path');
      const h = needHome();
      return h ? { ok: true, targets: [`${h}/.local/share/pnpm/store`] } : fail(userNote);
    }
    case 'pip': {
      if (lookup.has('PIP_NO_CACHE_DIR')) return fail('ENV PIP_NO_CACHE_DIR turns pip\'s cache off for the whole image');
      const set = lookup.get('PIP_CACHE_DIR') ?? (lookup.has('XDG_CACHE_HOME') ? `${lookup.get('XDG_CACHE_HOME')}/pip` : undefined);
      if (set !== undefined) return absolute(set) ? { ok: true, targets: [absolute(set)!] } : fail('the pip cache folder is not an absolute path');
      const h = needHome();
      return h ? { ok: true, targets: [`${h}/.cache/pip`] } : fail(userNote);
    }
    case 'pipenv': {
      // pipenv runs pip with PIP_CACHE_DIR set to its own cache folder: pip's downloads and
      // pipenv's hashes all go there. It also reads a .env file of the project, which may move it.
      if (/^\s*(export\s+)?(PIPENV_CACHE_DIR|XDG_CACHE_HOME|HOME)\s*=/m.test(ctx.readText('.env') ?? '')) return fail('the .env file of the build context, which pipenv loads, sets where its cache is');
      const set = lookup.get('PIPENV_CACHE_DIR') ?? (lookup.has('XDG_CACHE_HOME') ? `${lookup.get('XDG_CACHE_HOME')}/pipenv` : undefined);
      if (set !== undefined) return absolute(set) ? { ok: true, targets: [absolute(set)!] } : fail('the pipenv cache folder is not an absolute path');
      const h = needHome();
      return h ? { ok: true, targets: [`${h === '/' ? '' : h}/.cache/pipenv`] } : fail(userNote);
    }
    case 'poetry': {
      // Poetry keeps downloads in <cache-dir>/artifacts and package indexes in <cache-dir>/cache;
      // its own virtualenvs are under <cache-dir>/virtualenvs, which is not mounted: with
      // virtualenvs.create on (its default) the app's dependencies live there, and must stay in
      // the image.
      if (firstCommand(words) === 'config') return fail('the command sets poetry\'s cache-dir, which the mount would have to follow');
      if (lookup.has('POETRY_CONFIG_DIR') || lookup.has('XDG_CONFIG_HOME')) return fail('ENV moves poetry\'s configuration, which may set its cache-dir');
      if (/^\s*cache-dir\s*=/m.test(ctx.readText('poetry.toml') ?? '')) return fail('the poetry.toml of the build context sets the cache-dir');
      const set = lookup.get('POETRY_CACHE_DIR') ?? (lookup.has('XDG_CACHE_HOME') ? `${lookup.get('XDG_CACHE_HOME')}/pypoetry` : undefined);
      const h = needHome();
      const dir = set !== undefined ? absolute(set) : h ? `${h === '/' ? '' : h}/.cache/pypoetry` : null;
      if (set !== undefined && dir === null) return fail('the poetry cache folder is not an absolute path');
      return dir ? { ok: true, targets: [`${dir}/cache`, `${dir}/artifacts`] } : fail(userNote);
    }
    case 'go': {
      if (lookup.get('GOPROXY') === 'off') return fail('GOPROXY=off forbids downloads, so every module must already be in the image');
      if (/-mod=vendor/.test(lookup.get('GOFLAGS') ?? '')) return fail('GOFLAGS builds from vendor/, so there are no modules to cache');
      // The golang images set GOPATH=/go; elsewhere Go's default is ~/go, unless the image says otherwise.
      const gopath = lookup.get('GOPATH') ?? (run.family === 'golang' ? GOLANG_GOPATH : null);
      const mod = lookup.get('GOMODCACHE') ?? (gopath ? `${gopath.split(':')[0]}/pkg/mod` : null);
      if (mod === null) return fail('the base image is not a golang image, so where it keeps modules (GOPATH) is not known');
      const gocache = lookup.get('GOCACHE');
      if (gocache === 'off') return fail('GOCACHE=off turns the build cache off');
      const h = needHome();
      const build = gocache ?? (lookup.has('XDG_CACHE_HOME') ? `${lookup.get('XDG_CACHE_HOME')}/go-build` : h ? `${h}/.cache/go-build` : null);
      if (build === null) return fail(userNote);
      if (!absolute(mod) || !absolute(build)) return fail('the Go cache folders are not absolute paths');
      return { ok: true, targets: [absolute(mod)!, absolute(build)!] };
    }
    case 'bundler': {
      // The ruby images install gems into GEM_HOME=/usr/local/bundle and keep the downloaded .gem
      // files in its cache/ folder; elsewhere, or with an install path of its own, it is not known.
      if (run.family !== 'ruby') return fail('the base image is not a ruby image, so where bundler keeps gems is not known');
      for (const name of ['GEM_HOME', 'BUNDLE_PATH', 'BUNDLE_DEPLOYMENT', 'BUNDLE_CACHE_PATH', 'BUNDLE_FROZEN']) {
        if (lookup.has(name)) return fail(`ENV ${name} changes where bundler installs or caches gems`);
      }
      if (run.owner !== null) return fail(`a user other than root (${run.user}) may not write the ruby image's gem folder`);
      return { ok: true, targets: ['/usr/local/bundle/cache'] };
    }
  }
}

/** The user an official image runs as, its home folder, and the uid a cache mount must be owned by. */
export function imageUser(family: string | null): Pick<RunEnv, 'user' | 'home' | 'owner'> {
  return family === null ? { user: null, home: null, owner: null } : { user: 'root', home: '/root', owner: null };
}

/** The user of a `USER` line: root, or the `node` user the node images create; else unknown. */
export function namedUser(user: string, family: string | null): Pick<RunEnv, 'user' | 'home' | 'owner'> {
  const name = user.split(':')[0]!;
  if (name === 'root' || name === '0') return { user: 'root', home: '/root', owner: null };
  if (family === 'node' && (name === 'node' || name === '1000')) return { user: 'node', home: '/home/node', owner: { uid: 1000, gid: 1000 } };
  return { user: name, home: null, owner: null };
}

/** Official images whose default user is root and whose caches live where the tools say. */
const ROOT_IMAGES = new Set(['node', 'python', 'golang', 'ruby', 'debian', 'ubuntu', 'alpine', 'buildpack-deps']);

/** The official image family of a FROM image (`docker.io/library/node:20` → node), or null. */
export function imageFamily(repository: string): string | null {
  const name = repository.toLowerCase().replace(/^(docker\.io\/|index\.docker\.io\/)/, '').replace(/^library\//, '');
  return ROOT_IMAGES.has(name) ? name : null;
}
