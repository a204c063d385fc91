// The registry: every transform, in the order the engine runs them. Order matters where one
// transform's output is another's input (stages are named before later transforms refer to them).
import type { Transform } from '../src/transform.js';
import dockerignore from './dockerignore.js';
import manifestFirst from './manifest-first.js';
import nameStages from './name-stages.js';
import narrowCopyFrom from './narrow-copy-from.js';
import splitStages from './split-stages.js';

// split-stages before narrow-copy-from: the narrowing works on the runtime stage the split makes.
// dockerignore last: it only creates a file, and reads the paths the text (as rewritten so far) uses.
export const TRANSFORMS: readonly Transform[] = [nameStages, manifestFirst, splitStages, narrowCopyFrom, dockerignore];

export function findTransform(id: string): Transform | undefined {
  return TRANSFORMS.find((t) => t.id === id);
}
