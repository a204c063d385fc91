// verify interrupted, on the real engine (issue #14): a build that hangs (`RUN sleep 293`) is
// stopped — in the daemon too, not only its client — and nothing verify made is left: no container,
// no stageopt-verify image, no temporary context copy. SIGINT in the middle of a build, SIGTERM in
// the middle of the rebuild from a context copy, and a build past --build-timeout.
// The unit tier does the same with a fake client (test/verify-cleanup.test.ts).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI, tempDir } from '../helpers.js';
import { APPS, BUILD_NETWORK, requireDocker } from './helpers.js';

requireDocker();
const HANG = path.join(APPS, 'hang');

/** Pids of the hanging RUN step's `sleep 293`: the build runs on this machine, so its processes are in our process table. */
function hangingSleeps(): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8') === 'sleep\x00293\x00') pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

async function until(what: string, ok: () => boolean, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${seconds} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface Ended {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `stageopt verify` with a TMPDIR of its own; sends `signal` once the build hangs, when given. */
function verifyAsync(args: string[], tmp: string, signal: NodeJS.Signals | null): Promise<Ended> {
  const child = spawn(process.execPath, [CLI, 'verify', '--build-network', BUILD_NETWORK, ...args], { env: { ...process.env, TMPDIR: tmp, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const ended = new Promise<Ended>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  if (!signal) return ended;
  return until('the build hangs (sleep 293 running)', () => hangingSleeps().length > 0, 10 * 60)
    .then(() => child.kill(signal))
    .then(() => ended);
}

/** What verify could have left: its containers (by label and by name) and images (by tag prefix). */
function leftovers(): string {
  const docker = process.env.STAGEOPT_DOCKER!;
  const out = (args: string[]) => spawnSync(docker, args, { encoding: 'utf8' }).stdout.trim();
  return [out(['ps', '-aq', '--filter', 'label=org.stageopt.verify']), out(['ps', '-aq', '--filter', 'name=stageopt-verify-']), out(['images', '-q', 'stageopt-verify-*'])].filter(Boolean).join('\n');
}

async function assertNothingLeft(tmp: string): Promise<void> {
  // A cancelled build's processes go within a second or two (the daemon tears its container down).
  await until('the hanging build stops in the daemon', () => hangingSleeps().length === 0, 20);
  assert.is(leftovers(), '', 'no stageopt-verify container or image');
  assert.equal(fs.readdirSync(tmp), [], 'no temporary folder');
  fs.rmdirSync(tmp);
}

test.before(() => {
  assert.equal(hangingSleeps(), [], 'no sleep 293 running before the tests (a left-over build?)');
  assert.is(leftovers(), '', 'no stageopt-verify leftovers before the tests');
});

test('SIGINT in the middle of a build: exit 130, the build cancelled, nothing left', async () => {
  const tmp = tempDir('stageopt-e2e-tmp-');
  const r = await verifyAsync([path.join(HANG, 'Dockerfile.hang'), '--against', path.join(HANG, 'Dockerfile.hang')], tmp, 'SIGINT');
  assert.is(r.code, 130, r.stderr);
  assert.match(r.stderr, /stageopt verify: interrupted \(SIGINT\): stopping docker and removing what verify made/);
  await assertNothingLeft(tmp);
});

test('SIGTERM in the middle of the rebuild from a context copy: exit 143, both images, the containers and the copies gone', async () => {
  const tmp = tempDir('stageopt-e2e-tmp-');
  const r = await verifyAsync([path.join(HANG, 'Dockerfile'), '--against', path.join(HANG, 'Dockerfile'), '--touch', 'main.sh'], tmp, 'SIGTERM');
  assert.is(r.code, 143, r.stderr);
  await assertNothingLeft(tmp);
});

test('a build past --build-timeout: stopped in the daemon, exit 1, reported as timed out, nothing left', async () => {
  const tmp = tempDir('stageopt-e2e-tmp-');
  const r = await verifyAsync([path.join(HANG, 'Dockerfile.hang'), '--against', path.join(HANG, 'Dockerfile.hang'), '--build-timeout', '8', '--format', 'json'], tmp, null);
  assert.is(r.code, 1, r.stderr);
  const doc = JSON.parse(r.stdout) as { builds: { original: { timedOut?: boolean; seconds: number } }; problems: { message: string }[] };
  assert.is(doc.builds.original.timedOut, true);
  assert.ok(doc.builds.original.seconds < 20, `stopped at about 8 s: ${doc.builds.original.seconds}`);
  assert.ok(doc.problems.some((p) => /^the original does not build: stopped after --build-timeout 8s \(.*RUN sleep 293 was running\)$/.test(p.message)), JSON.stringify(doc.problems));
  await assertNothingLeft(tmp);
});

test.run();
