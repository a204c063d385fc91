// verify interrupted or timed out (issue #14): whatever it was running stops, and what it made —
// images, containers, temporary context copies — goes, on SIGINT (exit 130), SIGTERM (exit 143)
// and a build past --build-timeout (exit 1, the build named as timed out). A fake docker client
// whose builds hang like `RUN sleep 300` stands in for the engine; the e2e tier does the same on a
// real one (test/e2e/interrupt.e2e.ts).
import { spawn } from 'node:child_process';
import AjvModule from 'ajv';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { alive, fakeDocker, type FakeDocker } from './fake-docker.js';
import { CLI, makeTree, ROOT } from './helpers.js';

const validate = new AjvModule.default({ allErrors: true }).compile(JSON.parse(fs.readFileSync(path.join(ROOT, 'docs', 'verify-report.schema.json'), 'utf8')) as object);

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `stageopt verify args`, sends `signal` once the fake build hangs (if a signal is given), and waits for the end. */
function verifyUntil(docker: FakeDocker, args: string[], signal: NodeJS.Signals | null): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'verify', ...args], { env: { ...process.env, STAGEOPT_DOCKER: docker.binary, TMPDIR: docker.tmp, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const giveUp = setTimeout(() => (child.kill('SIGKILL'), reject(new Error(`verify did not end within 30 s\n${stderr}`))), 30_000);
    const poll = setInterval(() => {
      if (signal && docker.hangingPid() !== null) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 50);
    child.on('close', (code, sig) => {
      clearTimeout(giveUp);
      clearInterval(poll);
      resolve({ code, signal: sig, stdout, stderr });
    });
  });
}

/** The tags verify made `docker rmi -f` remove, and the containers it made `docker rm -f` remove. */
function removed(docker: FakeDocker): { images: string[]; containers: string[] } {
  const calls = docker.calls();
  return { images: calls.filter((c) => c[0] === 'rmi').flatMap((c) => c.slice(2)), containers: calls.filter((c) => c[0] === 'rm').flatMap((c) => c.slice(2)) };
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 40 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

const app = () => makeTree({ Dockerfile: 'FROM alpine\nCOPY . /app\nCMD ["true"]\n', 'app.js': 'console.log(1)\n' });

test('SIGINT in the middle of a build: exit 130, the hanging build stopped, every tag removed', async () => {
  const docker = fakeDocker('build');
  const dir = app();
  const r = await verifyUntil(docker, [dir, '--against', path.join(dir, 'Dockerfile')], 'SIGINT');
  assert.is(r.code, 130, r.stderr);
  assert.ok(await gone(docker.hangingPid()!), 'the docker build client was stopped, not left running (it would tag its image later)');
  const { images } = removed(docker);
  assert.equal(images.map((t) => t.replace(/-[0-9a-f]{10}:/, '-ID:')).sort(), ['stageopt-verify-ID:original', 'stageopt-verify-ID:rewrite']);
  assert.match(r.stderr, /stageopt verify: interrupted \(SIGINT\): stopping docker and removing what verify made \(Ctrl-C again quits at once\)\n/);
  assert.equal(fs.readdirSync(docker.tmp), []);
});

test('SIGTERM during the rebuild from a context copy: exit 143, the copy and every image and container removed', async () => {
  const docker = fakeDocker('copies');
  const dir = app();
  const r = await verifyUntil(docker, [dir, '--against', path.join(dir, 'Dockerfile'), '--touch', 'app.js'], 'SIGTERM');
  assert.is(r.code, 143, r.stderr);
  assert.ok(await gone(docker.hangingPid()!), 'the rebuild was stopped');
  const calls = docker.calls();
  const hung = calls.filter((c) => c[0] === 'build').at(-1)!;
  assert.ok(hung.at(-1)!.startsWith(docker.tmp), `the hanging build was the rebuild from a copy: ${hung.join(' ')}`);
  const { images, containers } = removed(docker);
  for (const tag of calls.filter((c) => c[0] === 'build').map((c) => c[c.indexOf('-t') + 1]!)) assert.ok(images.includes(tag), `${tag} removed`);
  const made = calls.filter((c) => c[0] === 'run' || c[0] === 'create').map((c) => c[c.indexOf('--name') + 1]!);
  assert.ok(made.length >= 2 && made.every((name) => containers.includes(name)), `${made} all removed: ${containers}`);
  assert.equal(fs.readdirSync(docker.tmp), [], 'no context copy left');
});

test('two SIGINTs in a row (the second may land while cleaning up): still 130, the build still stopped', async () => {
  const docker = fakeDocker('build');
  const dir = app();
  const child = spawn(process.execPath, [CLI, 'verify', dir, '--against', path.join(dir, 'Dockerfile')], { env: { ...process.env, STAGEOPT_DOCKER: docker.binary, TMPDIR: docker.tmp }, stdio: 'ignore' });
  while (docker.hangingPid() === null) await new Promise((r) => setTimeout(r, 50));
  const code = await new Promise<number | null>((resolve) => {
    child.on('close', (c) => resolve(c));
    child.kill('SIGINT');
    child.kill('SIGINT');
  });
  assert.is(code, 130);
  assert.ok(await gone(docker.hangingPid()!));
});

test('a build past --build-timeout: stopped, reported as timed out (exit 1), and cleaned up', async () => {
  const docker = fakeDocker('build');
  const dir = app();
  const started = Date.now();
  const r = await verifyUntil(docker, [dir, '--against', path.join(dir, 'Dockerfile'), '--build-timeout', '1', '--format', 'json'], null);
  assert.is(r.code, 1, r.stderr);
  assert.ok(Date.now() - started < 15_000, 'both builds stopped after about a second each');
  const doc = JSON.parse(r.stdout) as { equivalent: boolean; builds: { original: { ok: boolean; timedOut?: boolean } }; problems: { message: string }[] };
  assert.ok(validate(doc), JSON.stringify(validate.errors));
  assert.equal([doc.equivalent, doc.builds.original.ok, doc.builds.original.timedOut], [false, false, true]);
  assert.ok(doc.problems.some((p) => p.message === 'the original does not build: stopped after --build-timeout 1s (RUN sleep 60 was running)'), JSON.stringify(doc.problems));
  assert.ok(await gone(docker.hangingPid()!));
  assert.is(removed(docker).images.length, 2);
});

test.run();
