// Atomic writes: the mode survives, a symlink keeps pointing at the rewritten file, no temporary
// file is left, and a file changed on disk since it was read is never overwritten.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeAtomically } from '../src/write.js';
import { makeTree } from './helpers.js';

test('writes through a temporary file, keeping the mode', () => {
  const dir = makeTree({ Dockerfile: 'FROM a\n' });
  const file = path.join(dir, 'Dockerfile');
  fs.chmodSync(file, 0o640);
  const read = fs.readFileSync(file);
  assert.equal(writeAtomically(file, 'FROM b\n', read), { ok: true });
  assert.is(fs.readFileSync(file, 'utf8'), 'FROM b\n');
  assert.is(fs.statSync(file).mode & 0o7777, 0o640);
  assert.equal(fs.readdirSync(dir), ['Dockerfile']);
});

test('refuses to overwrite a file that changed since it was read', () => {
  const dir = makeTree({ Dockerfile: 'FROM a\n' });
  const file = path.join(dir, 'Dockerfile');
  const read = fs.readFileSync(file);
  fs.writeFileSync(file, 'FROM edited-meanwhile\n');
  const result = writeAtomically(file, 'FROM b\n', read);
  assert.is(result.ok, false);
  assert.match((result as { reason: string }).reason, /changed on disk since it was read; not overwritten/);
  assert.is(fs.readFileSync(file, 'utf8'), 'FROM edited-meanwhile\n');
  assert.equal(fs.readdirSync(dir), ['Dockerfile']);
});

test('a symlinked Dockerfile stays a symlink; its target is rewritten', () => {
  const dir = makeTree({ 'real/Dockerfile': 'FROM a\n' });
  fs.mkdirSync(path.join(dir, 'svc'));
  fs.symlinkSync('../real/Dockerfile', path.join(dir, 'svc/Dockerfile'));
  const link = path.join(dir, 'svc/Dockerfile');
  assert.equal(writeAtomically(link, 'FROM b\n', fs.readFileSync(link)), { ok: true });
  assert.ok(fs.lstatSync(link).isSymbolicLink());
  assert.is(fs.readFileSync(path.join(dir, 'real/Dockerfile'), 'utf8'), 'FROM b\n');
});

test('a file that vanished is reported, not recreated', () => {
  const dir = makeTree({ Dockerfile: 'FROM a\n' });
  const file = path.join(dir, 'Dockerfile');
  const read = fs.readFileSync(file);
  fs.rmSync(file);
  const result = writeAtomically(file, 'FROM b\n', read);
  assert.is(result.ok, false);
  assert.is(fs.existsSync(file), false);
});

test.run();
