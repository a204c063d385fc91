// Python installs (pip and its requirement files, pipenv, poetry, uv): which commands install from
// manifests and which files they read, following `-r`/`-c` includes; a local path or an editable
// install of the project needs the sources.
import path from 'node:path';
import type { BuildContext } from '../../build-context.js';
import { token } from '../../quote.js';
import { excludedNote, INSTALL_BASE, isLiteral, positional, type Install, type InstallReader, type ManifestFiles, type Recognized, type Words } from '../install.js';

export const pythonInstalls: InstallReader = {
  ecosystems: ['pip', 'pipenv', 'poetry', 'uv'],
  recognize(words: Words): Recognized | undefined {
    const [cmd, sub] = words;
    const rest = words.slice(2);
    const base = INSTALL_BASE;
    switch (cmd) {
      case 'pip':
      case 'pip3':
        return sub === 'install' ? recognizePip(rest) : null;
      case 'python':
      case 'python3':
        return sub === '-m' && (words[2] === 'pip' || words[2] === 'pip3') && words[3] === 'install' ? recognizePip(words.slice(4)) : null;
      case 'pipenv':
        if (sub !== 'install' && sub !== 'sync') return null;
        if (!isLiteral(rest) || positional(rest, new Set(['--python'])).length > 0) return null;
        return { kind: 'install', install: { ...base, ecosystem: 'pipenv', strategy: 'move' } };
      case 'poetry':
        if (sub !== 'install' || !isLiteral(rest)) return null;
        return { kind: 'install', install: { ...base, ecosystem: 'poetry', strategy: 'prepare', prepareFlags: rest.includes('--no-root') ? [] : ['--no-root'] } };
      case 'uv':
        if (sub === 'pip' && words[2] === 'install') return recognizePip(words.slice(3));
        if (sub !== 'sync' || !isLiteral(rest)) return null;
        return { kind: 'install', install: { ...base, ecosystem: 'uv', strategy: 'prepare', prepareFlags: rest.includes('--no-install-project') ? [] : ['--no-install-project'] } };
      default:
        return undefined;
    }
  },
  plan(install: Install, files: ManifestFiles): string | null {
    const { ctx, paths } = files;
    let problem: string | null = null;
    switch (install.ecosystem) {
      case 'pip':
        for (const file of install.requirementFiles) {
          problem ??= followRequirements(file, ctx, paths, new Set());
        }
        break;
      case 'pipenv':
        problem = files.requireFile('Pipfile');
        if (!problem && /path\s*=\s*["']\.{0,2}\//.test(ctx.readText('Pipfile') ?? '')) problem = 'the Pipfile installs a local path, which needs the sources';
        files.addIfPresent('Pipfile.lock');
        break;
      case 'poetry':
        problem = files.requireFile('pyproject.toml');
        files.addIfPresent('poetry.lock', 'poetry.toml');
        if (!problem && /path\s*=\s*["']/.test(ctx.readText('pyproject.toml') ?? '')) problem = 'pyproject.toml has a path dependency, which needs the sources';
        break;
      case 'uv':
        problem = files.requireFile('pyproject.toml') ?? files.requireFile('uv.lock');
        files.addIfPresent('.python-version', 'uv.toml');
        if (!problem && /\[tool\.uv\.(workspace|sources)\]/.test(ctx.readText('pyproject.toml') ?? '')) problem = 'pyproject.toml declares uv workspace members or sources, which need the sources';
        break;
    }
    return problem;
  },
};

function recognizePip(args: readonly (string | null)[]): Recognized {
  if (!args.every((w): w is string => w !== null)) return { kind: 'decline', reason: '"pip install" has arguments made of variables' };
  const files: string[] = [];
  const packages: string[] = [];
  const valueFlags = new Set(['--prefix', '--target', '-t', '--root', '--index-url', '-i', '--extra-index-url', '--find-links', '-f', '--trusted-host', '--cache-dir', '--timeout', '--retries', '--progress-bar']);
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === '-r' || w === '--requirement' || w === '-c' || w === '--constraint') files.push(args[++i] ?? '');
    else if (/^(-r|-c)(.+)$/.test(w) && !w.startsWith('--')) files.push(w.slice(2));
    else if (/^--(requirement|constraint)=/.test(w)) files.push(w.slice(w.indexOf('=') + 1));
    else if (w === '-e' || w === '--editable') return { kind: 'decline', reason: 'pip installs the project itself (-e), which needs the sources' };
    else if (valueFlags.has(w)) i++;
    else if (!w.startsWith('-')) packages.push(w);
  }
  if (packages.some(isLocalPath)) return { kind: 'decline', reason: `pip installs a local path (${packages.find(isLocalPath)}), which needs the sources` };
  if (files.length === 0) return null; // `pip install flask gunicorn`: named packages, no manifest
  if (packages.length > 0) return null; // mixed with named packages: not a pure manifest install
  return { kind: 'install', install: { ecosystem: 'pip', strategy: 'move', prepareFlags: [], requirementFiles: files, ignoresScripts: false } };
}

function isLocalPath(spec: string): boolean {
  return spec === '.' || spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/') || spec.startsWith('file:') || spec.endsWith('/');
}

/**
 * How many requirement files one install may include. pip follows `-r` without a limit, but a
 * chain of 20,000 files overflowed the stack here when followed by recursion; no project needs
 * more than a handful.
 */
export const MAX_REQUIREMENT_FILES = 1000;

/**
 * Follows `-r`/`-c` includes from one requirements file, depth first in the order pip reads them,
 * each file once (a file that includes itself, or a cycle, ends there). An explicit stack, not
 * recursion: the walk's depth is the file's to choose. Adds each file read to `paths`; returns the
 * first problem, or null.
 */
function followRequirements(file: string, ctx: BuildContext, paths: Set<string>, seen: Set<string>): string | null {
  const open: { file: string; lines: string[]; next: number }[] = [];
  const enter = (target: string): string | null => {
    // An absolute include is a path in the image, never in the context: path.posix.join had made
    // `/etc/passwd` the context's `etc/passwd`.
    const clean = path.posix.normalize(target);
    if (clean.startsWith('..') || clean.startsWith('/')) return `the requirements file ${shortName(target)} is outside the build context`;
    if (seen.has(clean)) return null;
    if (seen.size >= MAX_REQUIREMENT_FILES) return `${file} and its includes name over ${MAX_REQUIREMENT_FILES.toLocaleString('en-US')} requirement files; not all were followed`;
    seen.add(clean);
    const text = ctx.readText(clean);
    if (text === null) return `no ${shortName(clean)} in the build context${excludedNote(ctx, clean)}`;
    paths.add(clean);
    open.push({ file: clean, lines: text.split(/\r?\n/), next: 0 });
    return null;
  };
  let problem = enter(file);
  while (!problem && open.length > 0) {
    const top = open.at(-1)!;
    if (top.next >= top.lines.length) {
      open.pop();
      continue;
    }
    const line = top.lines[top.next++]!.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const include = /^(-r|-c|--requirement|--constraint)[\s=]*(\S+)$/.exec(line);
    if (include) {
      const target = include[2]!;
      problem = enter(target.startsWith('/') ? target : path.posix.join(path.posix.dirname(top.file), target));
    } else if (/^(-e|--editable)\b/.test(line) || /^(\.|\.\.|\/|file:)/.test(line) || /@\s*file:/.test(line)) {
      // A short line is quoted whole; a long one by its first token only (messages never carry lines).
      problem = `${top.file} installs a local path ("${line.length <= 24 ? line : token(line)}"), which needs the sources`;
    }
  }
  return problem;
}

/** A file name taken from a requirements file, cut for a message: the name is the file's text. */
function shortName(name: string): string {
  return name.length <= 80 ? name : `${name.slice(0, 80)}…`;
}
