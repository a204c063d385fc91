// Loading a dependency on first use. The command's cold start is paid on every CI run and every
// editor save, so libraries only some runs need (the validator, the diff printer, the config
// loader) are required when first asked for. They are CommonJS, so this stays synchronous.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function lazy<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(id) as T);
}
