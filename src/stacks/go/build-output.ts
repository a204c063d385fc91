// Where `go build` puts its binary, by Go's own rule: `-o` when given; else, for one package, the
// current folder, named after the package's import path — in module mode the module path of the
// nearest go.mod plus the package's folder below it (a major-version suffix `/v2` dropped), in
// GOPATH mode the folder's name — and for `go build a.go b.go` the first file's name without `.go`.
// Several packages (`./...`) write no binary at all, and a name made of variables cannot be told.
// `go build std` (the standard library) writes nothing but the build cache.
import path from 'node:path';
import type { BuildContext } from '../../build-context.js';
import { flagValue } from '../../shell.js';
import { goModulePath } from './gomod.js';

// `go build` flags that take a value as the next word (`-tags netgo`); others stand alone (`-trimpath`).
const VALUE_FLAGS = new Set(['-o', '-p', '-asmflags', '-buildmode', '-buildvcs', '-compiler', '-gccgoflags', '-gcflags', '-installsuffix', '-ldflags', '-mod', '-modfile', '-overlay', '-pgo', '-pkgdir', '-tags', '-toolexec', '-C', '-covermode', '-coverpkg']);

export type GoOutput =
  /** The binary's path, relative to the folder `go build` runs in unless absolute; `folder`: `-o dir/`. */
  | { path: string; folder: boolean }
  /** No file: the packages are the standard library or the toolchain's (`std`, `cmd`), compiled into the build cache only. */
  | { nothing: true }
  | { problem: string };

/**
 * The output of `go build ARGS` (the words after `build`), run in `cwd`. `contextDirOf` maps a folder
 * of the image to the build-context folder it came from (null when it did not), to read go.mod.
 */
export function goBuildOutput(args: readonly string[], cwd: string, ctx: BuildContext, contextDirOf: (abs: string) => string | null): GoOutput {
  const out = flagValue(args, '-o');
  if (out !== null) return out === '' ? { problem: '"go build -o" names its output with a variable' } : { path: out, folder: out.endsWith('/') };
  const packages = packageArgs(args);
  if (packages.some((p) => p === '' || p.includes('$'))) return { problem: '"go build" names its package with a variable' };
  if (packages.length > 0 && packages.every((p) => p === 'std' || p === 'cmd')) return { nothing: true };
  if (packages.length > 0 && packages.every((p) => p.endsWith('.go'))) return { path: path.posix.basename(packages[0]!, '.go'), folder: false };
  if (packages.length > 1 || packages.some((p) => p.includes('...'))) return { problem: `"go build ${packages.join(' ')}" builds several packages, which leaves no binary` };
  const target = packages[0] ?? '.';
  if (!target.startsWith('.') && !target.startsWith('/')) return { problem: `"go build ${target}" names a package by its import path; which folder it is cannot be told` };
  const dir = path.posix.resolve(cwd, target);
  const contextDir = contextDirOf(dir);
  if (contextDir === null) return { problem: `the package folder ${dir} does not come from the build context, so its go.mod cannot be read` };
  const name = importPathBase(contextDir, ctx) ?? path.posix.basename(dir);
  if (name === '' || name === '/') return { problem: 'the package folder has no name to give the binary' };
  return { path: name, folder: false };
}

/** The last element of the package's import path in module mode, or null without a go.mod (GOPATH mode). */
function importPathBase(contextDir: string, ctx: BuildContext): string | null {
  for (let dir = contextDir; ; dir = parentOf(dir)) {
    const gomod = ctx.readText(dir === '' ? 'go.mod' : `${dir}/go.mod`);
    if (gomod !== null) {
      const module = goModulePath(gomod);
      if (!module) return null;
      const below = dir === '' ? contextDir : path.posix.relative(dir, contextDir);
      const importPath = below === '' ? module : `${module}/${below}`;
      // `go build` names the binary after the path without a major-version suffix (…/server/v2 → server).
      const elements = importPath.split('/');
      const last = elements.at(-1)!;
      return /^v[2-9]\d*$/.test(last) && elements.length > 1 ? elements.at(-2)! : last;
    }
    if (dir === '') return null;
  }
}

/** The package arguments of a go build or install: the words that are neither flags nor their values. */
function packageArgs(args: readonly string[]): string[] {
  const packages: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (word.startsWith('-')) {
      if (VALUE_FLAGS.has(word)) i++;
      continue;
    }
    packages.push(word);
  }
  return packages;
}

function parentOf(dir: string): string {
  const parent = path.posix.dirname(dir);
  return parent === '.' ? '' : parent;
}

/**
 * The commands `go install ARGS` (or a `go get` that installs) puts in the bin folder, by the same
 * naming rule as `go build`: one package (`.`, `./cmd/server`) gives one; `./...` gives one per main
 * package below the folder. Import paths and variables cannot be told.
 */
export function goInstallOutputs(args: readonly string[], cwd: string, ctx: BuildContext, contextDirOf: (abs: string) => string | null): { names: string[] } | { problem: string } {
  const packages = packageArgs(args);
  if (packages.some((p) => p === '' || p.includes('$'))) return { problem: 'names its package with a variable' };
  const names: string[] = [];
  for (const target of packages.length > 0 ? packages : ['.']) {
    if (!target.startsWith('.') && !target.startsWith('/')) return { problem: `names the package ${target} by its import path; which folder it is cannot be told` };
    const recursive = target.endsWith('/...');
    const dir = path.posix.resolve(cwd, recursive ? target.slice(0, -4) || '.' : target);
    const contextDir = contextDirOf(dir);
    if (contextDir === null) return { problem: `the package folder ${dir} does not come from the build context` };
    const mains = recursive ? mainPackagesUnder(contextDir, ctx) : [contextDir];
    if (mains === null) return { problem: `the folders below ${dir} hold over 2,000 entries; not all were read for main packages` };
    for (const main of mains) {
      const rel = main === contextDir ? '' : path.posix.relative(contextDir, main);
      const name = importPathBase(main, ctx) ?? path.posix.basename(rel === '' ? dir : path.posix.join(dir, rel));
      if (name === '' || name === '/') return { problem: 'a package folder has no name to give the binary' };
      names.push(name);
    }
  }
  if (names.length === 0) return { problem: 'installs no command (no main package)' };
  return { names: [...new Set(names)] };
}

/** Folders (relative to the context) below `contextDir` whose .go files are `package main`, as `./...` matches them. */
function mainPackagesUnder(contextDir: string, ctx: BuildContext): string[] | null {
  const out: string[] = [];
  const pending = [contextDir];
  let seen = 0;
  while (pending.length > 0) {
    const dir = pending.shift()!;
    let isMain = false;
    for (const entry of ctx.list(dir === '' ? '.' : dir) ?? []) {
      if (++seen > 2000) return null;
      const rel = dir === '' ? entry : `${dir}/${entry}`;
      // `./...` skips vendor, testdata and folders starting with . or _, as the go tool does.
      if (ctx.isDirectory(rel)) {
        if (entry !== 'vendor' && entry !== 'testdata' && !entry.startsWith('.') && !entry.startsWith('_')) pending.push(rel);
      } else if (entry.endsWith('.go') && !entry.endsWith('_test.go') && /^\s*package\s+main\b/m.test(ctx.readText(rel) ?? '')) isMain = true;
    }
    if (isMain) out.push(dir);
  }
  return out;
}
