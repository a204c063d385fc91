// The one reader of a Node project's package.json. Every question about the project — its
// dependencies, its scripts, its build — starts from what this returns.
import path from 'node:path';
import type { BuildContext } from '../../build-context.js';

export type PackageJson = Record<string, any>;

/** package.json of a context folder, or null when there is none or it is not a JSON object. */
export function readPackageJson(ctx: BuildContext, dir: string): PackageJson | null {
  const text = ctx.readText(path.posix.join(dir, 'package.json'));
  if (text === null) return null;
  return parsePackageJson(text);
}

export function parsePackageJson(text: string): PackageJson | null {
  try {
    const pkg = JSON.parse(text);
    return typeof pkg === 'object' && pkg !== null && !Array.isArray(pkg) ? pkg : null;
  } catch {
    return null;
  }
}

/** The scripts that are strings (npm ignores the others). */
export function stringScripts(pkg: PackageJson): Record<string, string> {
  const scripts: Record<string, string> = {};
  for (const [name, value] of Object.entries((pkg.scripts ?? {}) as Record<string, unknown>)) if (typeof value === 'string') scripts[name] = value;
  return scripts;
}
