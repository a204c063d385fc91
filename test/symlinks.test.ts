// The symbolic-link policy (issue #14): a batch over other people's repositories must not reach out
// of them. Expanding a folder does not follow a link out of it (a note says so), --write never
// writes outside the file's repository even for a link the user named, and the build-context reader
// does not read a link's target outside the context.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { folderContext } from '../src/build-context.js';
import { discover } from '../src/discover.js';
import { writeAtomically } from '../src/write.js';
import { makeTree, runCli, tempDir } from './helpers.js';

const NAIVE = 'FROM node:20 as build\nRUN echo hi\nFROM node:20-slim\nCOPY --from=0 /x /x\n';

/** A repository folder `repo/` beside a file `outside.Dockerfile` and a secret file, in one temp folder. */
function layout(): { top: string; repo: string; outside: string; secret: string } {
  const top = makeTree({ 'outside.Dockerfile': NAIVE, 'secret.txt': 'ROOT:X:0:0:ROOT:/ROOT:/BIN/BASH\n', 'repo/.git/HEAD': 'ref: refs/heads/main\n', 'repo/app/Dockerfile': NAIVE });
  return { top, repo: path.join(top, 'repo'), outside: path.join(top, 'outside.Dockerfile'), secret: path.join(top, 'secret.txt') };
}

test('a Dockerfile link to a file outside the folder is not followed while expanding it, and is noted', () => {
  const { repo, outside } = layout();
  fs.symlinkSync(outside, path.join(repo, 'Dockerfile'));
  const found = discover([repo], []);
  assert.equal(found.files.map((f) => path.relative(repo, f)), ['app/Dockerfile']);
  assert.equal(found.problems.map((p) => [path.relative(repo, p.path), p.kind]), [['Dockerfile', 'outside']]);
  // The message names the link, never where it points.
  assert.not.ok(found.problems[0]!.reason.includes(path.dirname(outside)));
});

test('a folder link out of the tree is not walked; links that stay inside are followed', () => {
  const { top, repo } = layout();
  fs.mkdirSync(path.join(top, 'elsewhere'));
  fs.writeFileSync(path.join(top, 'elsewhere', 'Dockerfile'), NAIVE);
  fs.symlinkSync(path.join(top, 'elsewhere'), path.join(repo, 'vendored'));
  fs.symlinkSync(path.join(repo, 'app', 'Dockerfile'), path.join(repo, 'Dockerfile.app'));
  const found = discover([repo], []);
  assert.equal(found.files.map((f) => path.relative(repo, f)).sort(), ['Dockerfile.app', 'app/Dockerfile']);
  assert.equal(found.problems.map((p) => [path.relative(repo, p.path), p.kind]), [['vendored', 'outside']]);
});

test('stageopt --write . leaves the outside file alone, notes the link and exits as for the rest', () => {
  const { repo, outside } = layout();
  fs.symlinkSync(outside, path.join(repo, 'Dockerfile'));
  const r = runCli(['--write', '.'], { cwd: repo });
  assert.is(fs.readFileSync(outside, 'utf8'), NAIVE, 'the file outside the repository is untouched');
  assert.is.not(fs.readFileSync(path.join(repo, 'app', 'Dockerfile'), 'utf8'), NAIVE, 'the repository\'s own Dockerfile is written');
  assert.match(r.stderr, /Dockerfile: note: symbolic link to a path outside the folder being processed; not followed/);
  assert.is(r.status, 0, r.stderr);
});

test('a link named explicitly is read, but --write does not write outside its repository', () => {
  const { repo, outside } = layout();
  fs.symlinkSync(outside, path.join(repo, 'Dockerfile'));
  const r = runCli(['--write', 'Dockerfile'], { cwd: repo });
  assert.is(fs.readFileSync(outside, 'utf8'), NAIVE);
  assert.match(r.stderr, /a symbolic link to a file outside its repository; not written/);
  assert.is(r.status, 1);
});

test('writeAtomically writes through a link inside the repository and refuses one leading out', () => {
  const { repo, outside } = layout();
  const inside = path.join(repo, 'app', 'Dockerfile');
  fs.symlinkSync(inside, path.join(repo, 'Dockerfile.link'));
  assert.equal(writeAtomically(path.join(repo, 'Dockerfile.link'), 'FROM x\n', Buffer.from(NAIVE), repo), { ok: true });
  assert.is(fs.readFileSync(inside, 'utf8'), 'FROM x\n');
  assert.ok(fs.lstatSync(path.join(repo, 'Dockerfile.link')).isSymbolicLink(), 'the link stays a link');
  fs.symlinkSync(outside, path.join(repo, 'Dockerfile.out'));
  const refused = writeAtomically(path.join(repo, 'Dockerfile.out'), 'FROM x\n', Buffer.from(NAIVE), repo);
  assert.equal(refused, { ok: false, reason: 'a symbolic link to a file outside its repository; not written' });
  assert.is(fs.readFileSync(outside, 'utf8'), NAIVE);
  assert.equal(fs.readdirSync(path.dirname(outside)).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
});

test('the build-context reader does not read through a link out of the context', () => {
  const { repo, secret } = layout();
  const context = path.join(repo, 'app');
  fs.symlinkSync(secret, path.join(context, 'package.json'));
  fs.writeFileSync(path.join(context, 'real.json'), '{}\n');
  fs.symlinkSync(path.join(context, 'real.json'), path.join(context, 'alias.json'));
  const ctx = folderContext(context);
  assert.is(ctx.readText('package.json'), null);
  assert.is(ctx.has('package.json'), false);
  assert.is(ctx.readText('alias.json'), '{}\n', 'a link inside the context reads as usual');
  assert.is(ctx.readText('../../secret.txt'), null);
});

test('a decline over a link to a non-Dockerfile never prints its content', () => {
  const top = tempDir();
  fs.writeFileSync(path.join(top, 'passwd'), 'ROOT:X:0:0:ROOT:/ROOT:/BIN/BASH\n');
  fs.mkdirSync(path.join(top, 'repo'));
  fs.symlinkSync(path.join(top, 'passwd'), path.join(top, 'repo', 'Dockerfile.passwd'));
  const r = runCli(['--dry-run', '.'], { cwd: path.join(top, 'repo') });
  assert.not.match(r.stdout + r.stderr, /BIN\/BASH/);
  assert.match(r.stderr, /Dockerfile\.passwd: note: symbolic link to a path outside/);
});

test.run();
