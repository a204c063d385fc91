// Batch runs over many repositories: the same result whatever the number of workers, each repo's
// own config and .gitignore, --repos-from, problems that are reported without ending the run,
// a progress line only where a person watches, and Ctrl-C during --write.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import pty from 'node-pty';
import { TRANSFORMS } from '../transforms/index.js';
import { CLI, makeTree, runCli } from './helpers.js';

const MULTI = (n: number) => `FROM golang:1.22\nRUN go build -o /out/app${n} .\nFROM alpine\nCOPY --from=0 /out/app${n} /app\n`;
const FIXED = (n: number) => `FROM golang:1.22 AS build\nRUN go build -o /out/app${n} .\nFROM alpine AS runtime\nCOPY --from=build /out/app${n} /app\n`;

/** Three repos, each with its own config and .gitignore, `perRepo` Dockerfiles each. */
function threeRepos(perRepo: number): string {
  const files: Record<string, string> = {
    'alpha/.git/HEAD': '',
    'alpha/.gitignore': 'generated/\n',
    'alpha/generated/Dockerfile': MULTI(0),
    'beta/.git/HEAD': '',
    'beta/.stageoptrc.json': '{"transforms": {"name-stages": {"options": {"finalName": "app"}}}}',
    'gamma/.git/HEAD': '',
    'gamma/.stageoptrc': 'transforms:\n  name-stages:\n    enabled: false\n',
  };
  for (const repo of ['alpha', 'beta', 'gamma']) {
    for (let i = 0; i < perRepo; i++) files[`${repo}/svc${String(i).padStart(3, '0')}/Dockerfile`] = i % 5 === 0 ? 'FROM alpine\nRUN true\n' : MULTI(i);
  }
  return makeTree(files);
}

function jsonRun(args: string[]) {
  const r = runCli(['--format', 'json', ...args], { timeout: 120_000 });
  const doc = JSON.parse(r.stdout);
  doc.summary.elapsedMs = 0;
  return { status: r.status, doc, stderr: r.stderr };
}

test('--jobs 2 gives exactly the result of --jobs 1, in path order, with per-repo config', () => {
  const dir = threeRepos(80);
  const roots = ['gamma', 'alpha', 'beta'].map((r) => path.join(dir, r));
  const one = jsonRun(['--jobs', '1', ...roots]);
  const two = jsonRun(['--jobs', '2', ...roots]);
  assert.equal(two.doc, one.doc);
  assert.is(one.status, 1);
  const paths = one.doc.files.map((f: { path: string }) => f.path);
  assert.equal(paths, [...paths].sort(), 'sorted by path');
  assert.is(paths.length, 240, 'alpha/generated is ignored by its .gitignore');
  const byRepo = (repo: string) => one.doc.files.filter((f: { path: string }) => f.path.includes(`/${repo}/`));
  assert.ok(byRepo('beta').filter((f: { diff: string | null }) => f.diff).every((f: { diff: string }) => f.diff.includes('+FROM alpine AS app')));
  assert.ok(byRepo('gamma').every((f: { outcome: string }) => f.outcome === 'unchanged'), 'gamma turns the transform off');
  assert.is(one.doc.summary.changed, 128);
});

test('--jobs 2 prints the config warnings of --jobs 1, once each and in path order', () => {
  // Enough folders that both threads take chunks, with ignored JavaScript configs spread over them.
  const files: Record<string, string> = {};
  for (let i = 0; i < 200; i++) {
    const folder = `repo${String(i % 20).padStart(2, '0')}/svc${String(i).padStart(3, '0')}`;
    files[`${folder}/Dockerfile`] = 'FROM alpine\nRUN true\n';
    if (i % 7 === 0) files[`${folder}/.stageoptrc.cjs`] = 'module.exports = {};\n';
  }
  const dir = makeTree(files);
  const one = runCli(['--dry-run', '--quiet', '--jobs', '1', dir]);
  const two = runCli(['--dry-run', '--quiet', '--jobs', '2', dir]);
  const warnings = one.stderr.split('\n').filter((l) => l.includes('.stageoptrc.cjs: ignored'));
  assert.is(warnings.length, 29);
  assert.equal(warnings, [...warnings].sort(), 'in path order');
  assert.is(two.stderr, one.stderr);
});

test('--jobs 2 keeps the config warnings in path order when loading configs makes a worker wait', () => {
  // A worker is sent its next chunk while it works on one. Reading a config file waits for the
  // disk, and the next chunk must not start then: its warnings would be reported with this one.
  const files: Record<string, string> = {};
  for (let r = 0; r < 3; r++) {
    files[`repo${r}/.git/HEAD`] = '';
    files[`repo${r}/.stageoptrc.yml`] = 'transforms:\n  name-stages:\n    options:\n      finalName: app\n';
    for (let i = 0; i < 40; i++) {
      const folder = `repo${r}/svc${String(i).padStart(2, '0')}`;
      files[`${folder}/Dockerfile`] = 'FROM alpine\nRUN true\n';
      if (i % 4 === 0) files[`${folder}/.stageoptrc.json`] = '{"unsafe": false}';
      if (i % 3 === 0) files[`${folder}/stageopt.config.mjs`] = 'export default {};\n';
    }
  }
  const dir = makeTree(files);
  const one = runCli(['--dry-run', '--quiet', '--jobs', '1', dir]);
  const warnings = one.stderr.split('\n').filter((l) => l.includes('stageopt.config.mjs: ignored'));
  assert.is(warnings.length, 42);
  assert.equal(warnings, [...warnings].sort(), 'in path order');
  for (let run = 0; run < 3; run++) assert.is(runCli(['--dry-run', '--quiet', '--jobs', '2', dir]).stderr, one.stderr);
});

test('--repos-from reads paths, skipping blank lines and comments', () => {
  const dir = threeRepos(3);
  const list = path.join(dir, 'repos.txt');
  fs.writeFileSync(list, `# our services\n${path.join(dir, 'alpha')}\n\n${path.join(dir, 'beta')}\n`);
  const r = jsonRun(['--repos-from', list]);
  assert.is(r.doc.files.length, 6);
  assert.ok(r.doc.files.every((f: { path: string }) => !f.path.includes('/gamma/')));
  const missing = runCli(['--repos-from', path.join(dir, 'nope.txt')]);
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /--repos-from .*nope\.txt: no such file/);
  assert.is(runCli(['--jobs', '0', dir]).status, 2);
});

test('a symlink loop is noted and an unreadable folder is an error; the other files are still processed', () => {
  const dir = makeTree({ 'ok/Dockerfile': MULTI(1), 'locked/Dockerfile': MULTI(2) });
  fs.symlinkSync('..', path.join(dir, 'ok', 'loop'));
  for (const d of [dir, path.join(dir, 'ok')]) fs.chmodSync(d, 0o755);
  fs.chmodSync(path.join(dir, 'ok/Dockerfile'), 0o644);
  fs.chmodSync(path.join(dir, 'locked'), 0o000);
  const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const r = runCli(['--dry-run', dir], asUser);
  assert.match(r.stderr, /ok\/loop: note: symbolic link loop; not followed/);
  assert.match(r.stderr, /locked: error: folder not read \(permission denied\)/);
  assert.ok(r.stdout.includes('+FROM alpine AS runtime'), 'ok/Dockerfile is still diffed');
  assert.is(r.status, 1);
  fs.chmodSync(path.join(dir, 'locked'), 0o755);
});

test('Ctrl-C during --write finishes the file being written and stops: no half-written file', async () => {
  const count = 3000;
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) files[`s${String(i).padStart(4, '0')}/Dockerfile`] = MULTI(i);
  const dir = makeTree(files);
  const child = spawn(process.execPath, [CLI, '--write', '--jobs', '2', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const first = path.join(dir, 's0000/Dockerfile');
  // Interrupt as soon as the first file has been rewritten: the write phase has begun.
  const deadline = Date.now() + 60_000;
  while (fs.readFileSync(first, 'utf8') === MULTI(0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGINT');
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.is(code, 130, stderr);
  let rewritten = 0;
  for (let i = 0; i < count; i++) {
    const folder = path.join(dir, `s${String(i).padStart(4, '0')}`);
    const text = fs.readFileSync(path.join(folder, 'Dockerfile'), 'utf8');
    assert.ok(text === MULTI(i) || text === FIXED(i), `s${i}: neither original nor rewritten:\n${text}`);
    if (text === FIXED(i)) rewritten++;
    assert.equal(fs.readdirSync(folder), ['Dockerfile'], `s${i}: a temporary file was left behind`);
  }
  assert.ok(rewritten >= 1 && rewritten < count, `stopped part-way (${rewritten} of ${count} written)`);
  assert.match(stderr, new RegExp(`interrupted: ${rewritten} files? written, the others left as they were`));
});

test('a progress line on a terminal for many files; never with --quiet or off a terminal', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 60; i++) files[`s${i}/Dockerfile`] = 'FROM alpine\nRUN true\n';
  const dir = makeTree(files);
  const onTerminal = (args: string[]) =>
    new Promise<string>((resolve) => {
      let output = '';
      const term = pty.spawn(process.execPath, [CLI, ...args, dir], { cols: 120, rows: 30, env: { ...process.env, NO_COLOR: '1' } as Record<string, string> });
      term.onData((d) => (output += d));
      term.onExit(() => resolve(output));
    });
  assert.match(await onTerminal(['--dry-run']), /stageopt: \[#+-*\] \d+\/60 files/);
  assert.not.match(await onTerminal(['--dry-run', '--quiet']), /\/60 files/);
  assert.not.match(runCli(['--dry-run', dir]).stderr, /\/60 files/);
});

test('--format sarif prints one SARIF 2.1.0 log; --patch-dir writes patches git applies per repo', () => {
  const dir = threeRepos(2);
  const patches = path.join(dir, 'patches');
  const r = runCli(['--dry-run', '--format', 'sarif', '--patch-dir', patches, path.join(dir, 'alpha'), path.join(dir, 'beta')], { cwd: dir });
  assert.is(r.status, 1, r.stderr);
  const log = JSON.parse(r.stdout);
  assert.is(log.version, '2.1.0');
  // One rule per transform, in the registry's order, then the engine's own (a file left alone whole).
  assert.equal(log.runs[0].tool.driver.rules.map((rule: { id: string }) => rule.id), [...TRANSFORMS.map((t) => t.id), 'stageopt']);
  assert.ok(log.runs[0].results.some((res: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }) => res.ruleId === 'name-stages' && res.locations[0]!.physicalLocation.artifactLocation.uri === 'alpha/svc001/Dockerfile'));
  assert.equal(fs.readdirSync(patches).sort(), ['alpha.patch', 'beta.patch']);
  for (const repo of ['alpha', 'beta']) {
    const root = path.join(dir, repo);
    const git = (...args: string[]) => spawnSync('git', ['-C', root, ...args], { encoding: 'utf8' });
    assert.is(git('init', '-q').status, 0);
    const check = git('apply', '--check', path.join(patches, `${repo}.patch`));
    assert.is(check.status, 0, check.stderr);
    assert.is(git('apply', path.join(patches, `${repo}.patch`)).status, 0);
  }
  assert.is(fs.readFileSync(path.join(dir, 'alpha/svc001/Dockerfile'), 'utf8'), FIXED(1));
  assert.ok(fs.readFileSync(path.join(dir, 'beta/svc001/Dockerfile'), 'utf8').includes('FROM alpine AS app'));
});

test.run();
