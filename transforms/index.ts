// The registry: every transform, in the order the engine runs them. Order matters where one
// transform's output is another's input (stages are named before later transforms refer to them).
import type { Transform } from '../src/transform.js';
import addToCopy from './add-to-copy.js';
import aptHygiene from './apt-hygiene.js';
import cacheMounts from './cache-mounts.js';
import dockerignore from './dockerignore.js';
import manifestFirst from './manifest-first.js';
import nameStages from './name-stages.js';
import narrowCopyFrom from './narrow-copy-from.js';
import reproducibleInstall from './reproducible-install.js';
import splitStages from './split-stages.js';

// split-stages before narrow-copy-from: the narrowing works on the runtime stage the split makes.
// add-to-copy and apt-hygiene first: the others then read the COPY and the install as they end up.
// reproducible-install after manifest-first (which decides what is copied before the install) and
// before split-stages, so that the split repeats the install as it will stay (`npm ci`).
// cache-mounts after those: it mounts caches on the RUNs as the others leave them (the split's deps
// and runtime installs included), and the RUN flags it adds are read by the others as flags.
// dockerignore last: it only creates a file, and reads the paths the text (as rewritten so far) uses.
export const TRANSFORMS: readonly Transform[] = [nameStages, addToCopy, aptHygiene, manifestFirst, reproducibleInstall, splitStages, narrowCopyFrom, cacheMounts, dockerignore];

export function findTransform(id: string): Transform | undefined {
  return TRANSFORMS.find((t) => t.id === id);
}
