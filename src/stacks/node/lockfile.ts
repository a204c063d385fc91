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

/** Package counts of the tree the install makes, from the lockfile when it tells dev entries apart. */
export function treeCounts(manager: NodePackageManager, pkg: PackageJson, ctx: BuildContext): TreeCounts {
  if (manager === 'npm') {
    const text = ctx.readText('package-lock.json') ?? ctx.readText('npm-shrinkwrap.json');
    const counts = text === null ? null : npmLockCounts(text);
    if (counts) return counts;
  }
  const direct = Object.keys(pkg.dependencies ?? {}).length;
  const dev = Object.keys(pkg.devDependencies ?? {}).length;
  return { total: direct + dev, devOnly: dev, source: 'package.json' };
}

/** npm lockfiles: v2/v3 `packages` entries (`dev: true`), v1 nested `dependencies` (`dev: true`). */
function npmLockCounts(text: string): TreeCounts | null {
  let lock: any;
  try {
    lock = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof lock !== 'object' || lock === null) return null;
  let total = 0;
  let devOnly = 0;
  if (lock.packages && typeof lock.packages === 'object') {
    for (const [key, entry] of Object.entries(lock.packages as Record<string, any>)) {
      if (key === '' || !key.includes('node_modules/') || entry?.link) continue;
      total++;
      if (entry?.dev === true) devOnly++;
    }
    return { total, devOnly, source: 'lockfile' };
  }
  if (lock.dependencies && typeof lock.dependencies === 'object') {
    const walk = (deps: Record<string, any>, depth: number) => {
      if (depth > 64) return;
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
