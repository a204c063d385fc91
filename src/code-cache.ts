// Loading a large CommonJS library with V8's code cache. mvdan-sh is 1.5 MB of generated
// JavaScript: compiling it is about 60 ms of a single-file run, every run. Node 22 has
// module.enableCompileCache(); Node 20 does not, so `npm run build` compiles the library once
// (scripts/code-cache.mjs) and stores V8's compiled code beside the build. A cache is used only
// for the exact library text it was made from (its SHA-256 is in the file name) and the exact V8
// version; V8 itself also refuses one made under other flags, and then the library compiles as it
// always did. V8 does not checksum a cache's contents in release builds, so the cache is written
// by the build into the build output, as trusted as the compiled code beside it, and never into a
// shared temporary folder at run time.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const CACHE_DIR = fileURLToPath(new URL('../code-cache/', import.meta.url));

export type CacheUse = 'used' | 'rejected' | 'none';

interface Compiled {
  exports: unknown;
  script: vm.Script;
  cacheFile: string;
  cache: CacheUse;
}

function cachePrefix(id: string): string {
  return `${id.replace(/[^\w.-]/g, '_')}.`;
}

function compile(id: string, cacheDir: string, useCache: boolean): Compiled {
  const file = createRequire(import.meta.url).resolve(id);
  const text = fs.readFileSync(file);
  const digest = crypto.createHash('sha256').update(text).digest('hex').slice(0, 32);
  const cacheFile = path.join(cacheDir, `${cachePrefix(id)}${digest}.v8-${process.versions.v8}.bin`);
  let cachedData: Buffer | undefined;
  if (useCache) {
    try {
      cachedData = fs.readFileSync(cacheFile);
    } catch {
      // no cache for this library text and V8: compile as usual
    }
  }
  // The same wrapper and arguments as require() gives a CommonJS module.
  const script = new vm.Script(Module.wrap(text.toString('utf8')), { filename: file, cachedData });
  const module = { exports: {} as unknown };
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeRequire, module: unknown, filename: string, dirname: string) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file));
  const cache: CacheUse = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
  return { exports: module.exports, script, cacheFile, cache };
}

/** require(id), compiled from the build's code cache when there is a valid one; `cache` says whether there was. */
export function requireCached<T>(id: string, cacheDir = CACHE_DIR): { exports: T; cache: CacheUse } {
  const { exports, cache } = compile(id, cacheDir, true);
  return { exports: exports as T, cache };
}

/**
 * Build step: loads the library without a cache, lets `warm` use it (functions V8 compiled while
 * it ran are cached too, not only the top level), and writes the cache. Returns the file written.
 */
export function writeCodeCache<T>(id: string, warm: (exports: T) => void, cacheDir = CACHE_DIR): string {
  const compiled = compile(id, cacheDir, false);
  warm(compiled.exports as T);
  fs.mkdirSync(cacheDir, { recursive: true });
  // Caches of older library versions or other Node versions would only take up space.
  for (const old of fs.readdirSync(cacheDir)) if (old.startsWith(cachePrefix(id))) fs.rmSync(path.join(cacheDir, old));
  fs.writeFileSync(compiled.cacheFile, compiled.script.createCachedData());
  return compiled.cacheFile;
}
