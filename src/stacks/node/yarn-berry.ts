// Yarn 2 and later ("berry") has no `--production` and no prune: its production install is a
// different command, `yarn workspaces focus --all --production` (the workspace-tools plugin, built
// into yarn 4, imported by hand before). Which yarn runs is the project's own choice: `yarnPath` in
// .yarnrc.yml (a release committed under .yarn/releases, run by any global yarn) or package.json's
// `packageManager` (run through corepack); where the dependencies go is .yarnrc.yml's `nodeLinker`.
import type { BuildContext } from '../../build-context.js';
import type { PackageJson } from './package-json.js';

export const BERRY_PRODUCTION_INSTALL = 'yarn workspaces focus --all --production';

export type YarnBerry =
  | { ok: true; major: number }
  /** Yarn 2+ that the split cannot give a production install, and why. */
  | { ok: false; reason: string };

/** Null for yarn classic (or no yarn project at all); else what the berry install allows. */
export function readYarnBerry(pkg: PackageJson, context: BuildContext): YarnBerry | null {
  const yarnrc = context.readText('.yarnrc.yml');
  const settings = yarnrc === null ? new Map<string, string>() : topLevelSettings(yarnrc);
  const fromPath = settings.has('yarnPath') ? releaseMajor(settings.get('yarnPath')!) : undefined;
  const fromField = typeof pkg.packageManager === 'string' ? /^yarn@(\d+)\./.exec(pkg.packageManager)?.[1] : undefined;
  // yarnPath wins (whichever yarn starts hands over to the committed release) when its name tells.
  const major = fromPath ?? (fromField !== undefined ? Number(fromField) : null);
  if (major !== null && major < 2) return null;
  if (major === null && yarnrc === null) return null;
  if (major === null) return { ok: false, reason: 'dependencies are installed with yarn 2 or later (.yarnrc.yml), but which release cannot be told (no yarnPath naming .yarn/releases/yarn-<version>.cjs, no packageManager in package.json), so neither can its production install' };
  const linker = settings.get('nodeLinker') ?? 'pnp';
  if (linker !== 'node-modules') {
    return { ok: false, reason: `dependencies are installed with yarn ${major} into ${linker === 'pnp' ? "Plug'n'Play (.pnp.cjs and .yarn/cache beside the sources; yarn's default without `nodeLinker: node-modules` in .yarnrc.yml)" : `the "${linker}" linker`}, which the production dependencies cannot be kept apart from` };
  }
  if (major < 4 && !/plugin-workspace-tools/.test(yarnrc ?? '')) {
    return { ok: false, reason: `dependencies are installed with yarn ${major}, whose production install (\`yarn workspaces focus --production\`) needs the workspace-tools plugin, which .yarnrc.yml does not list (yarn 4 has it built in)` };
  }
  return { ok: true, major };
}

/** `.yarn/releases/yarn-4.5.1.cjs` → 4; a release file named otherwise tells nothing (null). */
function releaseMajor(yarnPath: string): number | null {
  const m = /yarn-(\d+)\.\d+\.\d+[^/]*\.c?js$/.exec(yarnPath);
  return m ? Number(m[1]) : null;
}

/** `key: value` lines at the top level of .yarnrc.yml, quotes removed: all the split asks of it. */
function topLevelSettings(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^([A-Za-z][A-Za-z0-9]*):[ \t]*(.*?)[ \t]*(?:#.*)?$/.exec(line);
    if (m && m[2] !== '') out.set(m[1]!, m[2]!.replace(/^(["'])(.*)\1$/, '$2'));
  }
  return out;
}
