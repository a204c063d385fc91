// The registry: every transform, in the order the engine runs them. Order matters where one
// transform's output is another's input (stages are named before later transforms refer to them).
import type { Transform } from '../src/transform.js';
import cacheMounts from './cache-mounts.js';
import manifestFirst from './manifest-first.js';
import nameStages from './name-stages.js';
import narrowCopyFrom from './narrow-copy-from.js';
import splitStages from './split-stages.js';

// split-stages before narrow-copy-from: the narrowing works on the runtime stage the split makes.
// cache-mounts last: it mounts caches on the RUNs as the others leave them (the split's deps and
// runtime installs included), and the RUN flags it adds are read by the others as flags.
export const TRANSFORMS: readonly Transform[] = [nameStages, manifestFirst, splitStages, narrowCopyFrom, cacheMounts];

export function findTransform(id: string): Transform | undefined {
  return TRANSFORMS.find((t) => t.id === id);
}
