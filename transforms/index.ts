// The registry: every transform, in the order the engine runs them. Order matters where one
// transform's output is another's input (stages are named before later transforms refer to them).
import type { Transform } from '../src/transform.js';
import manifestFirst from './manifest-first.js';
import nameStages from './name-stages.js';
import splitStages from './split-stages.js';

export const TRANSFORMS: readonly Transform[] = [nameStages, manifestFirst, splitStages];

export function findTransform(id: string): Transform | undefined {
  return TRANSFORMS.find((t) => t.id === id);
}
