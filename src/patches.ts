// `--patch-dir DIR`: the pending changes as one patch per repository, for `git apply` (or a pull
// request) in that repository. Paths inside a patch are relative to the repository root with git's
// a/ and b/ prefixes, so `git -C <repo> apply <dir>/<name>.patch` works from anywhere.
//
// Exact bytes matter more than anything here: a patch that rewrites a CRLF file with LF lines, drops
// a BOM or adds a final newline would be rejected by `git apply` or, worse, applied with damage.
// The diff is taken on the decoded text, whose code points are the file's bytes (the reader rejects
// anything that is not UTF-8 and keeps a BOM), and written back as UTF-8, so every byte survives:
// a \r stays at the end of its line, a missing final newline gets git's
// "\ No newline at end of file" marker, and a BOM is simply part of the first line.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { repositoryRootOf } from './repo-root.js';
import { formatPatch, structuredPatch } from 'diff';
import type { FileReport } from './runner.js';
import { newFiles } from './file-changes.js';

export interface PatchFile {
  /** The patch file's name in the patch folder, e.g. `api.patch`. */
  name: string;
  /** The folder the paths in the patch are relative to (the repository root). */
  root: string;
  /** Paths of the patched files, relative to root, with forward slashes, sorted. */
  files: string[];
  text: string;
}

/**
 * Writes one patch per repository into `dir` (created if needed) for every report whose outcome is
 * 'changed', and returns the written paths (`path.join(dir, name)`), sorted. Reports without a file
 * on disk (stdin) are skipped. Existing patches of the same name are overwritten; nothing else in
 * `dir` is touched.
 *
 * `repoRootOf(absPath)` gives the folder a file's patch is rooted at: the nearest ancestor holding
 * `.git`, or, for a file in no repository, the file's own folder (such files are grouped per folder).
 */
export function writePatches(reports: readonly FileReport[], dir: string, repoRootOf: (absPath: string) => string): { written: string[] } {
  const patches = buildPatches(reports, repoRootOf);
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const patch of patches) {
    const file = path.join(dir, patch.name);
    fs.writeFileSync(file, patch.text, 'utf8');
    written.push(file);
  }
  return { written };
}

/** The usual `repoRootOf`: the file's repository (see repo-root.ts). */
export const patchRootOf = repositoryRootOf;

/** The patches writePatches would write, without writing them: sorted by name. */
export function buildPatches(reports: readonly FileReport[], repoRootOf: (absPath: string) => string): PatchFile[] {
  // Each entry is one file's section: a changed Dockerfile, or a file its fixes create (before: null).
  const byRoot = new Map<string, { rel: string; before: string | null; after: string }[]>();
  for (const report of reports) {
    if (report.outcome !== 'changed' || !report.engine) continue;
    if (report.absPath === null || report.ignoredByConfig) continue;
    const abs = path.resolve(report.absPath);
    const root = path.resolve(repoRootOf(abs));
    const relTo = (file: string) => {
      const rel = path.relative(root, file);
      if (rel === '' || rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel)) throw new Error(`patch root ${root} does not contain ${file}`);
      return rel.split(path.sep).join('/');
    };
    const sections = report.engine.output === report.original ? [] : [{ rel: relTo(abs), before: report.original as string | null, after: report.engine.output }];
    // A new file outside the repository (a --context elsewhere) cannot be in its patch; --write refuses it too.
    for (const file of newFiles(report.engine)) {
      const outside = path.relative(root, file.abs);
      if (outside.startsWith('..') || path.isAbsolute(outside)) continue;
      sections.push({ rel: relTo(file.abs), before: null, after: file.content });
    }
    if (sections.length === 0) continue;
    let group = byRoot.get(root);
    if (!group) byRoot.set(root, (group = []));
    group.push(...sections);
  }

  const names = patchNames([...byRoot.keys()]);
  const patches = [...byRoot].map(([root, group]): PatchFile => {
    group.sort((a, b) => compare(a.rel, b.rel));
    return {
      name: names.get(root)!,
      root,
      files: group.map((g) => g.rel),
      text: group.map((g) => (g.before === null ? newFilePatch(g.rel, g.after) : filePatch(g.rel, g.before, g.after))).join(''),
    };
  });
  return patches.sort((a, b) => compare(a.name, b.name));
}

/** One file's `diff --git` section; jsdiff quotes names the way git does when they need it. */
export function filePatch(rel: string, before: string, after: string): string {
  const patch = structuredPatch(`a/${rel}`, `b/${rel}`, before, after, undefined, undefined, { context: 3 });
  return formatPatch({ ...patch, isGit: true });
}

/** A created file's section: `new file mode 100644`, `--- /dev/null`, every line added. */
export function newFilePatch(rel: string, content: string): string {
  const patch = structuredPatch('/dev/null', `b/${rel}`, '', content, undefined, undefined, { context: 3 });
  return formatPatch({ ...patch, isGit: true, isCreate: true });
}

/**
 * `<repo folder name>.patch`; names that clash (compared case-insensitively, for macOS and Windows
 * file systems) get a hash of the full root path instead of a counter, so a repository's patch keeps
 * its name whatever other repositories are in the run.
 */
function patchNames(roots: readonly string[]): Map<string, string> {
  const base = (root: string) => (path.basename(root) || 'root').replace(/[^A-Za-z0-9._-]+/g, '_');
  const names = new Map(roots.map((r) => [r, base(r)]));
  for (let pass = 0; pass < 2; pass++) {
    const count = new Map<string, number>();
    for (const n of names.values()) count.set(n.toLowerCase(), (count.get(n.toLowerCase()) ?? 0) + 1);
    for (const [root, n] of names) {
      if (count.get(n.toLowerCase())! > 1) names.set(root, `${base(root)}-${createHash('sha256').update(root).digest('hex').slice(0, 8)}`);
    }
  }
  return new Map([...names].map(([root, n]) => [root, `${n}.patch`]));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
