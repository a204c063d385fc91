// What every stack says about its dependency installs, in one shape: whether a command is an install
// from manifests (and how it can be put ahead of the sources), and which files of the build context
// that install reads. manifest-first, split-stages and stage-products ask through src/ecosystems.ts,
// which asks each stack of the registry in turn.
import path from 'node:path';
import type { BuildContext } from '../build-context.js';

export type Ecosystem = 'npm' | 'yarn' | 'pnpm' | 'pip' | 'pipenv' | 'poetry' | 'uv' | 'go' | 'bundler' | 'composer';

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

export type Words = readonly (string | null)[];

/** The manifests an install reads, collected while a stack plans it. */
export interface ManifestFiles {
  readonly ctx: BuildContext;
  readonly paths: Set<string>;
  addIfPresent(...candidates: string[]): void;
  /** Adds the file, or says it is missing from the context (and whether the ignore file excludes it). */
  requireFile(file: string): string | null;
}

export interface InstallReader {
  /** The ecosystems this stack's installs belong to, in the order users see them listed. */
  readonly ecosystems: readonly Ecosystem[];
  /** The install this simple command is, a decline, or undefined when the command is not this stack's. */
  recognize(words: Words): Recognized | undefined;
  /** Adds the files the install reads to `files`; a sentence when it reads more than manifests. */
  plan(install: Install, files: ManifestFiles, extraFiles: readonly string[]): string | null;
}

export const INSTALL_BASE = { prepareFlags: [] as string[], requirementFiles: [] as string[], ignoresScripts: false };

export function isLiteral(ws: Words): ws is string[] {
  return ws.every((w) => w !== null);
}

/** The words of `ws` that are not flags or flag values (`valueFlags` take the next word). */
export function positional(ws: readonly string[], valueFlags: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i]!;
    if (w.startsWith('-')) {
      if (valueFlags.has(w)) i++;
    } else out.push(w);
  }
  return out;
}

export function excludedNote(ctx: BuildContext, file: string): string {
  return ctx.excluded(file) ? ` (excluded by ${path.basename(ctx.ignoreFile ?? '.dockerignore')})` : '';
}

export function parseJsonObject(text: string | null): Record<string, any> | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : null;
  } catch {
    return null;
  }
}
