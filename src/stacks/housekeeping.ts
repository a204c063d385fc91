// Housekeeping in build steps: file commands that only touch the app folder or caches, and printing
// commands. They leave nothing outside the app folder, so a split need not follow them — and a
// runtime stage that receives files another way can run them again.
import path from 'node:path';
import { isUnder } from '../stage-products.js';

/** Folders a build writes to that nobody reads at run time (caches, package lists, temp). */
const SCRATCH_PATHS = ['/tmp', '/var/tmp', '/var/lib/apt/lists', '/var/cache', '/root/.npm', '/root/.cache', '/root/.yarn', '/usr/local/share/.cache', '/root/.local/share/pnpm', '/go/pkg', '/root/go/pkg'];

/** File and housekeeping commands that only touch the app folder or caches. */
export function isScratchOnly(words: readonly (string | null)[], appDir: string, decorated: boolean): boolean {
  return touchesOnly(words, appDir, decorated, (target) => isUnder(target, appDir) || isScratch(target));
}

/**
 * Housekeeping that touches caches and temp folders only (`rm -rf /root/.cache`), or prints: for a
 * runtime that takes the app folder's files from the build context, not from the build, a command
 * that changes them (`chmod +x start.sh`, `rm -rf docs`) is one it would have to follow.
 */
export function touchesOnlyScratch(words: readonly (string | null)[], appDir: string, decorated: boolean): boolean {
  return touchesOnly(words, appDir, decorated, isScratch);
}

function isScratch(target: string): boolean {
  return SCRATCH_PATHS.some((p) => isUnder(target, p));
}

function touchesOnly(words: readonly (string | null)[], appDir: string, decorated: boolean, allowed: (target: string) => boolean): boolean {
  const [cmd, ...rest] = words;
  // Printing commands write nothing unless redirected; their quoted words do not matter.
  if (['true', 'echo', 'ls', 'cat', 'pwd', 'printenv', 'env', 'whoami', 'id', 'uname', 'date'].includes(cmd!)) return !decorated;
  if (!['mkdir', 'rm', 'cp', 'mv', 'chmod', 'chown', 'ln', 'touch', 'sed', 'find', 'cd'].includes(cmd!) || decorated) return false;
  return rest.every((w) => {
    if (w === null) return false;
    if (w.startsWith('-')) return true;
    // A relative path is the app folder's, unless `..` leads out of it (`mv node_modules ../`).
    return allowed(path.posix.normalize(path.posix.join(w.startsWith('/') ? '/' : appDir, w.replace(/\*.*$/, ''))));
  });
}
