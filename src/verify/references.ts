// The paths a container's start command depends on: every word of ENTRYPOINT, CMD and HEALTHCHECK
// that names something in the original image, either as a path (absolute, or relative to WORKDIR)
// or as a command found on the image's PATH. If the rewrite lacks one, the container cannot start
// the same way, whatever else matches.
import path from 'node:path/posix';
import { envMap, type ImageConfig } from './config-compare.js';
import { pathExists, type Listing } from './tar-list.js';

/** The words of the start commands; shell-form strings are split on blanks and shell operators. */
export function commandWords(config: ImageConfig): string[] {
  const words: string[] = [];
  const add = (argv: readonly string[] | null | undefined) => {
    for (const arg of argv ?? []) words.push(...splitWords(arg));
  };
  add(config.Entrypoint);
  add(config.Cmd);
  const test = config.Healthcheck?.Test ?? [];
  if (test[0] === 'CMD' || test[0] === 'CMD-SHELL') add(test.slice(1));
  return words;
}

function splitWords(arg: string): string[] {
  return arg
    .split(/[\s;&|()<>`]+/)
    .map((w) => w.replace(/^['"]|['"]$/g, ''))
    .map((w) => (/^--?[\w-]+=/.test(w) ? w.slice(w.indexOf('=') + 1) : w))
    .filter((w) => w && !w.startsWith('-') && !w.includes('$'));
}

export interface Reference {
  /** The word as written in the command. */
  word: string;
  /** Where it resolved in the original image. */
  path: string;
  /** True when it was found by searching PATH (a bare command name such as `node`). */
  onPath: boolean;
}

/** What the start commands name in the original image. */
export function references(config: ImageConfig, original: Listing): Reference[] {
  const workdir = config.WorkingDir || '/';
  const out = new Map<string, Reference>();
  for (const word of commandWords(config)) {
    if (word.includes('/')) {
      const p = path.resolve(workdir, word);
      if (p !== '/' && pathExists(original, p)) out.set(p, { word, path: p, onPath: false });
      continue;
    }
    const local = path.join(workdir, word);
    if (pathExists(original, local)) out.set(local, { word, path: local, onPath: false });
    else {
      const found = searchPath(config).map((d) => path.join(d, word)).find((c) => pathExists(original, c));
      if (found) out.set(found, { word, path: found, onPath: true });
    }
  }
  return [...out.values()];
}

export function searchPath(config: ImageConfig): string[] {
  return (envMap(config.Env).get('PATH') ?? '').split(':').filter((d) => d.startsWith('/'));
}

/** The references the rewrite cannot resolve; a PATH command may live in another PATH folder there. */
export function missingReferences(refs: readonly Reference[], rewriteConfig: ImageConfig, rewrite: Listing): Reference[] {
  const dirs = searchPath(rewriteConfig);
  return refs.filter((r) => !pathExists(rewrite, r.path) && !(r.onPath && dirs.some((d) => pathExists(rewrite, path.join(d, r.word)))));
}
