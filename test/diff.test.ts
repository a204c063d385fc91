// Diffs must apply with `git apply`, including the fallback hunk used for very large changes
// (the diff library is quadratic in the size of a change, so it is given a time bound).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { singleHunk, unifiedDiff } from '../src/diff.js';
import { tempDir } from './helpers.js';

function applies(before: string, patch: string, after: string): void {
  const dir = tempDir('stageopt-diff-');
  fs.writeFileSync(path.join(dir, 'Dockerfile'), before);
  fs.writeFileSync(path.join(dir, 'change.patch'), patch);
  const r = spawnSync('git', ['apply', '--unsafe-paths', 'change.patch'], { cwd: dir, encoding: 'utf8' });
  assert.is(r.status, 0, `git apply: ${r.stderr}\n${patch}`);
  assert.is(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), after);
  fs.rmSync(dir, { recursive: true, force: true });
}

const CASES: [string, string, string][] = [
  ['a change in the middle', 'FROM a\nRUN 1\nRUN 2\nRUN 3\nRUN 4\nRUN 5\nRUN 6\nCMD x\n', 'FROM a\nRUN 1\nRUN 2\nRUN three\nRUN 4\nRUN 5\nRUN 6\nCMD x\n'],
  ['lines added at the end without a final newline', 'FROM a\nRUN 1', 'FROM a\nRUN 1\nCOPY . .'],
  ['the last line changed, no final newline', 'FROM a\nRUN 1', 'FROM a AS b\nRUN 2'],
  ['pure insertion at the top', 'RUN 1\n', 'FROM a\nRUN 1\n'],
  ['CRLF', 'FROM a\r\nRUN 1\r\n', 'FROM a AS b\r\nCOPY x .\r\nRUN 1\r\n'],
];

for (const [name, before, after] of CASES) {
  test(`the fallback hunk applies: ${name}`, () => applies(before, `--- a/Dockerfile\n+++ b/Dockerfile\n${singleHunk(before, after)}`, after));
  test(`the library diff applies: ${name}`, () => applies(before, unifiedDiff('Dockerfile', before, after), after));
}

test('a very large change is diffed within a bound, and the diff applies', () => {
  const before = 'FROM golang\nRUN go build .\n'.repeat(8000) + 'FROM alpine\n';
  const after = 'FROM golang AS build\nRUN go build .\n'.repeat(8000) + 'FROM alpine AS runtime\n';
  const start = performance.now();
  const patch = unifiedDiff('Dockerfile', before, after);
  const seconds = (performance.now() - start) / 1000;
  assert.ok(seconds < 5, `took ${seconds.toFixed(1)} s`);
  applies(before, patch, after);
});

test.run();
