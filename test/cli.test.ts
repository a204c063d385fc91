// The built binary, spawned as a user would run it: exit codes, diffs, --write, stdin, discovery,
// per-repo config and its errors, bad input files, output formats.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTree, runCli } from './helpers.js';

const MULTI = 'FROM golang:1.22\nRUN go build -o /out/app .\nFROM alpine\nCOPY --from=0 /out/app /app\n';
const MULTI_FIXED = 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM alpine AS runtime\nCOPY --from=build /out/app /app\n';
const CLEAN = 'FROM alpine\nRUN true\n';

test('--dry-run: diff on stdout, summary on stderr, exit 1, nothing written', () => {
  const dir = makeTree({ Dockerfile: MULTI });
  const r = runCli(['--dry-run'], { cwd: dir });
  assert.is(r.status, 1, r.stderr);
  assert.ok(r.stdout.startsWith('--- a/Dockerfile\n+++ b/Dockerfile\n@@ '), r.stdout);
  assert.ok(r.stdout.includes('+FROM golang:1.22 AS build\n'));
  assert.match(r.stderr, /stageopt: 1 file: 1 would change, 0 unchanged, 0 declined, 0 errors \(\d+\.\d\ds\); fixes: name-stages 2; 1 unsafe fix not applied \(use --unsafe\)\n/);
  assert.is(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), MULTI);
});

test('--dry-run on clean files: exit 0, no diff', () => {
  const dir = makeTree({ Dockerfile: CLEAN });
  const r = runCli(['--dry-run', dir]);
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /1 file: 0 would change, 1 unchanged/);
});

test('off a terminal with neither flag, it behaves like --dry-run', () => {
  const dir = makeTree({ Dockerfile: MULTI });
  const r = runCli([dir]);
  assert.is(r.status, 1);
  assert.ok(r.stdout.includes('+FROM alpine AS runtime'));
  assert.is(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), MULTI);
});

test('--write: rewrites in place, keeps the mode, and a second run finds nothing', () => {
  const dir = makeTree({ 'svc/Dockerfile': MULTI });
  const file = path.join(dir, 'svc/Dockerfile');
  fs.chmodSync(file, 0o751);
  const r = runCli(['--write', dir]);
  assert.is(r.status, 0, r.stderr);
  assert.is(fs.readFileSync(file, 'utf8'), MULTI_FIXED);
  assert.is(fs.statSync(file).mode & 0o7777, 0o751);
  assert.equal(fs.readdirSync(path.join(dir, 'svc')), ['Dockerfile'], 'no temporary file left behind');
  const again = runCli(['--dry-run', dir]);
  assert.is(again.status, 0, again.stdout);
});

test('stdin: "-" prints the whole result; unchanged input comes back identical', () => {
  const r = runCli(['-'], { input: MULTI });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, MULTI_FIXED);
  const same = '\uFEFFFROM alpine\r\nRUN true';
  const r2 = runCli(['-'], { input: same });
  assert.is(r2.stdout, same);
  const dry = runCli(['-', '--dry-run'], { input: MULTI });
  assert.is(dry.status, 1);
  assert.ok(dry.stdout.startsWith('--- a/<stdin>'));
  const both = runCli(['-', 'x']);
  assert.is(both.status, 2);
});

test('discovery: Dockerfile names, .gitignore, --ignore, node_modules', () => {
  const dir = makeTree({
    Dockerfile: CLEAN,
    'Dockerfile.prod': CLEAN,
    'api.Dockerfile': CLEAN,
    'web/worker.dockerfile': CLEAN,
    'web/Containerfile': CLEAN,
    'Dockerfile.dockerignore': 'node_modules\n',
    'README.md': '# not a Dockerfile\n',
    '.gitignore': 'build/\n',
    'build/Dockerfile': CLEAN,
    'node_modules/pkg/Dockerfile': CLEAN,
    'legacy/Dockerfile': CLEAN,
    'web/.gitignore': 'worker.dockerfile\n',
  });
  const r = runCli(['--format', 'json', '--ignore', 'legacy/', dir]);
  assert.is(r.status, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { files: { path: string }[] };
  const rel = doc.files.map((f) => path.relative(dir, path.resolve(f.path)));
  assert.equal(rel, ['Dockerfile', 'Dockerfile.prod', 'api.Dockerfile', 'web/Containerfile']);
  // A file named explicitly is processed whatever its name.
  const explicit = runCli(['--format', 'json', path.join(dir, 'README.md')]);
  assert.is((JSON.parse(explicit.stdout) as { files: unknown[] }).files.length, 1);
});

test('usage errors exit 2: unknown transform, unknown flag, conflicting flags, missing path', () => {
  for (const args of [['--only', 'nope'], ['--bogus'], ['--dry-run', '--write'], ['/nonexistent/stageopt/path']]) {
    const r = runCli(args, { cwd: makeTree({ Dockerfile: CLEAN }) });
    assert.is(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(r.stderr.length > 0);
  }
});

test('--list-transforms, --explain and --version', () => {
  const list = runCli(['--list-transforms']);
  assert.is(list.status, 0);
  assert.match(list.stdout, /^name-stages\s+safe\s+Name anonymous build stages/m);
  const explain = runCli(['--explain', 'name-stages']);
  assert.is(explain.status, 0);
  assert.match(explain.stdout, /## Fix safety/);
  assert.is(runCli(['--explain', 'nope']).status, 2);
  const version = runCli(['--version']);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  assert.is(version.status, 0);
  // `--version` alone skips yargs; with another flag yargs prints it: the two must agree.
  const viaYargs = runCli(['--version', '--quiet']);
  assert.is(viaYargs.stdout, version.stdout);
  assert.is(viaYargs.status, 0);
});

test('config is found per repo, walking up and stopping at the repo root', () => {
  const dir = makeTree({
    // Invalid, but above both repo roots: must never be read.
    '.stageoptrc': 'bogusKey: 1\n',
    'a/.git/HEAD': 'ref: refs/heads/main\n',
    'a/.stageoptrc.yaml': 'transforms:\n  name-stages:\n    enabled: false\n',
    'a/svc/Dockerfile': MULTI,
    'b/.git/HEAD': 'ref: refs/heads/main\n',
    'b/package.json': JSON.stringify({ name: 'b', stageopt: { transforms: { 'name-stages': { options: { finalName: 'app' } } } } }),
    'b/deploy/Dockerfile': MULTI,
  });
  const r = runCli(['--format', 'json', path.join(dir, 'a'), path.join(dir, 'b')]);
  assert.is(r.status, 1, r.stderr);
  const doc = JSON.parse(r.stdout) as { files: { path: string; outcome: string; diff: string | null }[] };
  assert.equal(doc.files.map((f) => f.outcome), ['unchanged', 'changed']);
  assert.ok(doc.files[1]!.diff!.includes('+FROM alpine AS app'));
});

test('config errors name the file, the key and what was expected, and exit 2', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ '.stageoptrc': '{"bogus": true}' }, /\.stageoptrc: bogus: expected one of the keys/],
    [{ '.stageoptrc.json': '{"transforms": {"name-stages": {"options": {"finalName": 42}}}}' }, /transforms\.name-stages\.options\.finalName: expected a string/],
    [{ '.stageoptrc.yml': 'transforms:\n  nope: {}\n' }, /transforms\.nope: expected a transform id/],
    [{ '.stageoptrc': 'unsafe: "yes"\n' }, /unsafe: expected true or false, got "yes"/],
    [{ '.stageoptrc': 'reviewUnsafe: 1\n' }, /reviewUnsafe: expected true or false, got number 1/],
    [{ '.stageoptrc.json': '{ not json' }, /\.stageoptrc\.json: cannot be read/],
  ];
  for (const [files, expected] of cases) {
    const dir = makeTree({ ...files, '.git/HEAD': '', Dockerfile: MULTI });
    const r = runCli(['--dry-run', dir]);
    assert.is(r.status, 2, `${JSON.stringify(files)}: ${r.stderr}`);
    assert.match(r.stderr, expected);
    assert.ok(r.stderr.includes(dir), 'the message names the config file');
  }
});

test('safety override in config: an unsafe fix is withheld until --unsafe', () => {
  const dir = makeTree({ '.git/HEAD': '', '.stageoptrc.json': '{"transforms": {"name-stages": {"safety": "unsafe"}}}', Dockerfile: MULTI });
  const withheld = runCli(['--dry-run', dir]);
  assert.is(withheld.status, 0, withheld.stderr);
  assert.match(withheld.stderr, /unsafe fix not applied \(use --unsafe\)/);
  const applied = runCli(['--dry-run', '--unsafe', dir]);
  assert.is(applied.status, 1);
  assert.ok(applied.stdout.includes('+FROM alpine AS runtime'));
});

test('JavaScript config runs only with --trust-config', () => {
  const js = "require('fs').writeFileSync(__dirname + '/executed', 'yes');\nmodule.exports = { transforms: { 'name-stages': { enabled: false } } };\n";
  const dir = makeTree({ '.git/HEAD': '', '.stageoptrc.cjs': js, Dockerfile: MULTI });
  const untrusted = runCli(['--dry-run', dir]);
  assert.is(fs.existsSync(path.join(dir, 'executed')), false, 'config code must not run');
  assert.match(untrusted.stderr, /\.stageoptrc\.cjs: ignored; JavaScript config runs only with --trust-config/);
  assert.is(untrusted.status, 1, 'defaults apply, so the file would change');
  const trusted = runCli(['--dry-run', '--trust-config', dir]);
  assert.is(fs.existsSync(path.join(dir, 'executed')), true);
  assert.is(trusted.status, 0, trusted.stderr);
});

test('config ignore patterns skip files relative to the config folder', () => {
  const dir = makeTree({ '.git/HEAD': '', '.stageoptrc': '{"ignore": ["vendor/**"]}', 'vendor/x/Dockerfile': MULTI, 'app/Dockerfile': CLEAN });
  const r = runCli(['--format', 'json', dir]);
  const doc = JSON.parse(r.stdout) as { files: { path: string }[] };
  assert.equal(doc.files.map((f) => path.relative(dir, path.resolve(f.path))), ['app/Dockerfile']);
  assert.is(r.status, 0);
});

test('bad input files get one clear line each; the others are still processed', () => {
  const dir = makeTree({
    'a/Dockerfile': Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x00, 0x01]),
    'b/Dockerfile': 'FROM alpine\n' + '# padding\n'.repeat(120_000),
    'c/Dockerfile': Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x20, 0xff, 0xfe, 0x0a]),
    'd/Dockerfile': Buffer.from('\ufeffFROM alpine\n', 'utf16le'),
    'e/Dockerfile': MULTI,
    'f/Dockerfile': 'FROM node\nEXPOSO 80\nFROM alpine\nCOPY --from=0 /a /b\n',
  });
  const r = runCli(['--dry-run', dir]);
  assert.is(r.status, 1);
  const lines = r.stderr.split('\n');
  const lineFor = (name: string) => lines.filter((l) => l.startsWith(path.join(dir, name)));
  assert.match(lineFor('a/Dockerfile').join(), /error: binary content \(NUL byte at offset 4\)/);
  assert.match(lineFor('b/Dockerfile').join(), /error: too large \(1\.1 MiB; the limit is 1 MiB\)/);
  assert.match(lineFor('c/Dockerfile').join(), /error: not valid UTF-8/);
  assert.match(lineFor('d/Dockerfile').join(), /error: encoded as UTF-16 \(little-endian\)/);
  assert.match(lineFor('f/Dockerfile').join(), /declined: line 2: an unknown instruction/);
  for (const name of ['a', 'b', 'c', 'd', 'f']) assert.is(lineFor(`${name}/Dockerfile`).length, 1, `${name}: ${lineFor(`${name}/Dockerfile`)}`);
  assert.ok(r.stdout.includes(`+++ b/${path.join(dir, 'e/Dockerfile').slice(1)}`), 'the good file is still diffed');
  assert.match(r.stderr, /6 files: 1 would change, 0 unchanged, 1 declined, 4 errors/);
});

test('an unreadable file is an error line, not a crash', () => {
  const dir = makeTree({ 'x/Dockerfile': MULTI, 'y/Dockerfile': CLEAN });
  fs.chmodSync(dir, 0o755);
  for (const sub of ['x', 'y']) fs.chmodSync(path.join(dir, sub), 0o755);
  fs.chmodSync(path.join(dir, 'y/Dockerfile'), 0o644);
  fs.chmodSync(path.join(dir, 'x/Dockerfile'), 0o000);
  // Root reads anything, so run as an unprivileged user where the tests run as root.
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const r = runCli(['--dry-run', dir], { cwd: dir, ...asUser });
  assert.match(r.stderr, /x\/Dockerfile: error: unreadable \(permission denied\)/);
  assert.match(r.stderr, /2 files: 0 would change, 1 unchanged, 0 declined, 1 error/);
  assert.is(r.status, 1);
});

test('--format json: one document with outcomes, fixes, declines and diffs', () => {
  const dir = makeTree({ 'a/Dockerfile': MULTI, 'b/Dockerfile': CLEAN, 'c/Dockerfile': 'FROM node\nEXPOSO 80\n' });
  const r = runCli(['--format', 'json', dir]);
  assert.is(r.status, 1);
  const doc = JSON.parse(r.stdout);
  assert.is(doc.version, 1);
  assert.is(doc.mode, 'dry-run');
  assert.equal(doc.files.map((f: { outcome: string }) => f.outcome), ['changed', 'unchanged', 'declined']);
  assert.equal(doc.files[0].fixes.map((f: { transform: string; safety: string }) => `${f.transform}/${f.safety}`), ['name-stages/safe', 'name-stages/safe']);
  assert.ok(doc.files[0].diff.includes('+FROM alpine AS runtime'));
  assert.match(doc.files[2].declines[0].message, /unknown instruction/);
  assert.equal({ ...doc.summary, elapsedMs: 0 }, { files: 3, changed: 1, skipped: 0, unchanged: 1, declined: 1, errors: 0, fixesByTransform: { 'name-stages': 2 }, withheldUnsafe: 1, filesCreated: 0, elapsedMs: 0 });
  assert.is(r.stderr, '');
});

test('--quiet prints only errors, and the exit code does not depend on it', () => {
  const dir = makeTree({ 'a/Dockerfile': MULTI, 'b/Dockerfile': Buffer.from([0]) });
  const r = runCli(['--dry-run', '--quiet', dir]);
  assert.is(r.status, 1);
  assert.is(r.stdout, '');
  assert.is(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /b\/Dockerfile: error: binary content/);
  const clean = runCli(['--dry-run', '--quiet', makeTree({ Dockerfile: MULTI })]);
  assert.is(clean.status, 1);
  assert.is(clean.stderr, '');
});

test('--only and --skip choose transforms', () => {
  const dir = makeTree({ Dockerfile: MULTI });
  assert.is(runCli(['--dry-run', '--skip', 'name-stages', dir]).status, 0);
  assert.is(runCli(['--dry-run', '--only', 'name-stages', dir]).status, 1);
});

test('--color paints the diff; --no-color and NO_COLOR do not', () => {
  const dir = makeTree({ Dockerfile: MULTI });
  assert.ok(runCli(['--dry-run', '--color', dir]).stdout.includes('\x1b[32m+FROM'));
  assert.not.ok(runCli(['--dry-run', '--no-color', dir]).stdout.includes('\x1b['));
});

test.run();
