// Finding Dockerfiles under the paths a user gives: recursive, honouring every .gitignore on the
// way down and --ignore patterns, never entering .git or node_modules, and surviving symlink
// loops and unreadable folders (they are reported, and the walk goes on).
import fs from 'node:fs';
import path from 'node:path';
import type { Ignore } from 'ignore';
import type { FolderListings } from './folder-listings.js';
import { ignoreMatcher } from './lazy.js';
import { isWithin } from './repo-root.js';
import { systemReason } from './input.js';

const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

/** `Dockerfile`, `Dockerfile.*`, `*.Dockerfile`, `*.dockerfile`, `Containerfile`, `Containerfile.*`. */
export function isDockerfileName(name: string): boolean {
  if (name.endsWith('.dockerignore')) return false; // BuildKit's per-Dockerfile ignore file, not a Dockerfile
  return /^(Dockerfile|Containerfile)(\..+)?$/.test(name) || /.\.[Dd]ockerfile$/.test(name);
}

/** `loop` and `outside` are notes (a link not followed); the others are errors. */
export type ProblemKind = 'missing' | 'unreadable' | 'loop' | 'outside';

export interface Discovery {
  files: string[];
  problems: { path: string; reason: string; kind: ProblemKind }[];
}

interface Level {
  dir: string;
  rules: Ignore;
}

/** What stays the same while one root is walked. */
interface Walk {
  root: string;
  /** The root's real path: links found below it are followed only while they stay inside it. */
  realRoot: string;
  cli: Ignore;
  /** Real paths of the folders being walked, from the root down: a folder among them is a loop. */
  active: Set<string>;
  out: Discovery;
  seen: Set<string>;
  listings: FolderListings | undefined;
}

/** `listings`, when given, records what each folder walked holds, for later readers of those folders. */
export function discover(roots: readonly string[], ignorePatterns: readonly string[], listings?: FolderListings): Discovery {
  const result: Discovery = { files: [], problems: [] };
  const seen = new Set<string>();
  for (const root of roots) {
    const abs = path.resolve(root);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch (err) {
      result.problems.push({ path: root, reason: systemReason(err), kind: 'missing' });
      continue;
    }
    if (!stat.isDirectory()) {
      // A file named explicitly is processed whatever its name: the user asked for it.
      if (!seen.has(abs)) result.files.push(abs);
      seen.add(abs);
      continue;
    }
    const cli = ignoreMatcher().add([...ignorePatterns]);
    let realRoot: string;
    try {
      realRoot = fs.realpathSync(abs);
    } catch (err) {
      result.problems.push({ path: root, reason: systemReason(err), kind: 'missing' });
      continue;
    }
    walk({ root: abs, realRoot, cli, active: new Set(), out: result, seen, listings }, abs, null, []);
  }
  result.files.sort();
  return result;
}

/**
 * `knownReal` is the folder's real path when the walk already knows it: a folder that is not a
 * symbolic link lies inside its parent's real path. Asking realpath() for each of thousands of
 * folders costs one lstat per path component.
 */
function walk(run: Walk, dir: string, knownReal: string | null, levels: Level[]): void {
  const { root, realRoot, cli, active, out, seen, listings } = run;
  let real: string;
  let entries: fs.Dirent[];
  try {
    real = knownReal ?? fs.realpathSync(dir);
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    out.problems.push({ path: dir, reason: `folder not read (${systemReason(err)})`, kind: 'unreadable' });
    return;
  }
  if (active.has(real)) {
    out.problems.push({ path: dir, reason: 'symbolic link loop; not followed', kind: 'loop' });
    return;
  }
  active.add(real);
  listings?.record(dir, entries.map((e) => e.name));
  const here = [...levels];
  // Looked up in the listing: a failed open() per folder is most of a walk over thousands of folders.
  const gitignore = entries.some((e) => e.name === '.gitignore') ? readGitignore(dir) : null;
  if (gitignore !== null) here.push({ dir, rules: ignoreMatcher().add(gitignore) });

  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    const isLink = entry.isSymbolicLink();
    if (isLink) {
      try {
        const s = fs.statSync(full);
        isDir = s.isDirectory();
        isFile = s.isFile();
        // Found while expanding a folder (not named by the user), a link is not followed out of the
        // tree being processed: whatever it reaches belongs to someone else. Where it points is not
        // printed either: it may be a file of another user's.
        if ((isDir || isDockerfileName(entry.name)) && !isWithin(fs.realpathSync(full), realRoot)) {
          out.problems.push({ path: full, reason: 'symbolic link to a path outside the folder being processed; not followed', kind: 'outside' });
          continue;
        }
      } catch (err) {
        if (isDockerfileName(entry.name)) out.problems.push({ path: full, reason: `broken symbolic link (${systemReason(err)})`, kind: 'unreadable' });
        continue;
      }
    }
    if (isDir && SKIPPED_DIRS.has(entry.name)) continue;
    if (!isDir && !isFile) continue;
    if (isIgnored(full, isDir, root, here, cli)) continue;
    if (isDir) walk(run, full, isLink ? null : path.join(real, entry.name), here);
    else if (isDockerfileName(entry.name) && !seen.has(full)) {
      seen.add(full);
      out.files.push(full);
    }
  }
  active.delete(real);
}

// A .gitignore larger than this is read as absent: real ones are a few KiB, and every path of the
// folder is matched against each of its patterns.
const MAX_GITIGNORE_BYTES = 1024 * 1024;

function readGitignore(dir: string): string | null {
  try {
    const file = path.join(dir, '.gitignore');
    // Only a regular file: a FIFO named .gitignore would block the read until someone writes to it.
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > MAX_GITIGNORE_BYTES) return null;
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function isIgnored(full: string, isDir: boolean, root: string, levels: readonly Level[], cli: Ignore): boolean {
  const suffix = isDir ? '/' : '';
  // --ignore patterns are relative to the folder the user named.
  if (cli.ignores(toPosix(path.relative(root, full)) + suffix)) return true;
  return levels.some((level) => level.rules.ignores(toPosix(path.relative(level.dir, full)) + suffix));
}


export function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
