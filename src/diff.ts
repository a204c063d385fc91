// Unified diffs as git prints them (a/ and b/ prefixes, so a saved diff applies with `git apply`),
// optionally coloured for a terminal.
import type * as Diff from 'diff';
import { lazy } from './lazy.js';

const diffLib = lazy<typeof Diff>('diff');

// The diff library's algorithm is quadratic in the size of a change: thousands of changed lines
// took half a minute. Past this bound, the change is shown as one hunk (see singleHunk).
const DIFF_TIMEOUT_MS = 1000;

export function unifiedDiff(file: string, before: string, after: string): string {
  const name = file.split('\\').join('/').replace(/^\/+/, '');
  const patch = diffLib().createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, undefined, undefined, { context: 3, timeout: DIFF_TIMEOUT_MS });
  if (patch === undefined) return `--- a/${name}\n+++ b/${name}\n` + singleHunk(before, after);
  // The diff package starts with an "Index:" banner and a rule line; git-style diffs start at ---.
  return patch.slice(patch.indexOf('--- '));
}

/** Lines with their own line breaks; the last one may have none. */
function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * A correct, linear-time hunk: the common first and last lines are context (three of each), and
 * everything between is removed and added. Less minimal than the library's diff, but it applies
 * with `git apply` and is only used for very large changes.
 */
export function singleHunk(before: string, after: string): string {
  const a = linesOf(before);
  const b = linesOf(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const start = Math.max(0, head - 3);
  const contextAfter = Math.min(3, tail);
  const oldEnd = a.length - tail + contextAfter;
  const newEnd = b.length - tail + contextAfter;
  const out: string[] = [];
  const range = (from: number, to: number) => `${to - from === 0 ? from : from + 1},${to - from}`;
  out.push(`@@ -${range(start, oldEnd)} +${range(start, newEnd)} @@\n`);
  const emit = (prefix: string, line: string) => {
    out.push(prefix + line);
    if (!line.endsWith('\n')) out.push('\n\\ No newline at end of file\n');
  };
  for (let i = start; i < head; i++) emit(' ', a[i]!);
  for (let i = head; i < a.length - tail; i++) emit('-', a[i]!);
  for (let i = head; i < b.length - tail; i++) emit('+', b[i]!);
  for (let i = a.length - tail; i < oldEnd; i++) emit(' ', a[i]!);
  return out.join('');
}

const STYLE = { red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', cyan: '\x1b[36m', bold: '\x1b[1m', dim: '\x1b[2m', reset: '\x1b[0m' };
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
