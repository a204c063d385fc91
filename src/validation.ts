// dockerfile-utils' validator, run at most once per Source: the preflight and the invariants both
// need the original's diagnostics, and validating is the costliest step for an unchanged file.
import type * as DockerfileUtils from 'dockerfile-utils';
import { lazy } from './lazy.js';
import type { Source } from './source.js';

export type Diagnostic = ReturnType<typeof DockerfileUtils.validate>[number];

const utils = lazy<typeof DockerfileUtils>('dockerfile-utils');

const cache = new WeakMap<Source, Diagnostic[]>();

export function diagnosticsOf(source: Source): Diagnostic[] {
  let diagnostics = cache.get(source);
  if (diagnostics === undefined) {
    diagnostics = utils().validate(source.text);
    cache.set(source, diagnostics);
  }
  return diagnostics;
}
