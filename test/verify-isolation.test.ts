// What verify lets the code it builds and starts reach (issue #14): the smoke containers get no
// network unless one is named, bounded memory and processes; builds keep docker's default network
// unless --build-network says otherwise. Checked on the flags verify actually hands the docker
// client (a fake one that logs its calls), not only on the option parser.
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseVerifyArgs } from '../src/verify/command.js';
import { buildFlags, parseMemory, runFlags } from '../src/verify/isolation.js';
import { compareOutcomes } from '../src/verify/smoke.js';
import { fakeDocker } from './fake-docker.js';
import { makeTree, runCli } from './helpers.js';

for (const [argv, message] of [
  [['--http', '3000'], /--http needs a network to reach the server: the smoke containers have none unless --network names one/],
  [['--http', '3000', '--network', 'none'], /--http needs a network/],
  [['--build-network', 'bridge'], /--build-network bridge: expected default, host or none \(BuildKit builds know no other network/],
  [['--memory', 'lots'], /--memory lots: expected a size of at least 6m/],
  [['--memory', '1m'], /--memory 1m: expected a size of at least 6m/],
  [['--memory', '-1'], /--memory -1: expected/],
  [['--pids-limit', '0'], /--pids-limit: expected a whole number of processes above 0/],
  [['--pids-limit', '2.5'], /--pids-limit: expected a whole number/],
  [['--pids-limit', 'many'], /--pids-limit: expected a whole number/],
  [['--build-timeout', '0'], /--build-timeout: expected a number of seconds above 0/],
  [['--build-timeout', 'soon'], /--build-timeout: expected a number of seconds above 0/],
] as const) {
  test(`usage error: ${argv.join(' ')}`, () => {
    assert.throws(() => parseVerifyArgs(argv), message);
  });
}

test('defaults: no network for the smoke run, docker\'s own for builds, 1g and 512 processes; each can be set', () => {
  assert.equal(parseVerifyArgs([]).isolation, { network: 'none', buildNetwork: 'default', memory: '1g', pids: 512 });
  assert.equal(parseVerifyArgs(['--network', 'bridge', '--build-network', 'host', '--memory', '512M', '--pids-limit', '64']).isolation, { network: 'bridge', buildNetwork: 'host', memory: '512m', pids: 64 });
  assert.equal(parseVerifyArgs(['--http', '3000', '--network', 'host']).smoke, { kind: 'http', port: 3000, path: '/' });
  assert.equal([parseVerifyArgs([]).timeoutSeconds, parseVerifyArgs([]).buildTimeoutSeconds], [30, 1800], 'the smoke run has seconds, a build half an hour');
  assert.is(parseVerifyArgs(['--build-timeout', '90']).buildTimeoutSeconds, 90);
});

test('verify --help says what the smoke run may reach, what builds use, the limits and what an interruption does', () => {
  const help = runCli(['verify', '--help']).stdout;
  for (const expected of [/The smoke containers get no network \(--network none\) unless --network names one/, /builds keep docker's default\nnetwork unless --build-network says otherwise/, /--memory SIZE .*\(default 1g\)/, /--pids-limit N .*\(default 512\)/, /--build-timeout SECONDS\n.*\(default 1800\)/, /Interrupted \(Ctrl-C, SIGTERM: exit 130, 143\)/]) {
    assert.match(help, expected);
  }
});

test('flags: a smoke container gets its network, memory with no swap beyond it, and a process limit', () => {
  assert.equal(runFlags({ network: 'none', buildNetwork: 'default', memory: '1g', pids: 512 }), ['--network', 'none', '--memory', '1g', '--memory-swap', '1g', '--pids-limit', '512']);
  assert.equal(buildFlags('default'), []);
  assert.equal(buildFlags('host'), ['--network', 'host']);
  assert.equal([parseMemory('6m'), parseMemory('6291456'), parseMemory('6291455'), parseMemory('2G'), parseMemory('1.5g')], ['6m', '6291456', null, '2g', null]);
});

test('a smoke container docker could not start proves nothing: a failure, not "same exit code 125"', () => {
  const r = compareOutcomes({ kind: 'cmd' }, { error: 'docker run failed: "docker: invalid memory"' }, { error: 'docker run failed: "docker: invalid memory"' });
  assert.is(r.severity, 'fail');
  assert.match(r.message, /^the original's container did not start \(docker run failed/);
  const oom = compareOutcomes({ kind: 'cmd' }, { exitCode: 0, stdout: '', stderr: '' }, { exitCode: 137, stdout: '', stderr: '' });
  assert.match(oom.message, /^exit code 0 → 137 \(137: killed, e\.g\. at the --memory limit\)/);
});

/** The argument lists the fake client got for `docker <command>`. */
const callsOf = (calls: string[][], command: string) => calls.filter((c) => c[0] === command);

test('verify hands docker these flags: smoke run with --network none and the limits, builds without --network', () => {
  const docker = fakeDocker();
  const dir = makeTree({ Dockerfile: 'FROM alpine\nCMD ["true"]\n' });
  const r = runCli(['verify', dir, '--against', path.join(dir, 'Dockerfile'), '--no-rebuild', '--format', 'json'], { env: { ...process.env, STAGEOPT_DOCKER: docker.binary, TMPDIR: docker.tmp } });
  assert.is(r.status, 0, r.stderr + r.stdout);
  const calls = docker.calls();
  const runs = callsOf(calls, 'run');
  assert.is(runs.length, 2, 'one smoke run per image');
  for (const run of runs) {
    const limits = run.slice(run.indexOf('--network'), run.indexOf('--pids-limit') + 2);
    assert.equal(limits, ['--network', 'none', '--memory', '1g', '--memory-swap', '1g', '--pids-limit', '512']);
  }
  const builds = callsOf(calls, 'build');
  assert.is(builds.length, 2);
  for (const build of builds) assert.not.ok(build.includes('--network'), build.join(' '));
});

test('--network, --build-network, --memory and --pids-limit reach docker as given', () => {
  const docker = fakeDocker();
  const dir = makeTree({ Dockerfile: 'FROM alpine\nCMD ["true"]\n' });
  const r = runCli(['verify', dir, '--against', path.join(dir, 'Dockerfile'), '--no-rebuild', '--network', 'host', '--build-network', 'host', '--memory', '256m', '--pids-limit', '64'], { env: { ...process.env, STAGEOPT_DOCKER: docker.binary, TMPDIR: docker.tmp } });
  assert.is(r.status, 0, r.stderr + r.stdout);
  const calls = docker.calls();
  for (const run of callsOf(calls, 'run')) assert.equal(run.slice(run.indexOf('--network'), run.indexOf('--pids-limit') + 2), ['--network', 'host', '--memory', '256m', '--memory-swap', '256m', '--pids-limit', '64']);
  for (const build of callsOf(calls, 'build')) assert.equal(build.slice(build.indexOf('--network'), build.indexOf('--network') + 2), ['--network', 'host']);
});

test('a smoke run still going at --timeout: stopped, its container removed, a note (both still running)', () => {
  const docker = fakeDocker('run');
  const dir = makeTree({ Dockerfile: 'FROM alpine\nCMD ["true"]\n' });
  const r = runCli(['verify', dir, '--against', path.join(dir, 'Dockerfile'), '--no-rebuild', '--timeout', '1', '--format', 'json'], { env: { ...process.env, STAGEOPT_DOCKER: docker.binary, TMPDIR: docker.tmp } });
  assert.is(r.status, 0, r.stderr + r.stdout);
  const doc = JSON.parse(r.stdout) as { smoke: { original: { stillRunning?: boolean }; severity: string; message: string } };
  assert.equal([doc.smoke.original.stillRunning, doc.smoke.severity], [true, 'note']);
  assert.match(doc.smoke.message, /^both still running at the timeout/);
  const calls = docker.calls();
  const names = callsOf(calls, 'run').map((c) => c[c.indexOf('--name') + 1]);
  const removed = callsOf(calls, 'rm').map((c) => c[2]);
  assert.ok(names.length === 2 && names.every((n) => removed.includes(n)), `${names} removed: ${removed}`);
});

test('stageopt --dry-run --verify: the same defaults, and --network / --build-network', () => {
  const docker = fakeDocker();
  const dir = makeTree({ Dockerfile: 'FROM golang:1.22\nRUN go build -o /out/app .\nFROM alpine\nCOPY --from=0 /out/app /app\nCMD ["/app"]\n' });
  const env = { ...process.env, STAGEOPT_DOCKER: docker.binary, TMPDIR: docker.tmp };
  runCli(['--dry-run', '--verify', dir], { env });
  const runs = callsOf(docker.calls(), 'run');
  assert.ok(runs.length > 0, 'the change was verified');
  for (const run of runs) assert.equal(run.slice(run.indexOf('--network'), run.indexOf('--network') + 2), ['--network', 'none']);
  const other = fakeDocker();
  runCli(['--dry-run', '--verify', '--network', 'host', '--build-network', 'host', dir], { env: { ...env, STAGEOPT_DOCKER: other.binary } });
  for (const run of callsOf(other.calls(), 'run')) assert.equal(run.slice(run.indexOf('--network'), run.indexOf('--network') + 2), ['--network', 'host']);
  for (const build of callsOf(other.calls(), 'build')) assert.ok(build.join(' ').includes('--network host'), build.join(' '));
});

test.run();
