// Package managers as Dockerfiles use them: which command is a dependency install, which files
// from the build context that install reads, and when an install reads more than its manifests
// (lifecycle hooks, local path dependencies) so that it must not run before the sources are there.
// Each stack knows its own package managers (src/stacks/*/install.ts); this module asks them in the
// registry's order.
import type { BuildContext } from './build-context.js';
import { INSTALL_READERS } from './stacks/index.js';
import { excludedNote, type Ecosystem, type Install, type ManifestFiles, type Recognized } from './stacks/install.js';

export type { Ecosystem, Install, Recognized, Strategy } from './stacks/install.js';

/** Every ecosystem some stack installs for, in the registry's order (manifest-first's option). */
export const ECOSYSTEMS: readonly Ecosystem[] = INSTALL_READERS.flatMap((r) => r.ecosystems);

/** Is this simple command (its literal words) a dependency install from manifests? */
export function recognize(words: readonly (string | null)[]): Recognized {
  if (words.length === 0 || words[0] === null) return null;
  for (const reader of INSTALL_READERS) {
    const recognized = reader.recognize(words);
    if (recognized !== undefined) return recognized;
  }
  return null;
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
  const files: ManifestFiles = {
    ctx,
    paths,
    addIfPresent: (...candidates: string[]) => {
      for (const c of candidates) if (ctx.has(c)) paths.add(c);
    },
    requireFile: (file: string): string | null => (ctx.has(file) ? (paths.add(file), null) : `no ${file} in the build context${excludedNote(ctx, file)}`),
  };
  const reader = INSTALL_READERS.find((r) => r.ecosystems.includes(install.ecosystem));
  const problem = reader ? reader.plan(install, files, extraFiles) : null;
  if (problem) return { ok: false, reason: problem };
  for (const extra of extraFiles) {
    if (!ctx.has(extra)) return { ok: false, reason: `extra file ${extra} (from the options) is not in the build context` };
    paths.add(extra);
  }
  return { ok: true, plan: { paths: [...paths].sort() } };
}
