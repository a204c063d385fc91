// `stageopt verify` without building anything: argument errors and setup problems exit 2 with a
// message that says what is wrong; a file stageopt leaves alone has nothing to verify; the JSON
// document's shape is the one docs/verify-report.schema.json documents.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import AjvModule from 'ajv';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseVerifyArgs } from '../src/verify/command.js';
import { formatTable, toJson } from '../src/verify/report.js';
import { parseHttpSpec, splitCommand } from '../src/verify/smoke.js';
import type { VerifyReport } from '../src/verify/verify.js';
import { CLEAN, makeTree, MULTI, ROOT, runCli } from './helpers.js';

const Ajv = AjvModule.default;
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs', 'verify-report.schema.json'), 'utf8')) as object;
const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile(schema);
const assertValid = (doc: unknown) => assert.ok(validate(doc), ajv.errorsText(validate.errors, { separator: '\n' }));

for (const [argv, message] of [
  [['--smoke', 'true', '--http', '3000'], /--smoke and --http cannot be combined/],
  [['--http', 'abc'], /--http abc: expected PORT or PORT\/PATH/],
  [['--http', '70000/x'], /--http 70000\/x: expected PORT/],
  [['--smoke', '"unclosed'], /--smoke .*check the quotes/],
  [['--format', 'sarif'], /--format sarif: expected text or json/],
  [['--timeout', '0'], /--timeout: expected a number of seconds above 0/],
  [['--only', 'no-such-transform'], /unknown transform "no-such-transform"/],
  [['--frobnicate'], /unknown option --frobnicate/],
  [['a', 'b'], /verify takes one Dockerfile \(got 2: a b\)/],
  [['--context'], /--context needs a value/],
  [['--env', 'PORT'], /--env PORT: expected NAME=VALUE/],
] as const) {
  test(`usage error: ${argv.join(' ')}`, () => {
    assert.throws(() => parseVerifyArgs(argv), message);
  });
}

test('parseVerifyArgs: defaults, smoke kinds, --no-rebuild', () => {
  const d = parseVerifyArgs([]);
  assert.equal([d.path, d.smoke, d.timeoutSeconds, d.rebuild, d.isolation, d.format, d.only, d.skip, d.unsafe], ['.', { kind: 'cmd' }, 30, true, { network: 'none', buildNetwork: 'default', memory: '1g', pids: 512 }, 'text', null, [], false]);
  assert.equal(parseVerifyArgs(['--http', '3000/health?x=1', '--network', 'bridge']).smoke, { kind: 'http', port: 3000, path: '/health?x=1' });
  assert.equal(parseVerifyArgs(['--smoke', `node -e 'console.log(1 + 1)'`]).smoke, { kind: 'command', argv: ['node', '-e', 'console.log(1 + 1)'] });
  const full = parseVerifyArgs(['app', '--no-rebuild', '--network', 'host', '--only', 'name-stages', '--unsafe', '--format', 'json', '--touch', 'src/a.ts', '--against', 'B', '--env', 'PORT=1', '--env', 'HOST=a=b']);
  assert.equal(full.env, ['PORT=1', 'HOST=a=b']);
  assert.equal([full.path, full.rebuild, full.isolation.network, full.only, full.unsafe, full.format, full.touch, full.against], ['app', false, 'host', ['name-stages'], true, 'json', 'src/a.ts', 'B']);
  assert.equal(parseHttpSpec('8080'), { port: 8080, path: '/' });
  assert.equal(splitCommand(`a "b c" '' d`), ['a', 'b c', '', 'd']);
});

test('CLI: --help says that verify runs the repository\'s code', () => {
  const help = runCli(['verify', '--help']);
  assert.is(help.status, 0);
  assert.match(help.stdout, /Building a Dockerfile runs its RUN steps/);
  assert.match(help.stdout, /runs the code of\nthe repository it is pointed at/);
});

test('CLI: usage errors and missing paths exit 2 with the reason', () => {
  const bad = runCli(['verify', '--http', 'x']);
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /^stageopt verify: --http x: expected PORT or PORT\/PATH, e\.g\. 3000\/health\nRun "stageopt verify --help" for usage\.\n$/);
  const dir = makeTree({ 'empty/.keep': '' });
  const noFile = runCli(['verify', path.join(dir, 'empty')]);
  assert.is(noFile.status, 2);
  assert.match(noFile.stderr, /the folder has no Dockerfile/);
  const noAgainst = runCli(['verify', '--against', path.join(dir, 'nope'), path.join(dir, 'empty/.keep')]);
  assert.is(noAgainst.status, 2);
  assert.match(noAgainst.stderr, /--against .*nope: no such file or folder/);
  const help = runCli(['verify', '--help']);
  assert.is(help.status, 0);
  assert.match(help.stdout, /^Usage: stageopt verify \[path\] \[options\]/);
});

test('CLI: no docker client, or no daemon behind DOCKER_HOST: exit 2 saying what is missing and how to get it', () => {
  const dir = makeTree({ Dockerfile: MULTI });
  const noClient = runCli(['verify', dir], { env: { ...process.env, STAGEOPT_DOCKER: path.join(dir, 'no-such-docker') } });
  assert.is(noClient.status, 2, noClient.stderr);
  assert.match(noClient.stderr, /the docker client ".*no-such-docker" was not found\. Install Docker \(https:\/\/docs\.docker\.com\/engine\/install\/\), or set STAGEOPT_DOCKER/);
  const client = process.env.STAGEOPT_DOCKER ?? (fs.existsSync('/usr/bin/docker') ? '/usr/bin/docker' : null);
  if (!client || spawnSync(client, ['--version']).status !== 0) {
    console.log('  (skipped the unreachable-daemon case: no docker client on this machine)');
    return;
  }
  const noDaemon = runCli(['verify', dir], { env: { ...process.env, STAGEOPT_DOCKER: client, DOCKER_HOST: `unix://${path.join(dir, 'no.sock')}` } });
  assert.is(noDaemon.status, 2, noDaemon.stderr);
  assert.match(noDaemon.stderr, /cannot reach a Docker daemon through DOCKER_HOST=unix:\/\/.*no\.sock \(.+\)\. Start Docker/);
});

test('CLI: a file stageopt leaves unchanged has nothing to verify (exit 0, no docker needed)', () => {
  const dir = makeTree({ Dockerfile: CLEAN });
  const env = { ...process.env, STAGEOPT_DOCKER: path.join(dir, 'never-called') };
  const text = runCli(['verify', dir], { env });
  assert.is(text.status, 0, text.stderr);
  assert.match(text.stderr, /Dockerfile: stageopt leaves it unchanged: nothing to verify/);
  const json = runCli(['verify', dir, '--format', 'json'], { env });
  const doc = JSON.parse(json.stdout) as { outcome: string; equivalent: boolean };
  assertValid(doc);
  assert.equal([doc.outcome, doc.equivalent], ['unchanged', true]);
});

test('--verify with --write is refused', () => {
  const r = runCli(['--write', '--verify', makeTree({ Dockerfile: MULTI })]);
  assert.is(r.status, 2);
  assert.match(r.stderr, /--verify goes with --dry-run or the review, not --write/);
});

/** A report as a real run over a TypeScript API makes it (figures from such a run, trimmed). */
const SAMPLE: VerifyReport = {
  original: '/src/api/Dockerfile',
  rewrite: '/src/api/Dockerfile (rewritten in memory)',
  context: '/src/api',
  equivalent: false,
  builds: { original: { ok: true, seconds: 41.2, executed: 5, cached: 0 }, rewrite: { ok: true, seconds: 38.9, executed: 8, cached: 1 } },
  config: [
    { field: 'Env', key: 'NODE_VERSION', severity: 'warn', original: '20.19.0', rewrite: '20.18.0', message: 'Env NODE_VERSION (from the base image): "20.19.0" → "20.18.0"' },
    { field: 'Cmd', severity: 'fail', original: ['node', 'dist/server.js'], rewrite: ['node', 'server.js'], message: 'Cmd differs: ["node","dist/server.js"] → ["node","server.js"]' },
  ],
  files: {
    workdir: '/app',
    listed: true,
    missing: [{ path: 'src', files: 4, class: 'build-only', severity: 'note', reason: 'TypeScript source (the rewrite has the compiled .js)' }],
    owners: [],
    missingReferences: [],
    missingPythonDistributions: [],
    served: null,
  },
  smoke: { kind: 'http', description: 'GET http://127.0.0.1:3000/health', original: { status: 200, body: 'ok' }, rewrite: { status: 200, body: 'ok' }, severity: 'ok', message: 'same answer: HTTP 200, 2 bytes' },
  size: { original: { bytes: 1_012_000_000, layers: 11 }, rewrite: { bytes: 251_000_000, layers: 14 }, ratio: 0.248 },
  rebuild: {
    touched: 'src/server.ts',
    original: { ok: true, seconds: 30.1, stepSeconds: 28.4, executed: 3, cached: 2, executedSteps: ['COPY . .', 'RUN npm ci', 'RUN npm run build'] },
    rewrite: { ok: true, seconds: 6.2, stepSeconds: 4.9, executed: 2, cached: 7, executedSteps: ['COPY src ./src', 'RUN npm run build'] },
  },
  problems: [
    { check: 'config', severity: 'warn', message: 'Env NODE_VERSION (from the base image): "20.19.0" → "20.18.0"' },
    { check: 'config', severity: 'fail', message: 'Cmd differs: ["node","dist/server.js"] → ["node","server.js"]' },
  ],
};

test('JSON: the documented shape; a failed build has null checks; the table names every check', () => {
  const doc = JSON.parse(JSON.stringify(toJson(SAMPLE, { version: '0.1.0' }))) as Record<string, unknown>;
  assertValid(doc);
  assert.equal(Object.keys(doc).slice(0, 3), ['version', 'tool', 'original']);
  const failed: VerifyReport = { ...SAMPLE, builds: { original: SAMPLE.builds.original, rewrite: { ok: false, seconds: 3, executed: 1, cached: 2, failedStep: '[build 3/5] RUN npm run build', logTail: ['error TS2304'] } }, config: null, files: null, smoke: null, size: null, rebuild: null, problems: [{ check: 'build', severity: 'fail', message: 'the rewrite does not build' }] };
  assertValid(JSON.parse(JSON.stringify(toJson(failed, { version: '0.1.0' }))));
  assert.not.ok(validate({ ...doc, equivalent: 'yes' }), 'the schema is strict enough to reject a wrong type');
  const table = formatTable(SAMPLE);
  for (const row of ['build', 'config', 'files', 'smoke', 'size', 'rebuild']) assert.match(table, new RegExp(`^  ${row} `, 'm'));
  assert.match(table, /^  size +1012 MB, 11 layers +251 MB, 14 layers +0\.25x$/m);
  assert.match(table, /^  rebuild +30\.1s, 3 run, 2 cached +6\.2s, 2 run, 7 cached +after editing src\/server\.ts$/m);
  assert.match(table, /^  FAIL config: Cmd differs/m);
  assert.match(table, /Result: NOT equivalent \(1 failure\)\n$/);
  const failedTable = formatTable(failed);
  assert.match(failedTable, /The rewrite's build failed at \[build 3\/5\] RUN npm run build; last lines:\n    error TS2304/);
});

test.run();
