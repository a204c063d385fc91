// The progress line on the real engine: `stageopt verify` on a terminal names the image it builds
// and the step BuildKit is at, and leaves no frame behind; `stageopt --dry-run --verify` shows the
// same line, and Ctrl-C there clears it and still removes what verify made. The smallest fixture app
// (go-http); test/verify-progress.test.ts has the frames in detail, without Docker.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FIXTURES, tempDir } from '../helpers.js';
import { onTerminal, progressFrames } from '../pty.js';
import { BUILD_NETWORK, NETWORK, requireDocker } from './helpers.js';

requireDocker();
const APP = path.join(FIXTURES, 'apps', 'go-http');

/**
 * A copy of the app with an edit no earlier build has seen: when apps.e2e.ts ran before, every step
 * of go-http is in the cache, the builds end before a frame names a step, and the test saw none.
 */
const copies: string[] = [];
function freshCopy(): string {
  const copy = path.join(tempDir('stageopt-e2e-progress-'), 'go-http');
  copies.push(path.dirname(copy));
  fs.cpSync(APP, copy, { recursive: true });
  fs.appendFileSync(path.join(copy, 'main.go'), `// ${crypto.randomBytes(8).toString('hex')}\n`);
  return copy;
}

function leftovers(): string {
  const out = (args: string[]) => spawnSync(process.env.STAGEOPT_DOCKER!, args, { encoding: 'utf8' }).stdout.trim();
  return [out(['ps', '-aq', '--filter', 'label=org.stageopt.verify']), out(['images', '-q', 'stageopt-verify-*'])].filter(Boolean).join('\n');
}

test('stageopt verify on a terminal: one line naming the image, the step and the time, cleared before the table', async () => {
  const app = freshCopy();
  const r = await onTerminal(['verify', app, '--http', '38106/', '--env', 'PORT=38106', '--env', 'HOST=127.0.0.1', '--network', NETWORK, '--build-network', BUILD_NETWORK, '--no-rebuild'], { timeoutMs: 15 * 60_000 });
  const frames = progressFrames(r.raw);
  assert.is(r.exitCode, 0, r.raw.slice(-3000));
  assert.ok(frames.some((f) => /^stageopt verify: building the (original|rewrite) · \[\d+\/\d+\] RUN go build -o server \. (\d+s|\(done\)|\(cached\)) · \d+s$/.test(f)), frames.join('\n'));
  assert.ok(frames.some((f) => f.startsWith('stageopt verify: building the rewrite · ')), frames.join('\n'));
  // The table comes after the last clear, on a clean line.
  const table = r.raw.lastIndexOf('\r\x1b[K') + 4;
  assert.match(r.raw.slice(table), /^\S.*equivalent/is);
});

test('stageopt --dry-run --verify on a terminal: the same line per file; Ctrl-C clears it and removes what verify made', async () => {
  const app = freshCopy();
  const r = await onTerminal(['--dry-run', '--verify', '--network', NETWORK, '--build-network', BUILD_NETWORK, path.join(app, 'Dockerfile')], { interrupt: /verifying \S+: building the (original|rewrite) · [^\d]/, timeoutMs: 15 * 60_000 });
  assert.is(r.exitCode, 130, r.raw.slice(-3000));
  assert.ok(progressFrames(r.raw).some((f) => /^stageopt: verifying \S*Dockerfile: building the (original|rewrite) · /.test(f)), r.raw.slice(-3000));
  const message = r.raw.indexOf('stageopt verify: interrupted (SIGINT)');
  assert.ok(message > 0 && r.raw.slice(0, message).endsWith('\r\x1b[K'), JSON.stringify(r.raw.slice(-600)));
  assert.is(leftovers(), '');
});

test.after(() => {
  for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
});

test.run();
