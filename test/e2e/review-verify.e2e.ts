// The review's `v` key with a real Docker engine: on the proposed split of the Python example, v
// builds the original and the change, prints the comparison with its size figures, and asks
// again; the file is written only after the answer that follows.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, tempDir } from '../helpers.js';
import { Session } from '../pty.js';
import { BUILD_NETWORK, NETWORK, requireDocker } from './helpers.js';

requireDocker();

test('v in the review verifies the proposed change on Docker, shows the figures and asks again', async () => {
  const dir = path.join(tempDir('stageopt-e2e-review-'), 'python-web');
  fs.cpSync(path.join(ROOT, 'examples', 'python-web'), dir, { recursive: true });
  const original = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
  const session = new Session(dir, ['--network', NETWORK, '--build-network', BUILD_NETWORK], 'split-stages');
  try {
    const prompt = /\? Apply to Dockerfile\? \((\w+)\)/;
    await session.waitFor(prompt);
    session.write('v');
    const shown = await session.waitFor(prompt, 10 * 60_000);
    assert.match(shown.before, /equivalent/i);
    assert.match(shown.before, /\d+ MB/);
    assert.not.match(shown.before, /cannot verify/);
    // Nothing is written by verifying.
    assert.is(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), original);
    session.write('y');
    const exit = await session.waitForExit();
    assert.is(exit.exitCode, 0, session.text);
    assert.match(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), /^FROM python:3\.12-slim AS runtime$/m);
  } finally {
    session.kill();
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});

test.run();
