// The registry: every transform, in the order the engine runs them. Order matters where one
// transform's output is another's input (stages are named before later transforms refer to them).
import type { Transform } from '../src/transform.js';
import addToCopy from './add-to-copy.js';
import aptHygiene from './apt-hygiene.js';
import manifestFirst from './manifest-first.js';
import nameStages from './name-stages.js';
import narrowCopyFrom from './narrow-copy-from.js';
import splitStages from './split-stages.js';

// split-stages before narrow-copy-from: the narrowing works on the runtime stage the split makes.
// add-to-copy and apt-hygiene first: the others then read the COPY and the install as they end up.
export const TRANSFORMS: readonly Transform[] = [nameStages, addToCopy, aptHygiene, manifestFirst, splitStages, narrowCopyFrom];

export function findTransform(id: string): Transform | undefined {
  return TRANSFORMS.find((t) => t.id === id);
}
