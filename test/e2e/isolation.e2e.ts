// What a smoke container may reach, on the real engine (issue #14): by default no network but
// loopback, 1 GiB of memory with no swap beyond it, 512 processes; --network, --memory and
// --pids-limit change that. The fixture's CMD prints what the container sees (test/e2e/apps/hang/main.sh).
// This engine runs --bridge=none, so a container on docker's default network would see only
// loopback too: here the default's "none" is shown against the host network a user opts in to;
// that verify asks for --network none is held by test/verify-isolation.test.ts.
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runCli } from '../helpers.js';
import { APPS, BUILD_NETWORK, requireDocker } from './helpers.js';

requireDocker();
const APP = path.join(APPS, 'hang');

/** The smoke run's stdout as name → value ("net" → "lo"). */
function seen(args: string[]): Record<string, string> {
  const dockerfile = path.join(APP, 'Dockerfile');
  const r = runCli(['verify', dockerfile, '--against', dockerfile, '--no-rebuild', '--build-network', BUILD_NETWORK, '--format', 'json', ...args], { timeout: 10 * 60_000 });
  assert.is(r.status, 0, r.stderr + r.stdout);
  const doc = JSON.parse(r.stdout) as { smoke: { original: { stdout: string } } };
  return Object.fromEntries(doc.smoke.original.stdout.trim().split('\n').map((line) => line.split(': ').map((s) => s.trim()) as [string, string]));
}

test('by default: loopback only, 1 GiB of memory and no swap beyond it, 512 processes', () => {
  const s = seen([]);
  assert.is(s.net, 'lo');
  assert.is(s.memory, String(1024 ** 3));
  // cgroup v1 counts memory and swap together (the same figure: no swap); v2 counts swap alone (0).
  assert.ok(s.swap === String(1024 ** 3) || s.swap === '0', s.swap);
  assert.is(s.pids, '512');
});

test('--network host, --memory 256m, --pids-limit 64: as asked', () => {
  const s = seen(['--network', 'host', '--memory', '256m', '--pids-limit', '64']);
  assert.ok(s.net!.split(' ').length > 1 && s.net!.split(' ').includes('lo'), `the host's interfaces: ${s.net}`);
  assert.is(s.memory, String(256 * 1024 ** 2));
  assert.is(s.pids, '64');
});

test.run();
