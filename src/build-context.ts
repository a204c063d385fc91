// What a transform may know about the files a build can see. Transforms that reason about the
// build context (which manifests exist, what .dockerignore excludes) ask through this interface,
// so tests can hand them a fixture folder and stdin mode can hand them nothing.
import fs from 'node:fs';
import path from 'node:path';
import type { Ignore } from 'ignore';
import { isWithin } from './repo-root.js';
import { ignoreMatcher } from './lazy.js';

export interface BuildContext {
  /** The folder, or null when it is unknown (stdin without a path): transforms must then decline. */
  readonly root: string | null;
  /** The ignore file in force (`.dockerignore` or `<Dockerfile>.dockerignore`), relative to nothing: for messages. */
  readonly ignoreFile: string | null;
  /** True when the path exists in the folder and .dockerignore does not exclude it. */
  has(relPath: string): boolean;
  isDirectory(relPath: string): boolean;
  readText(relPath: string): string | null;
  /** Entries of a folder the build can see, sorted; null when there is no such folder. */
  list(relDir: string): string[] | null;
  excluded(relPath: string): boolean;
}

export const NO_CONTEXT: BuildContext = {
  root: null,
  ignoreFile: null,
  has: () => false,
  isDirectory: () => false,
  readText: () => null,
  list: () => null,
  excluded: () => false,
};

/**
 * Docker's .dockerignore patterns are anchored at the context root (`*.md` means root-level
 * files only, `foo/` is the same as `foo`), unlike .gitignore's. Prefixing a `/` and dropping a
 * trailing one gives the gitignore pattern with Docker's meaning.
 */
export function dockerignoreToGitignore(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    let pattern = path.posix.normalize((negated ? line.slice(1) : line).trim()).replace(/^\/+/, '').replace(/\/+$/, '');
    if (pattern === '.' || pattern === '') continue;
    pattern = '/' + pattern;
    out.push(negated ? '!' + pattern : pattern);
  }
  return out;
}

/** The build context of a folder; `dockerfile` selects a `<name>.dockerignore` next to it, as BuildKit does. */
export function folderContext(root: string, dockerfile?: string): BuildContext {
  const absRoot = path.resolve(root);
  // Read on first use: most files never ask the context anything, and a batch makes one per file.
  let loaded: { rules: Ignore | null; file: string | null } | null = null;
  const ignoreRules = () => {
    if (loaded) return loaded;
    loaded = { rules: null, file: null };
    const candidates = dockerfile ? [`${dockerfile}.dockerignore`, path.join(absRoot, '.dockerignore')] : [path.join(absRoot, '.dockerignore')];
    for (const candidate of candidates) {
      try {
        // Read before the matcher is made: with no ignore file, the ignore package is never loaded.
        const text = fs.readFileSync(candidate, 'utf8');
        loaded = { rules: ignoreMatcher().add(dockerignoreToGitignore(text)), file: candidate };
        break;
      } catch {
        // no such ignore file: try the next one
      }
    }
    return loaded;
  };
  let realRoot: string | null = null;
  const inside = (rel: string): string | null => {
    const abs = path.resolve(absRoot, rel);
    if (!isWithin(abs, absRoot)) return null;
    // Through a symbolic link the path may lead out of the context (`package.json` → /etc/shadow):
    // Docker sends the link itself, never its target, so stageopt does not read the target either.
    try {
      realRoot ??= fs.realpathSync(absRoot);
      return isWithin(fs.realpathSync(abs), realRoot) ? abs : null;
    } catch {
      return abs; // does not exist (yet): reading it fails as it would anyway
    }
  };
  const excluded = (rel: string): boolean => {
    const clean = path.posix.normalize(rel.split(path.sep).join('/')).replace(/^\.?\/+/, '');
    const rules = ignoreRules().rules;
    return rules !== null && clean !== '' && clean !== '.' && rules.ignores(clean);
  };
  const stat = (rel: string): fs.Stats | null => {
    const abs = inside(rel);
    if (abs === null || excluded(rel)) return null;
    try {
      return fs.statSync(abs);
    } catch {
      return null;
    }
  };
  return {
    root: absRoot,
    get ignoreFile() {
      return ignoreRules().file;
    },
    has: (rel) => stat(rel) !== null,
    isDirectory: (rel) => stat(rel)?.isDirectory() ?? false,
    readText(rel) {
      const abs = inside(rel);
      if (abs === null || excluded(rel)) return null;
      try {
        return fs.readFileSync(abs, 'utf8');
      } catch {
        return null;
      }
    },
    list(relDir) {
      if (!stat(relDir)?.isDirectory()) return null;
      return fs
        .readdirSync(inside(relDir)!)
        .filter((name) => !excluded(path.posix.join(relDir, name)))
        .sort();
    },
    excluded,
  };
}
