// What a transform may know about the files next to a Dockerfile. Transforms that reason about
// the build context (which manifests exist, what .dockerignore excludes) ask through this
// interface, so tests can hand them a fixture folder and stdin mode can hand them nothing.
import fs from 'node:fs';
import path from 'node:path';

export interface BuildContext {
  /** The folder, or null when it is unknown (stdin without --context): transforms must then decline. */
  readonly root: string | null;
  exists(relPath: string): boolean;
  readText(relPath: string): string | null;
}

export const NO_CONTEXT: BuildContext = {
  root: null,
  exists: () => false,
  readText: () => null,
};

export function folderContext(root: string): BuildContext {
  const inside = (rel: string): string | null => {
    const abs = path.resolve(root, rel);
    return abs === root || abs.startsWith(root + path.sep) ? abs : null;
  };
  return {
    root,
    exists(rel) {
      const abs = inside(rel);
      return abs !== null && fs.existsSync(abs);
    },
    readText(rel) {
      const abs = inside(rel);
      if (abs === null) return null;
      try {
        return fs.readFileSync(abs, 'utf8');
      } catch {
        return null;
      }
    },
  };
}
