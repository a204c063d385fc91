// Faults while writing (issue #14): a full disk, a read-only file system, a file made read-only,
// deleted or replaced between read and write, a folder where the temporary file cannot be made.
// Each gives one line naming the file and the cause, leaves the original byte-identical and no
// temporary file behind, and the run goes on (exit 1). The file-system faults need root (to mount a
// small tmpfs and to run the CLI as another user); elsewhere they say they skip.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeAtomically } from '../src/write.js';
import { CLI, makeTree, runCli, tempDir } from './helpers.js';

const NAIVE = 'FROM node:20 as build\nRUN echo hi\nFROM node:20-slim\nCOPY --from=0 /x /x\n';
const isRoot = process.getuid?.() === 0;
const canMount = isRoot && spawnSync('mount', ['--version']).status === 0;

function leftovers(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => f.includes('.stageopt-') && f.endsWith('.tmp'));
}

/** A tmpfs of `kb` KiB holding `files`, unmounted when `body` returns. */
function withTmpfs(kb: number, files: Record<string, string>, body: (dir: string) => void): void {
  const dir = tempDir('stageopt-tmpfs-');
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k`, 'tmpfs', dir], { encoding: 'utf8' });
  assert.is(mounted.status, 0, `mount tmpfs: ${mounted.stderr}`);
  try {
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
    body(dir);
  } finally {
    spawnSync('umount', [dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (!canMount) console.log('write-faults: skipping the disk-full, read-only file system and permission cases: they need root (mount, another user)');

test('a full disk: one line per file naming it and the cause, the originals intact, no temporary file, the run goes on, exit 1', () => {
  if (!canMount) return;
  withTmpfs(64, { 'a/Dockerfile': NAIVE, 'b/Dockerfile': NAIVE }, (dir) => {
    // Fill the file system, then free just enough for one rewrite.
    const filler = path.join(dir, 'filler');
    try {
      fs.writeFileSync(filler, Buffer.alloc(1024 * 1024));
    } catch {
      // ENOSPC: full, as wanted
    }
    const r = runCli(['--write', 'a', 'b'], { cwd: dir });
    assert.is(r.status, 1, r.stderr);
    assert.match(r.stderr, /a\/Dockerfile: error: cannot write \(.*no space left on device.*\)/i);
    assert.is(fs.readFileSync(path.join(dir, 'a/Dockerfile'), 'utf8'), NAIVE);
    assert.equal(leftovers(dir), []);
    assert.is(r.stderr.split('\n').filter((l) => l.includes('a/Dockerfile: error')).length, 1, 'one line for the file');
    // The run went on to the next file (which meets the same full disk).
    assert.match(r.stderr, /b\/Dockerfile: error: cannot write \(no space left on device\)/);
    assert.is(fs.readFileSync(path.join(dir, 'b/Dockerfile'), 'utf8'), NAIVE);
  });
});

test('a read-only file system: the cause named, the original intact, exit 1', () => {
  if (!canMount) return;
  withTmpfs(256, { 'Dockerfile': NAIVE }, (dir) => {
    assert.is(spawnSync('mount', ['-o', 'remount,ro', dir]).status, 0);
    const r = runCli(['--write', '.'], { cwd: dir });
    assert.is(r.status, 1);
    assert.match(r.stderr, /Dockerfile: error: cannot write \(.*read-only file system.*\)/i);
    assert.is(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), NAIVE);
    spawnSync('mount', ['-o', 'remount,rw', dir]);
    assert.equal(leftovers(dir), []);
  });
});

test('a folder where the temporary file cannot be made (permission denied): the cause named, exit 1', () => {
  if (!isRoot) return;
  const dir = makeTree({ 'app/Dockerfile': NAIVE });
  // The file is everyone's to write, its folder is not: the temporary file beside it cannot be made.
  fs.chmodSync(dir, 0o755);
  fs.chmodSync(path.join(dir, 'app'), 0o755);
  fs.chmodSync(path.join(dir, 'app', 'Dockerfile'), 0o666);
  const asNobody = { cwd: dir, uid: 65534, gid: 65534, encoding: 'utf8' as const, env: { ...process.env, NO_COLOR: '1' } };
  // The checkout may sit in a folder the user nobody cannot enter: then this case cannot run here.
  const probe = spawnSync(process.execPath, ['-e', `require('fs').readFileSync(${JSON.stringify(CLI)})`], asNobody);
  if (probe.status !== 0) return console.log('write-faults: skipping the permission case: the user nobody cannot read this checkout');
  const nobody = spawnSync(process.execPath, [CLI, '--write', 'app'], asNobody);
  assert.is(nobody.status, 1, String(nobody.stderr));
  assert.match(String(nobody.stderr), /app\/Dockerfile: error: cannot write \(.*permission denied.*\)/i);
  assert.is(fs.readFileSync(path.join(dir, 'app', 'Dockerfile'), 'utf8'), NAIVE);
  assert.equal(leftovers(dir), []);
});

test('a file made read-only, deleted, or replaced since it was read: each refused, nothing left behind', () => {
  const dir = tempDir();
  const file = path.join(dir, 'Dockerfile');
  const read = Buffer.from(NAIVE);

  fs.writeFileSync(file, NAIVE);
  fs.chmodSync(file, 0o444);
  assert.equal(writeAtomically(file, 'FROM x\n', read, dir), { ok: false, reason: 'the file is read-only; not written' });
  assert.is(fs.readFileSync(file, 'utf8'), NAIVE);
  fs.chmodSync(file, 0o644);

  fs.writeFileSync(file, 'FROM edited-meanwhile\n');
  assert.equal(writeAtomically(file, 'FROM x\n', read, dir), { ok: false, reason: 'changed on disk since it was read; not overwritten' });
  assert.is(fs.readFileSync(file, 'utf8'), 'FROM edited-meanwhile\n');

  fs.rmSync(file);
  const gone = writeAtomically(file, 'FROM x\n', read, dir);
  assert.is(gone.ok, false);
  assert.match((gone as { reason: string }).reason, /cannot write \(.*no such file/i);
  assert.not.ok(fs.existsSync(file), 'a deleted file is not brought back');
  assert.equal(leftovers(dir), []);
});

test('two --write runs at once on the same tree: every file is one run\'s output, whole, and nothing is left behind', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 30; i++) files[`svc${i}/Dockerfile`] = NAIVE.replace('echo hi', `echo ${i}`);
  const dir = makeTree(files);
  const expected = runCli(['-', '--stdin-filepath', path.join(dir, 'svc0/Dockerfile')], { input: files['svc0/Dockerfile'] }).stdout;
  assert.ok(expected.includes('AS build'), 'the single-run output for comparison');
  const run = () => new Promise<number | null>((resolve) => spawn(process.execPath, [CLI, '--write', '--jobs', '1', '.'], { cwd: dir, stdio: 'ignore' }).on('exit', resolve));
  const codes = await Promise.all([run(), run()]);
  assert.ok(codes.every((c) => c === 0 || c === 1), `exit codes ${codes}`);
  for (let i = 0; i < 30; i++) {
    const text = fs.readFileSync(path.join(dir, `svc${i}/Dockerfile`), 'utf8');
    assert.is(text, expected.replace('echo 0', `echo ${i}`), `svc${i}/Dockerfile is one run's whole output`);
  }
  assert.equal(leftovers(dir), []);
});

test.run();
