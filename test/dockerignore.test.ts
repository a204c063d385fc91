// The dockerignore transform through every output: the created .dockerignore as a new-file diff
// (--dry-run, JSON), created by --write and never over a file that appeared meanwhile, carried by
// --patch-dir as a section real `git apply` accepts, declined on stdin; plus what the fixture
// cases cannot hold (a .git folder, a <Dockerfile>.dockerignore).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { folderContext } from '../src/build-context.js';
import { ConfigResolver } from '../src/config.js';
import { newFileDiff, writeChange } from '../src/file-changes.js';
import { buildPatches } from '../src/patches.js';
import { processFile } from '../src/runner.js';
import { TRANSFORMS } from '../transforms/index.js';
import { DEFAULT_SETTINGS, engineWith, makeTree, runCli } from './helpers.js';

const DOCKERIGNORE = TRANSFORMS.filter((t) => t.id === 'dockerignore');
const DOCKERFILE = 'FROM node:20\nWORKDIR /app\nCOPY package.json ./\nRUN npm install\nCOPY . .\nCMD ["node", "index.js"]\n';
const APP = {
  'Dockerfile': DOCKERFILE,
  'package.json': '{ "name": "app" }\n',
  'index.js': 'console.log(1);\n',
  'node_modules/ms/index.js': 'module.exports = 1;\n',
  'server.log': 'started\n',
};
const EXPECTED = [
  '# Written by stageopt (dockerignore): what the build and the app do not use from this folder.',
  '# dependencies: the build installs its own (npm install, line 4)',
  'node_modules',
  '# logs written on the host',
  '**/*.log',
  '',
].join('\n');

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'core.autocrlf=false', '-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
  assert.is(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

test('.git is excluded unless a RUN calls git (git describe needs the history)', () => {
  const dir = makeTree({ ...APP, '.git/HEAD': 'ref: refs/heads/main\n' });
  const plain = engineWith(DOCKERFILE, DOCKERIGNORE, { context: folderContext(dir) });
  assert.ok(plain.created[0]!.content.includes('\n.git\n'), plain.created[0]!.content);
  const describing = engineWith(DOCKERFILE.replace('COPY . .\n', 'COPY . .\nRUN git describe --tags > VERSION\n'), DOCKERIGNORE, { context: folderContext(dir) });
  assert.not.ok(describing.created[0]!.content.includes('.git\n'));
  assert.match(describing.fixes[0]!.message, /kept \.git \(the build runs git\)/);
});

test('a <Dockerfile>.dockerignore beside the Dockerfile counts as the ignore file (BuildKit reads it first): nothing proposed', () => {
  const dir = makeTree({ ...APP, 'Dockerfile.dockerignore': 'node_modules\n' });
  const result = engineWith(DOCKERFILE, DOCKERIGNORE, { context: folderContext(dir, path.join(dir, 'Dockerfile')) });
  assert.is(result.status, 'unchanged');
  assert.equal(result.created, []);
});

test('the engine counts a create-only fix as a change, and proposes nothing once the file exists', () => {
  const dir = makeTree(APP);
  const first = engineWith(DOCKERFILE, DOCKERIGNORE, { context: folderContext(dir) });
  assert.is(first.status, 'changed');
  assert.is(first.output, DOCKERFILE);
  assert.equal(first.created, [{ path: '.dockerignore', content: EXPECTED }]);
  assert.is(first.fixes.length, 1);
  fs.writeFileSync(path.join(dir, '.dockerignore'), EXPECTED);
  const second = engineWith(DOCKERFILE, DOCKERIGNORE, { context: folderContext(dir) });
  assert.is(second.status, 'unchanged');
  assert.equal(second.created, []);
});

test('--dry-run prints a new-file diff, exits 1, and the summary counts the new file; nothing is written', () => {
  const dir = makeTree(APP);
  const r = runCli(['--dry-run', '--only', 'dockerignore', 'Dockerfile'], { cwd: dir });
  assert.is(r.status, 1, r.stderr);
  assert.is(r.stdout, newFileDiff('.dockerignore', EXPECTED));
  assert.ok(r.stdout.startsWith('--- /dev/null\n+++ b/.dockerignore\n@@ -0,0 +1,5 @@\n+# Written by stageopt'), r.stdout);
  assert.match(r.stderr, /would create \.dockerignore/);
  assert.match(r.stderr, /1 would change.*; fixes: dockerignore 1; 1 new file to create/);
  assert.not.ok(fs.existsSync(path.join(dir, '.dockerignore')));
});

test('--format json lists the created file and its new-file diff', () => {
  const dir = makeTree(APP);
  const r = runCli(['--format', 'json', '--only', 'dockerignore', 'Dockerfile'], { cwd: dir });
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.files[0].creates, [{ path: '.dockerignore', content: EXPECTED }]);
  assert.is(doc.files[0].diff, newFileDiff('.dockerignore', EXPECTED));
  assert.is(doc.summary.filesCreated, 1);
});

test('--write creates the file (the Dockerfile untouched); a second run changes nothing', () => {
  const dir = makeTree(APP);
  fs.mkdirSync(path.join(dir, '.git'));
  const r = runCli(['--write', '--only', 'dockerignore', 'Dockerfile'], { cwd: dir });
  assert.is(r.status, 0, r.stderr);
  assert.is(fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8'), EXPECTED.replace('# logs', '# version control history: the build does not run git\n.git\n# logs'));
  assert.is(fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8'), DOCKERFILE);
  assert.match(r.stderr, /created \.dockerignore/);
  assert.equal(fs.readdirSync(dir).filter((f) => f.includes('stageopt')), [], 'no temporary file left');
  const again = runCli(['--write', '--only', 'dockerignore', 'Dockerfile'], { cwd: dir });
  assert.is(again.status, 0, again.stderr);
  assert.match(again.stderr, /0 changed, 1 unchanged/);
});

test('writing refuses a .dockerignore that appeared since the run read the folder, and keeps it', async () => {
  const dir = makeTree(APP);
  const report = await processFile(path.join(dir, 'Dockerfile'), { ...DEFAULT_SETTINGS, only: ['dockerignore'] }, new ConfigResolver(TRANSFORMS, false));
  assert.is(report.outcome, 'changed');
  fs.writeFileSync(path.join(dir, '.dockerignore'), 'mine\n');
  const written = writeChange(report.absPath!, report.original, report.bytes!, report.engine!);
  assert.is(written.ok, false);
  assert.match((written as { reason: string }).reason, /\.dockerignore exists now \(it appeared since it was read\); not overwritten/);
  assert.is(fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8'), 'mine\n');
});

test('writing refuses a context folder that leads out of the repository through a symbolic link', async () => {
  const outside = makeTree(APP);
  const repo = makeTree({ 'app/.keep': '' });
  fs.mkdirSync(path.join(repo, '.git'));
  const report = await processFile(path.join(outside, 'Dockerfile'), { ...DEFAULT_SETTINGS, only: ['dockerignore'] }, new ConfigResolver(TRANSFORMS, false));
  fs.symlinkSync(outside, path.join(repo, 'link'));
  const viaLink = { ...report.engine!, contextRoot: path.join(repo, 'link') };
  fs.writeFileSync(path.join(repo, 'Dockerfile'), DOCKERFILE);
  const written = writeChange(path.join(repo, 'Dockerfile'), DOCKERFILE, Buffer.from(DOCKERFILE), viaLink);
  assert.is(written.ok, false);
  assert.match((written as { reason: string }).reason, /outside its repository/);
  assert.not.ok(fs.existsSync(path.join(outside, '.dockerignore')));
});

test('--patch-dir carries the new file as a "new file mode" section that real git apply accepts', () => {
  const dir = makeTree({ 'svc/Dockerfile': DOCKERFILE, 'svc/package.json': APP['package.json'], 'svc/index.js': APP['index.js'], 'svc/server.log': 'x\n' });
  git(dir, 'init', '-q');
  git(dir, 'add', '.');
  git(dir, 'commit', '-qm', 'init');
  // A developer's checkout: node_modules is there but not committed.
  fs.mkdirSync(path.join(dir, 'svc', 'node_modules', 'ms'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'svc', 'node_modules', 'ms', 'index.js'), '\n');
  const patches = path.join(makeTree({}), 'out');
  const r = runCli(['--dry-run', '--only', 'dockerignore', '--patch-dir', patches, 'svc'], { cwd: dir });
  assert.is(r.status, 1, r.stderr);
  const [name] = fs.readdirSync(patches);
  const text = fs.readFileSync(path.join(patches, name!), 'utf8');
  assert.ok(text.startsWith('diff --git a/svc/.dockerignore b/svc/.dockerignore\nnew file mode 100644\n--- /dev/null\n+++ b/svc/.dockerignore\n'), text);
  git(dir, 'apply', '--check', path.join(patches, name!));
  git(dir, 'apply', path.join(patches, name!));
  assert.is(fs.readFileSync(path.join(dir, 'svc', '.dockerignore'), 'utf8'), EXPECTED);
});

test('buildPatches: a Dockerfile change and a created file of the same report are two sections', async () => {
  const dir = makeTree({ ...APP, 'Dockerfile': DOCKERFILE.replace('FROM node:20', 'FROM node:20 as build\nFROM node:20') });
  fs.mkdirSync(path.join(dir, '.git'));
  const report = await processFile(path.join(dir, 'Dockerfile'), { ...DEFAULT_SETTINGS, only: ['name-stages', 'dockerignore'] }, new ConfigResolver(TRANSFORMS, false));
  const [patch] = buildPatches([report], () => dir);
  assert.equal(patch!.files, ['.dockerignore', 'Dockerfile']);
  assert.match(patch!.text, /diff --git a\/Dockerfile b\/Dockerfile\n/);
  assert.match(patch!.text, /diff --git a\/\.dockerignore b\/\.dockerignore\nnew file mode 100644\n/);
});

test('stdin mode cannot create a file: the fix is declined with the reason, the text passes through', () => {
  const dir = makeTree(APP);
  const r = runCli(['-', '--stdin-filepath', path.join(dir, 'Dockerfile'), '--only', 'dockerignore'], { input: DOCKERFILE });
  assert.is(r.status, 0, r.stderr);
  assert.is(r.stdout, DOCKERFILE);
  assert.match(r.stderr, /declined: dockerignore line 5: create \.dockerignore .*: not applied, stdin mode cannot create files/);
  assert.not.ok(fs.existsSync(path.join(dir, '.dockerignore')));
});

test.run();
