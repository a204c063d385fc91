// What a web server serves, compared file by file. A split of a site (nginx from Debian, or on the
// nginx image itself) leaves WORKDIR — the app folder — behind on purpose, so the comparison
// under WORKDIR says little there; what must be the same is every file where nginx reads: its
// configuration and the site. A file missing, of another size, or only in the rewrite (a
// placeholder page the original's build deleted) changes what is served.
import path from 'node:path';
import type { Listing, TarEntry } from './tar-list.js';
import { isUnderNginxRoot } from '../stacks/static/nginx-paths.js';


export interface ServedDifference {
  /** The first path of this kind of difference, and how many there are in all. */
  path: string;
  change: 'missing in the rewrite' | 'only in the rewrite' | 'size differs';
  files: number;
}

/** Whether the final command starts nginx (`nginx -g …`, directly or after the image's entrypoint script). */
export function servesWithNginx(config: { Entrypoint?: string[] | null; Cmd?: string[] | null }): boolean {
  const words = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
  return words.some((w) => path.posix.basename(w) === 'nginx' || path.posix.basename(w) === 'nginx-debug');
}

export function servedDifferences(original: Listing, rewrite: Listing): ServedDifference[] {
  const byChange = new Map<ServedDifference['change'], ServedDifference>();
  const note = (p: string, change: ServedDifference['change']) => {
    const seen = byChange.get(change);
    if (seen) seen.files++;
    else byChange.set(change, { path: p, change, files: 1 });
  };
  const served = (p: string, e: TarEntry) => e.kind !== 'dir' && isUnderNginxRoot(p);
  for (const [p, entry] of [...original.entries].sort(([a], [b]) => a.localeCompare(b))) {
    if (!served(p, entry)) continue;
    const other = rewrite.entries.get(p);
    if (other === undefined || other.kind !== entry.kind) note(p, 'missing in the rewrite');
    else if (entry.kind === 'file' && other.size !== entry.size) note(p, 'size differs');
  }
  for (const [p, entry] of [...rewrite.entries].sort(([a], [b]) => a.localeCompare(b))) {
    if (served(p, entry) && !original.entries.has(p)) note(p, 'only in the rewrite');
  }
  return [...byChange.values()];
}
