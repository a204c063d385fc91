// The repository a file belongs to: the nearest folder holding `.git` (a folder, or a file in a
// worktree or submodule), else the file's own folder — the same rule config.ts uses to stop its
// search. Patches are made relative to it, and --write never writes outside it; nor does a walk or
// a build context follow a symbolic link out of the tree it reads.
import fs from 'node:fs';
import path from 'node:path';

export function repositoryRootOf(absPath: string): string {
  for (let dir = path.dirname(absPath); ; ) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.dirname(absPath);
    dir = parent;
  }
}

/** Whether `p` is `dir` or lies below it (compare real paths to see through symbolic links). */
export function isWithin(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}
