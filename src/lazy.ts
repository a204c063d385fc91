// Loading a dependency on first use. The command's cold start is paid on every CI run and every
// editor save, so libraries only some runs need (the validator, the diff printer, the config
// loader, the ignore-file matcher) are required when first asked for. They are CommonJS, so this
// stays synchronous.
import { createRequire } from 'node:module';
import type { Ignore } from 'ignore';

const require = createRequire(import.meta.url);

export function lazy<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}

const ignoreLib = lazy<typeof import('ignore')>('ignore');

/**
 * A new gitignore-style matcher. The `ignore` package loads when the first one is made: a run on
 * one named Dockerfile, with no .dockerignore and no config `ignore`, never needs it.
 */
export function ignoreMatcher(): Ignore {
  return ignoreLib()();
}
