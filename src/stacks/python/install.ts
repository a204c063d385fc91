// Python installs (pip and its requirement files, pipenv, poetry, uv): which commands install from
// manifests and which files they read, following `-r`/`-c` includes; a local path or an editable
// install of the project needs the sources.
import path from 'node:path';
import type { BuildContext } from '../../build-context.js';
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

function followRequirements(file: string, ctx: BuildContext, paths: Set<string>, seen: Set<string>): string | null {
  const clean = path.posix.normalize(file);
  if (clean.startsWith('..') || clean.startsWith('/')) return `the requirements file ${file} is outside the build context`;
  if (seen.has(clean)) return null;
  seen.add(clean);
  const text = ctx.readText(clean);
  if (text === null) return `no ${clean} in the build context${excludedNote(ctx, clean)}`;
  paths.add(clean);
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) continue;
    const include = /^(-r|-c|--requirement|--constraint)[\s=]*(\S+)$/.exec(line);
    if (include) {
      const problem = followRequirements(path.posix.join(path.posix.dirname(clean), include[2]!), ctx, paths, seen);
      if (problem) return problem;
    } else if (/^(-e|--editable)\b/.test(line) || /^(\.|\.\.|\/|file:)/.test(line) || /@\s*file:/.test(line)) {
      return `${clean} installs a local path ("${line}"), which needs the sources`;
    }
  }
  return null;
}
