// The checker checked: `stageopt verify --against` on rewrites that are broken on purpose must say
// "not equivalent" (exit 1) for the right reason, and pass a correct rewrite. Real builds on the
// private engine; see test/e2e/apps/greeter for the app and its broken Dockerfiles.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { APPS, failures, requireDocker, SAMPLES, verifyJson } from './helpers.js';

requireDocker();
const GREETER = path.join(APPS, 'greeter');
const against = (variant: string, ...more: string[]) => verifyJson([path.join(GREETER, 'Dockerfile'), '--against', path.join(GREETER, `Dockerfile.${variant}`), ...more]);

test('a correct multi-stage rewrite is equivalent: same config, same output, only build-only files left out', () => {
  const r = against('equivalent', '--touch', 'lib/format.js');
  assert.is(r.status, 0, `${r.stderr}\n${JSON.stringify(r.doc?.problems, null, 2)}`);
  assert.is(r.doc.equivalent, true);
  assert.equal(failures(r.doc), []);
  assert.equal(r.doc.smoke.original, { exitCode: 0, stdout: 'hello stageopt, a day is 86400000 ms\n', stderr: '' });
  const missing = Object.fromEntries(r.doc.files.missing.map((m: { path: string; class: string }) => [m.path, m.class]));
  assert.equal(missing, { 'Dockerfile': 'build-only', 'Dockerfile.changed-cmd': 'build-only', 'Dockerfile.equivalent': 'build-only', 'Dockerfile.failing-build': 'build-only', 'Dockerfile.missing-base': 'build-only', 'Dockerfile.missing-cmd-file': 'build-only', 'Dockerfile.missing-dependency': 'build-only', 'Dockerfile.missing-module': 'build-only', 'README.md': 'build-only', 'package-lock.json': 'build-only', test: 'build-only' });
  // The rebuild after editing lib/format.js: the original copies everything after its install,
  // so both keep `npm ci` cached; the figures are there and both rebuilt.
  assert.is(r.doc.rebuild.touched, 'lib/format.js');
  assert.ok(r.doc.rebuild.original.ok && r.doc.rebuild.rewrite.ok);
  assert.ok(!r.doc.rebuild.rewrite.executedSteps.some((s: string) => /npm ci/.test(s)), r.doc.rebuild.rewrite.executedSteps.join(', '));
  assert.ok(r.doc.size.original.bytes > 0 && r.doc.size.original.layers > 0);
});

test('the file the CMD runs is missing: caught by the files check', () => {
  const r = against('missing-cmd-file', '--no-rebuild');
  assert.is(r.status, 1, r.stderr);
  assert.is(r.doc.equivalent, false);
  assert.ok(failures(r.doc).includes('files: the start command names server.js (/app/server.js), which the rewrite lacks'), failures(r.doc).join('\n'));
});

test('a module the app requires is missing: the smoke run differs and the file is listed as possibly needed', () => {
  const r = against('missing-module', '--no-rebuild');
  assert.is(r.status, 1, r.stderr);
  const smoke = failures(r.doc).find((f) => f.startsWith('smoke: '));
  assert.match(smoke ?? '', /^smoke: exit code 0 → 1: .*Cannot find module '\.\/lib\/format'/);
  assert.ok(r.doc.problems.some((p: { severity: string; message: string }) => p.severity === 'warn' && p.message.startsWith('/app/lib missing in the rewrite')), JSON.stringify(r.doc.problems));
});

test('a production dependency is missing: caught from the lockfile, whatever the smoke run says', () => {
  const r = against('missing-dependency', '--no-rebuild');
  assert.is(r.status, 1, r.stderr);
  assert.ok(failures(r.doc).includes('files: /app/node_modules/ms (4 files) missing in the rewrite: production dependency (package-lock.json)'), failures(r.doc).join('\n'));
});

test('a changed CMD: caught by the config check and by the smoke run', () => {
  const r = against('changed-cmd', '--no-rebuild');
  assert.is(r.status, 1, r.stderr);
  const f = failures(r.doc);
  assert.ok(f.includes('config: Cmd differs: ["node","server.js"] → ["node","server.js","--verbose"]'), f.join('\n'));
  assert.ok(f.some((x) => /^smoke: same exit code 0, different output/.test(x)), f.join('\n'));
});

test('a failing build: exit 1, the failing step and its output', () => {
  const r = against('failing-build');
  assert.is(r.status, 1, r.stderr);
  assert.equal(failures(r.doc), [`build: the rewrite does not build: RUN node -e "console.error('no such build script'); process.exit(3)" failed`]);
  assert.is(r.doc.builds.original.ok, true);
  assert.ok(r.doc.builds.rewrite.logTail.includes('no such build script'), r.doc.builds.rewrite.logTail.join('\n'));
  assert.is(r.doc.config, null);
});

test('a base image that cannot be found: exit 2 naming it and how to get it; nothing left behind', () => {
  const r = against('missing-base');
  assert.is(r.status, 2, r.stderr);
  assert.match(r.stderr, /the base image stageopt-e2e-no-such-image:1 is not available: it is not in the local engine and could not be pulled \(.+\)\. Pull it \("docker pull stageopt-e2e-no-such-image:1"\)/);
  assert.is(leftovers(), '');
});

test('distroless rewrite of a Go server: files listed without a shell; CMD via PATH and the changed config are caught', () => {
  const r = verifyJson([path.join(SAMPLES, 'go-hello', 'Dockerfile'), '--against', path.join(SAMPLES, 'go-hello', 'Dockerfile.multistage'), '--no-rebuild', '--http', '8080/']);
  assert.is(r.status, 1, r.stderr);
  const f = failures(r.doc);
  for (const expected of ['config: Cmd differs: ["go-hello"] → (none)', 'config: Entrypoint differs: (none) → ["/go-hello"]', 'config: WorkingDir differs: "/src" → "/home/nonroot"', 'config: User differs: "root" → "65532"', 'files: the start command names go-hello (/usr/local/bin/go-hello), which the rewrite lacks']) {
    assert.ok(f.includes(expected), `${expected}\nnot in:\n${f.join('\n')}`);
  }
  const classes = Object.fromEntries(r.doc.files.missing.map((m: { path: string; class: string }) => [m.path, m.class]));
  assert.is(classes['main.go'], 'build-only');
  assert.is(classes['go.mod'], 'build-only');
  assert.is(r.doc.smoke.severity, 'ok', 'the same server answers the same on both');
  assert.ok(r.doc.size.ratio < 0.1, `distroless is far smaller: ${r.doc.size.ratio}`);
});

test('in memory: the manifest-first rewrite of the sample Node app is equivalent and keeps npm ci cached after an edit', () => {
  const r = verifyJson([path.join(SAMPLES, 'node-ms'), '--http', '3000/healthz']);
  assert.is(r.status, 0, `${r.stderr}\n${JSON.stringify(r.doc?.problems, null, 2)}`);
  assert.match(r.doc.rewrite, /\(rewritten in memory\)$/);
  assert.is(r.doc.rebuild.touched, 'server.js');
  assert.ok(r.doc.rebuild.original.executedSteps.includes('RUN npm ci'), 'the original re-runs the install');
  assert.not.ok(r.doc.rebuild.rewrite.executedSteps.includes('RUN npm ci'), 'the rewrite takes it from the cache');
  assert.equal(fs.readdirSync(path.join(SAMPLES, 'node-ms')).sort(), ['Dockerfile', 'package-lock.json', 'package.json', 'server.js'], 'nothing written next to the app');
});

test('nothing is left behind: no stageopt-verify images or containers', () => {
  assert.is(leftovers(), '');
});

function leftovers(): string {
  const docker = process.env.STAGEOPT_DOCKER!;
  const images = spawnSync(docker, ['images', '-q', 'stageopt-verify-*'], { encoding: 'utf8' }).stdout.trim();
  const containers = spawnSync(docker, ['ps', '-aq', '--filter', 'label=org.stageopt.verify'], { encoding: 'utf8' }).stdout.trim();
  return images + containers;
}

test.run();
