// --patch-dir: one patch per repository that real `git apply` accepts on a clean checkout and that
// reproduces the engine's output byte for byte, CRLF, missing final newline and BOM included.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ConfigResolver } from '../src/config.js';
import { buildPatches, patchRootOf, writePatches } from '../src/patches.js';
import { processFile, type FileReport } from '../src/runner.js';
import { TRANSFORMS } from '../transforms/index.js';
import { AWKWARD_FILES, BOM, CLEAN, DEFAULT_SETTINGS, MULTI, makeTree, tempDir } from './helpers.js';


function git(cwd: string, ...args: string[]): string {
  // No global config is assumed (CI has none); autocrlf off so git never rewrites line endings.
  const r = spawnSync('git', ['-c', 'core.autocrlf=false', '-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'init.defaultBranch=main', ...args], {
    cwd,
    encoding: 'utf8',
  });
  assert.is(r.status, 0, `git ${args.join(' ')} in ${cwd}: ${r.stderr}`);
  return r.stdout;
}

/** A committed repository, its working tree clean. */
function makeRepo(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  git(root, 'init', '-q');
  git(root, 'config', 'core.autocrlf', 'false');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'originals');
}

async function reportsUnder(dir: string): Promise<FileReport[]> {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'Dockerfile') files.push(full);
    }
  };
  walk(dir);
  const configs = new ConfigResolver(TRANSFORMS, false);
  const reports: FileReport[] = [];
  for (const file of files.sort()) reports.push(await processFile(file, DEFAULT_SETTINGS, configs));
  return reports;
}

const APP_FILES: Record<string, string | Buffer> = {
  ...AWKWARD_FILES,
  Dockerfile: MULTI,
  'bom-crlf-nofinal/Dockerfile': BOM + MULTI.replace(/\n/g, '\r\n').slice(0, -2),
  'dir with space/Dockerfile': MULTI,
};

/** The files of APP_FILES that change, as repo-relative paths in a patch: sorted, like git lists them. */
const APP_CHANGED = ['Dockerfile', 'bom-crlf-nofinal/Dockerfile', 'bom/Dockerfile', 'crlf/Dockerfile', 'dir with space/Dockerfile', 'nofinal/Dockerfile', 'py/Dockerfile', 'web/Dockerfile'];

/** Applies `patch` in `repo` after checking it, and compares every patched file with the engine's output. */
function applyAndCompare(repo: string, patch: string, reports: readonly FileReport[]): string[] {
  git(repo, 'apply', '--check', patch);
  git(repo, 'apply', patch);
  const touched = git(repo, 'diff', '--name-only', '-z').split('\0').filter(Boolean).sort();
  for (const rel of touched) {
    const report = reports.find((r) => r.absPath === path.join(repo, ...rel.split('/')))!;
    assert.ok(report, `${rel} changed but has no report`);
    assert.is(report.outcome, 'changed', rel);
    const actual = fs.readFileSync(path.join(repo, rel));
    assert.ok(actual.equals(Buffer.from(report.engine!.output, 'utf8')), `${rel}: bytes differ after git apply:\n${JSON.stringify(actual.toString('utf8'))}\n${JSON.stringify(report.engine!.output)}`);
  }
  return touched;
}

test('two repositories with the same folder name: two patch files, each applying cleanly and exactly', async () => {
  const top = tempDir();
  const one = path.join(top, 'one', 'app');
  const two = path.join(top, 'two', 'app');
  makeRepo(one, APP_FILES);
  makeRepo(two, { 'deploy/Dockerfile': MULTI.replace(/\n/g, '\r\n'), 'ok/Dockerfile': CLEAN });
  const reports = [...(await reportsUnder(one)), ...(await reportsUnder(two))];
  const changedOne = reports.filter((r) => r.outcome === 'changed' && r.absPath!.startsWith(one + path.sep));
  assert.is(changedOne.length, 8, reports.map((r) => `${r.path}: ${r.outcome} ${r.error ?? ''}`).join('\n'));

  const out = path.join(top, 'patches');
  const { written } = writePatches(reports, out, patchRootOf);
  assert.is(written.length, 2);
  assert.equal(written, [...written].sort());
  for (const file of written) assert.match(path.basename(file), /^app-[0-9a-f]{8}\.patch$/);
  assert.equal(fs.readdirSync(out).sort(), written.map((w) => path.basename(w)).sort());

  const patchFor = (repo: string) => written.find((w) => fs.readFileSync(w, 'utf8').includes(repo === one ? 'a/web/Dockerfile' : 'a/deploy/Dockerfile'))!;
  const touchedOne = applyAndCompare(one, patchFor(one), reports);
  assert.equal(touchedOne, APP_CHANGED);
  assert.equal(applyAndCompare(two, patchFor(two), reports), ['deploy/Dockerfile']);
});

test('patch text: git headers, repo-relative a/ b/ paths, sorted files, only changed files, the no-newline marker', async () => {
  const top = tempDir();
  const repo = path.join(top, 'svc');
  makeRepo(repo, APP_FILES);
  const reports = await reportsUnder(repo);
  const [patch] = buildPatches(reports, patchRootOf);
  assert.is(patch!.name, 'svc.patch');
  assert.is(patch!.root, repo);
  assert.equal(patch!.files, APP_CHANGED);
  const text = patch!.text;
  assert.ok(text.startsWith('diff --git a/Dockerfile b/Dockerfile\n--- a/Dockerfile\n+++ b/Dockerfile\n@@ '), text.slice(0, 200));
  const headers = text.split('\n').filter((l) => l.startsWith('diff --git '));
  assert.equal(headers, patch!.files.map((f) => `diff --git a/${f} b/${f}`));
  assert.not.ok(text.includes(repo), 'no absolute paths inside a patch');
  assert.ok(text.includes('\\ No newline at end of file\n'));
  assert.ok(text.includes('-FROM golang:1.22\r\n'), 'CR kept at the end of CRLF lines');
  assert.ok(text.includes(`-${BOM}FROM golang:1.22\n`), 'the BOM is part of the first line');
  assert.not.ok(text.includes('clean/Dockerfile') || text.includes('bad/Dockerfile') || text.includes('binary/Dockerfile'));
});

test('files outside any repository are grouped per folder; nothing to change writes nothing', async () => {
  const dir = makeTree({ 'loose/Dockerfile': MULTI, 'loose/sub/Dockerfile': MULTI, 'quiet/Dockerfile': CLEAN });
  const reports = await reportsUnder(dir);
  const out = path.join(dir, 'out');
  const { written } = writePatches(reports, out, patchRootOf);
  assert.equal(
    written.map((w) => path.basename(w)),
    ['loose.patch', 'sub.patch'],
  );
  // Rooted at the file's folder, so the patch applies there with plain `git apply` (no repository needed).
  for (const file of written) {
    const root = path.basename(file) === 'loose.patch' ? path.join(dir, 'loose') : path.join(dir, 'loose', 'sub');
    const r = spawnSync('git', ['apply', file], { cwd: root, encoding: 'utf8' });
    assert.is(r.status, 0, r.stderr);
    const report = reports.find((x) => x.absPath === path.join(root, 'Dockerfile'))!;
    assert.is(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'), report.engine!.output);
  }

  const none = writePatches(
    reports.filter((r) => r.outcome !== 'changed'),
    path.join(dir, 'empty'),
    patchRootOf,
  );
  assert.equal(none.written, []);
});

test('deterministic: same bytes whatever the report order, and a stable name per repository', async () => {
  const top = tempDir();
  for (const name of ['a', 'b', 'c']) makeRepo(path.join(top, name, 'api'), { Dockerfile: MULTI, 'x/Dockerfile': MULTI });
  makeRepo(path.join(top, 'web'), { Dockerfile: MULTI });
  const reports = (await Promise.all(['a', 'b', 'c'].map((n) => reportsUnder(path.join(top, n, 'api'))))).flat();
  reports.push(...(await reportsUnder(path.join(top, 'web'))));
  const first = buildPatches(reports, patchRootOf);
  const second = buildPatches([...reports].reverse(), patchRootOf);
  assert.equal(second, first);
  assert.is(new Set(first.map((p) => p.name.toLowerCase())).size, 4);
  assert.ok(first.some((p) => p.name === 'web.patch'));
  // The clashing repositories keep their names when another one leaves the run.
  const fewer = buildPatches(
    reports.filter((r) => !r.absPath!.startsWith(path.join(top, 'c') + path.sep)),
    patchRootOf,
  );
  for (const p of fewer) assert.is(p.name, first.find((f) => f.root === p.root)!.name);
});

test('a root that does not contain the file is a caller bug, reported as such', async () => {
  const dir = makeTree({ 'x/Dockerfile': MULTI });
  const reports = await reportsUnder(dir);
  assert.throws(() => buildPatches(reports, () => path.join(dir, 'elsewhere')), /does not contain/);
});

test('patchRootOf: nearest folder with .git (folder or file), else the file\'s folder', () => {
  const dir = makeTree({ 'r/.git/HEAD': 'ref: refs/heads/main\n', 'r/a/b/Dockerfile': '', 'w/.git': 'gitdir: ../r/.git\n', 'w/Dockerfile': '', 'none/Dockerfile': '' });
  assert.is(patchRootOf(path.join(dir, 'r', 'a', 'b', 'Dockerfile')), path.join(dir, 'r'));
  assert.is(patchRootOf(path.join(dir, 'w', 'Dockerfile')), path.join(dir, 'w'));
  assert.is(patchRootOf(path.join(dir, 'none', 'Dockerfile')), path.join(dir, 'none'));
});

test.run();
