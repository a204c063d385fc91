// Owners and modes of the files both images have where the app lives. A rewrite that copies files
// between stages must keep who owns them: an app running as `USER node` that can no longer write
// its own folder, or a script that lost its execute bit, fails at run time, not at build time.
import type { Listing, TarEntry } from './tar-list.js';

export interface OwnerDifference {
  /** Absolute path of the first file that differs, and how many differ in all. */
  path: string;
  original: string;
  rewrite: string;
  files: number;
}

/**
 * The paths (the app's: under WORKDIR, or those the build added at the image root) whose owner,
 * group or permission bits differ between the images, as one line per kind of change.
 */
export function ownerDifferences(original: Listing, rewrite: Listing, considered: (path: string) => boolean): OwnerDifference[] {
  const byChange = new Map<string, OwnerDifference>();
  for (const [p, entry] of original.entries) {
    if (!considered(p)) continue;
    const other = rewrite.entries.get(p);
    if (other === undefined || other.kind !== entry.kind) continue; // missing or replaced: the file comparison says so
    const a = shown(entry);
    const b = shown(other);
    if (a === b) continue;
    const key = `${a}→${b}`;
    const seen = byChange.get(key);
    if (seen) seen.files++;
    else byChange.set(key, { path: p, original: a, rewrite: b, files: 1 });
  }
  return [...byChange.values()].sort((x, y) => y.files - x.files || x.path.localeCompare(y.path));
}

/** `1000:1000 0644`; a symlink's mode means nothing on Linux, so only its owner counts. */
function shown(entry: TarEntry): string {
  const owner = `${entry.uid ?? '?'}:${entry.gid ?? '?'}`;
  return entry.kind === 'symlink' ? owner : `${owner} ${(entry.mode ?? 0).toString(8).padStart(4, '0')}`;
}
