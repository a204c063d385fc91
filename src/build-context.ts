// What a transform may know about the files a build can see. Transforms that reason about the
// build context (which manifests exist, what .dockerignore excludes) ask through this interface,
// so tests can hand them a fixture folder and stdin mode can hand them nothing.
import fs from 'node:fs';
import path from 'node:path';
import type { Ignore } from 'ignore';
import { formatSize } from './input.js';
import { ignoreMatcher } from './lazy.js';
import { isWithin } from './repo-root.js';

export interface BuildContext {
  /** The folder, or null when it is unknown (stdin without a path): transforms must then decline. */
  readonly root: string | null;
  /** The ignore file in force (`.dockerignore` or `<Dockerfile>.dockerignore`), relative to nothing: for messages. */
  readonly ignoreFile: string | null;
  /** True when the path exists in the folder and .dockerignore does not exclude it. */
  has(relPath: string): boolean;
  isDirectory(relPath: string): boolean;
  readText(relPath: string): string | null;
  /** The first `bytes` bytes of a regular file (fewer when it is shorter), for magic numbers; null when absent or unreadable. */
  readHead(relPath: string, bytes: number): Uint8Array | null;
  /** Entries of a folder the build can see, sorted; null when there is no such folder. */
  list(relDir: string): string[] | null;
  excluded(relPath: string): boolean;
  /** Files of the context that were refused (too large, an unusable ignore file), one sentence each, naming the file. */
  readonly notes: readonly string[];
}

export const NO_CONTEXT: BuildContext = {
  root: null,
  ignoreFile: null,
  has: () => false,
  isDirectory: () => false,
  readText: () => null,
  readHead: () => null,
  list: () => null,
  excluded: () => false,
  notes: [],
};

/**
 * A context file larger than this reads as absent, with a note. Real manifests and lockfiles stay
 * well below it (a large monorepo's package-lock.json is a few MiB); a 50 MiB one cost seconds and
 * most of a GiB in JSON.parse and the readers after it, once per Dockerfile of a batch.
 */
export const MAX_CONTEXT_FILE_BYTES = 16 * 1024 * 1024;
/**
 * Limits on an ignore file. Each path the transforms ask about is tested against every pattern,
 * so the work is patterns × paths: 1,000 patterns over a folder of 200,000 files took about 25 s,
 * 250 keep it near 6. Real .dockerignore files have tens of patterns. No path is longer than PATH_MAX (4,096), and a
 * longer pattern made the matcher build a regular expression V8 refuses.
 */
export const MAX_IGNORE_BYTES = 1024 * 1024;
export const MAX_IGNORE_PATTERNS = 250;
export const MAX_IGNORE_LINE = 4096;

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

/** Why an ignore file cannot be used as it is, or null: the matcher would be too slow or would throw. */
function ignoreProblem(text: string, patterns: readonly string[]): string | null {
  if (patterns.length > MAX_IGNORE_PATTERNS) return `has ${patterns.length.toLocaleString('en-US')} patterns (the limit is ${MAX_IGNORE_PATTERNS.toLocaleString('en-US')})`;
  const lines = text.split(/\r?\n/);
  const long = lines.findIndex((line) => line.length > MAX_IGNORE_LINE);
  if (long !== -1) return `line ${long + 1} is longer than ${MAX_IGNORE_LINE.toLocaleString('en-US')} characters`;
  return null;
}

/** The build context of a folder; `dockerfile` selects a `<name>.dockerignore` next to it, as BuildKit does. */
export function folderContext(root: string, dockerfile?: string): BuildContext {
  const absRoot = path.resolve(root);
  // Read on first use: most files never ask the context anything, and a batch makes one per file.
  // An ignore file that cannot be used makes the whole context unknown (as for stdin): reading it
  // without its exclusions could let a transform count on a file Docker never sends.
  let loaded: { rules: Ignore | null; file: string | null; unusable: boolean } | null = null;
  const notes: string[] = [];
  const ignoreRules = () => {
    if (loaded) return loaded;
    loaded = { rules: null, file: null, unusable: false };
    const candidates = dockerfile ? [`${dockerfile}.dockerignore`, path.join(absRoot, '.dockerignore')] : [path.join(absRoot, '.dockerignore')];
    for (const candidate of candidates) {
      const read = readLimited(candidate, MAX_IGNORE_BYTES);
      if (read.text === null && read.problem === null) continue; // no such ignore file: try the next one
      const name = path.basename(candidate);
      let problem = read.problem;
      let rules: Ignore | null = null;
      if (read.text !== null) {
        const patterns = dockerignoreToGitignore(read.text);
        problem = ignoreProblem(read.text, patterns);
        if (problem === null) {
          try {
            // Read before the matcher is made: with no ignore file, the ignore package is never loaded.
            rules = ignoreMatcher().add(patterns);
            // The matcher compiles its patterns on first use; one probe makes a pattern it cannot
            // compile fail here, as a note, instead of inside a transform, as a crash.
            rules.ignores('stageopt-probe');
          } catch {
            problem = 'has a pattern the matcher cannot compile';
          }
        }
      }
      if (problem !== null) notes.push(`${name}: ${problem}; the build context is treated as unknown`);
      loaded = { rules, file: candidate, unusable: problem !== null };
      break;
    }
    return loaded;
  };
  const unusable = () => ignoreRules().unusable;
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
    if (unusable()) return false;
    const clean = path.posix.normalize(rel.split(path.sep).join('/')).replace(/^\.?\/+/, '');
    const rules = ignoreRules().rules;
    return rules !== null && clean !== '' && clean !== '.' && rules.ignores(clean);
  };
  const stat = (rel: string): fs.Stats | null => {
    if (unusable()) return null;
    const abs = inside(rel);
    if (abs === null || excluded(rel)) return null;
    try {
      return fs.statSync(abs);
    } catch {
      return null;
    }
  };
  return {
    get root() {
      return unusable() ? null : absRoot;
    },
    get ignoreFile() {
      return ignoreRules().file;
    },
    get notes() {
      return notes;
    },
    has: (rel) => stat(rel) !== null,
    isDirectory: (rel) => stat(rel)?.isDirectory() ?? false,
    readText(rel) {
      if (unusable()) return null;
      const abs = inside(rel);
      if (abs === null || excluded(rel)) return null;
      const read = readLimited(abs, MAX_CONTEXT_FILE_BYTES);
      if (read.problem !== null) {
        const note = `${rel} in the build context ${read.problem}; read as absent`;
        if (!notes.includes(note)) notes.push(note);
      }
      return read.text;
    },
    readHead(rel, bytes) {
      if (unusable()) return null;
      const abs = inside(rel);
      if (abs === null || excluded(rel)) return null;
      return readStart(abs, bytes);
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

/**
 * A regular file's text, or null with the reason it was refused. A FIFO or a device is not read
 * (reading a FIFO blocks until someone writes to it); a missing file is null without a problem.
 */
function readLimited(file: string, limit: number): { text: string | null; problem: string | null } {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch {
    return { text: null, problem: null };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) return { text: null, problem: null };
    if (!stat.isFile()) return { text: null, problem: 'is not a regular file' };
    if (stat.size > limit) return { text: null, problem: `is too large (${formatSize(stat.size)}; the limit is ${formatSize(limit)})` };
    return { text: fs.readFileSync(fd, 'utf8'), problem: null };
  } catch {
    return { text: null, problem: null };
  } finally {
    fs.closeSync(fd);
  }
}

/** The first bytes of a regular file (a FIFO or a device is not read, as in readLimited). */
function readStart(file: string, bytes: number): Uint8Array | null {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    if (!fs.fstatSync(fd).isFile()) return null;
    const buffer = Buffer.alloc(bytes);
    let read = 0;
    for (let n = -1; n !== 0 && read < bytes; read += n) n = fs.readSync(fd, buffer, read, bytes - read, read);
    return buffer.subarray(0, read);
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}
