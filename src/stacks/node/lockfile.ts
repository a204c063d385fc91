// What a Node lockfile says about the installed tree: how many packages it holds and how many of
// them only dev dependencies need — the weight a production install leaves out.
import type { BuildContext } from '../../build-context.js';
import type { NodePackageManager } from './image.js';
import type { PackageJson } from './package-json.js';

export interface TreeCounts {
  total: number;
  devOnly: number;
  /** Where the counts come from: the lockfile, or only package.json's direct dependencies. */
  source: 'lockfile' | 'package.json';
}

/** The npm lockfile of the build context's root, parsed: read once, for every question about it. */
export function readNpmLock(ctx: BuildContext): NpmLock | null {
  const text = ctx.readText('package-lock.json') ?? ctx.readText('npm-shrinkwrap.json');
  return text === null ? null : parseNpmLock(text);
}

/** Package counts of the tree the install makes, from the npm lockfile when it tells dev entries apart. */
export function treeCounts(manager: NodePackageManager, pkg: PackageJson, npmLock: NpmLock | null): TreeCounts {
  if (manager === 'npm' && npmLock !== null) {
    const counts = npmLockCounts(npmLock);
    if (counts) return counts;
  }
  const direct = Object.keys(pkg.dependencies ?? {}).length;
  const dev = Object.keys(pkg.devDependencies ?? {}).length;
  return { total: direct + dev, devOnly: dev, source: 'package.json' };
}

/**
 * How deep a v1 lockfile's nested `dependencies` are followed. Real trees nest a few levels (npm
 * hoists); past this the walk stops instead of overflowing the stack on a hostile file.
 */
export const MAX_V1_DEPTH = 64;

/** npm lockfiles: v2/v3 `packages` entries (`dev: true`), v1 nested `dependencies` (`dev: true`). */
function npmLockCounts(lock: NpmLock): TreeCounts | null {
  let total = 0;
  let devOnly = 0;
  if (lock.packages && typeof lock.packages === 'object') {
    for (const [key, entry] of Object.entries(lock.packages)) {
      if (key === '' || !key.includes('node_modules/') || entry?.link) continue;
      total++;
      if (entry?.dev === true) devOnly++;
    }
    return { total, devOnly, source: 'lockfile' };
  }
  if (lock.dependencies && typeof lock.dependencies === 'object') {
    const walk = (deps: Record<string, NpmLockV1Entry>, depth: number) => {
      if (depth > MAX_V1_DEPTH) return;
      for (const entry of Object.values(deps)) {
        total++;
        if (entry?.dev === true) devOnly++;
        if (entry?.dependencies && typeof entry.dependencies === 'object') walk(entry.dependencies, depth + 1);
      }
    };
    walk(lock.dependencies, 0);
    return { total, devOnly, source: 'lockfile' };
  }
  return null;
}

export interface NpmLockEntry {
  name?: string;
  dev?: boolean;
  devOptional?: boolean;
  link?: boolean;
  resolved?: string;
  bin?: Record<string, string> | string;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
export interface NpmLockV1Entry {
  version?: string;
  dev?: boolean;
  dependencies?: Record<string, NpmLockV1Entry>;
}
export interface NpmLock {
  lockfileVersion?: number;
  packages?: Record<string, NpmLockEntry>;
  dependencies?: Record<string, NpmLockV1Entry>;
}

/** package-lock.json / npm-shrinkwrap.json parsed, or null when it is not a JSON object. */
export function parseNpmLock(text: string): NpmLock | null {
  try {
    const lock = JSON.parse(text) as unknown;
    return lock !== null && typeof lock === 'object' && !Array.isArray(lock) ? (lock as NpmLock) : null;
  } catch {
    return null;
  }
}
