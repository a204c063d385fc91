// Unified diffs as git prints them (a/ and b/ prefixes, so a saved diff applies with `git apply`),
// optionally coloured for a terminal.
import type * as Diff from 'diff';
import { lazy } from './lazy.js';

const diffLib = lazy<typeof Diff>('diff');

export function unifiedDiff(file: string, before: string, after: string): string {
  const name = file.split('\\').join('/').replace(/^\/+/, '');
  const patch = diffLib().createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, undefined, undefined, { context: 3 });
  // The diff package starts with an "Index:" banner and a rule line; git-style diffs start at ---.
  return patch.slice(patch.indexOf('--- '));
}

const STYLE = { red: '\x1b[31m', green: '\x1b[32m', cyan: '\x1b[36m', bold: '\x1b[1m', dim: '\x1b[2m', reset: '\x1b[0m' };
export type Style = keyof typeof STYLE;

export function paint(text: string, style: Style, color: boolean): string {
  return color ? `${STYLE[style]}${text}${STYLE.reset}` : text;
}

export function colorDiff(patch: string, color: boolean): string {
  if (!color) return patch;
  return patch
    .split('\n')
    .map((line) => {
      if (line.startsWith('+++') || line.startsWith('---')) return paint(line, 'bold', true);
      if (line.startsWith('@@')) return paint(line, 'cyan', true);
      if (line.startsWith('+')) return paint(line, 'green', true);
      if (line.startsWith('-')) return paint(line, 'red', true);
      if (line.startsWith('\\')) return paint(line, 'dim', true);
      return line;
    })
    .join('\n');
}
