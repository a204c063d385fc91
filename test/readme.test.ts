// The README's first command is what a newcomer runs on a fresh clone: it must show the product's
// headline, a single-stage Dockerfile split into a build and a slim runtime stage, and exit 1
// ("changes pending"). Run as written, minus the `npm ci &&` that `npm test` has already done.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT } from './helpers.js';

const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

function firstCommand(): string {
  const block = /```sh\n([^`]*)```/.exec(README);
  assert.ok(block, 'README.md has no sh block');
  const lines = block[1]!.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
  assert.is(lines.length, 1, 'the first block is one command');
  return lines[0]!;
}

test("README's first command installs with npm ci, then runs stageopt on the examples", () => {
  assert.match(firstCommand(), /^npm ci && node dist\/src\/cli\.js [^&|;]*examples\/$/);
});

test("README's first command prints a split of every example app into a runtime stage and exits 1", () => {
  const args = firstCommand().replace(/^npm ci && node /, '').split(/\s+/);
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.is(r.status, 1, r.stderr);
  const runtimeStages = r.stdout.match(/^\+FROM \S+ AS runtime$/gm) ?? [];
  assert.ok(runtimeStages.length >= 1, r.stdout);
  for (const app of fs.readdirSync(path.join(ROOT, 'examples'), { withFileTypes: true }).filter((e) => e.isDirectory())) {
    assert.match(r.stderr, new RegExp(`examples/${app.name}/Dockerfile: would change\\n(  .*\\n)*  split-stages`), `${app.name} is not split:\n${r.stderr}`);
  }
  // manifest-first's move shows too: the install ahead of the sources.
  assert.match(r.stderr, /manifest-first line \d+: copy package/);
});

test('the figures line of the README names each example with its size before and after', () => {
  for (const app of ['express-shop', 'typescript-api', 'go-server', 'python-web']) {
    assert.match(README, new RegExp(`${app}\\s+\\d[\\d,]* → \\d[\\d,]* MB`), `README.md: no figures for ${app}`);
  }
});

test.run();
