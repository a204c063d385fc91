// The paths a container's start command depends on: every word of ENTRYPOINT, CMD and HEALTHCHECK
// that names something in the original image, either as a path (absolute, or relative to WORKDIR)
// or as a command found on the image's PATH. If the rewrite lacks one, the container cannot start
// the same way, whatever else matches.
import path from 'node:path/posix';
import { envMap, type ImageConfig } from './config-compare.js';
import { pathExists, type Listing } from './tar-list.js';

/** A word of a start command, and whether it is in a program's place (found on PATH, never in WORKDIR). */
export interface CommandWord {
  word: string;
  program: boolean;
}

/** The words of the start commands; shell-form strings are split on blanks and shell operators. */
export function commandWords(config: ImageConfig): string[] {
  return commandUses(config).map((w) => w.word);
}

/**
 * The words with their places. The exec form's first word is a program, and so is CMD's first
 * word under an ENTRYPOINT: the wrappers images use (`docker-entrypoint.sh`, `exec "$@"`) look it
 * up with `command -v` or exec it. In a shell script (`sh -c '…'`) each command's first word is one.
 */
export function commandUses(config: ImageConfig): CommandWord[] {
  const words: CommandWord[] = [];
  const add = (argv: readonly string[] | null | undefined) => {
    (argv ?? []).forEach((arg, i) => {
      const script = i > 0 && argv![i - 1] === '-c';
      words.push(...splitWords(arg, i === 0 ? 'first' : script ? 'script' : 'none'));
    });
  };
  add(config.Entrypoint);
  add(config.Cmd);
  const test = config.Healthcheck?.Test ?? [];
  if (test[0] === 'CMD' || test[0] === 'CMD-SHELL') add(test[0] === 'CMD-SHELL' ? ['/bin/sh', '-c', ...test.slice(1)] : test.slice(1));
  return words;
}

/** `programs`: which words are in a program's place — the first of the argument, or each command's first in a script. */
function splitWords(arg: string, programs: 'first' | 'script' | 'none'): CommandWord[] {
  const out: CommandWord[] = [];
  let commandStart = true;
  for (const raw of arg.split(/([;&|()`\n]+)|[ \t<>]+/)) {
    if (raw === undefined || raw === '') continue;
    if (/^[;&|()`\n]+$/.test(raw)) {
      commandStart = true;
      continue;
    }
    const program = programs === 'script' ? commandStart : programs === 'first' && out.length === 0 && commandStart;
    commandStart = false;
    let w = raw.replace(/^['"]|['"]$/g, '');
    if (/^--?[\w-]+=/.test(w)) w = w.slice(w.indexOf('=') + 1);
    if (w && !w.startsWith('-') && !w.includes('$')) out.push({ word: w, program });
    if (programs === 'first') programs = 'none';
  }
  return out;
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
  for (const { word, program } of commandUses(config)) {
    if (word.includes('/')) {
      const p = path.resolve(workdir, word);
      if (p !== '/' && pathExists(original, p)) out.set(p, { word, path: p, onPath: false });
      continue;
    }
    // `nginx` in a program's place is /usr/sbin/nginx even when the app folder has an nginx/ folder.
    const local = path.join(workdir, word);
    if (!program && pathExists(original, local)) out.set(local, { word, path: local, onPath: false });
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
