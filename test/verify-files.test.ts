// The file side of verification without docker: the streaming tar reader on archives made by the
// real tar in each header format, symlinked folders, start-command references, and the
// classification of files the rewrite lacks.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classifyFile, classifyMissing, missingPythonDistributions, nodePackageDir, type NodeManifests } from '../src/verify/classify.js';
import { fileProblems } from '../src/verify/verify.js';
import { missingReferences, references } from '../src/verify/references.js';
import { ownerDifferences } from '../src/verify/owners.js';
import { servedDifferences, servesWithNginx } from '../src/verify/served.js';
import { pathExists, TarLister, type EntryKind, type Listing, type TarEntry } from '../src/verify/tar-list.js';
import { makeTree } from './helpers.js';

const LONG = `deep/${'d'.repeat(90)}/${'e'.repeat(60)}/file-with-a-long-name.js`;

for (const format of ['ustar', 'gnu', 'pax']) {
  test(`tar reader: every entry, symlink targets and captured files (${format} headers, fed in odd-sized chunks)`, () => {
    const dir = makeTree({ 'app/package.json': '{"name":"x"}', 'app/server.js': 'x'.repeat(1500), [`app/${LONG}`]: 'y', 'app/empty': '' });
    fs.symlinkSync('server.js', path.join(dir, 'app', 'link.js'));
    fs.chmodSync(path.join(dir, 'app', 'server.js'), 0o640);
    // Owners as the image has them; pax carries an id too large for the header's octal field.
    const uid = format === 'pax' ? 3_000_000 : 1234;
    const tar = spawnSync('tar', ['-c', `--format=${format}`, `--owner=${uid}`, '--group=567', '--numeric-owner', '-C', dir, '.'], { maxBuffer: 1 << 26 });
    assert.is(tar.status, 0, String(tar.stderr));
    const lister = new TarLister((p) => p === '/app/package.json');
    for (let i = 0; i < tar.stdout.length; i += 333) lister.push(tar.stdout.subarray(i, i + 333));
    const { entries, captured } = lister.listing;
    assert.equal(entries.get('/app/server.js'), { kind: 'file', size: 1500, uid, gid: 567, mode: 0o640 });
    assert.is(entries.get('/app')?.kind, 'dir');
    assert.is(entries.get(`/app/${LONG}`)?.kind, 'file', `long name read in ${format} format`);
    assert.equal(entries.get('/app/link.js'), { kind: 'symlink', size: 0, uid, gid: 567, mode: 0o777, link: 'server.js' });
    assert.is(entries.get('/app/empty')?.size, 0);
    assert.equal([...captured.keys()], ['/app/package.json']);
    assert.is(captured.get('/app/package.json')!.toString(), '{"name":"x"}');
  });
}

/** A listing from a compact description: "d" folder, "f" file, "l:target" symlink. */
function listing(spec: Record<string, string>): Listing {
  const entries = new Map<string, { kind: EntryKind; size: number; link?: string }>();
  for (const [p, what] of Object.entries(spec)) {
    if (what.startsWith('l:')) entries.set(p, { kind: 'symlink', size: 0, link: what.slice(2) });
    else entries.set(p, { kind: what === 'd' ? 'dir' : 'file', size: 1 });
  }
  return { entries, captured: new Map() };
}

test('pathExists follows symlinked folders (merged /usr) and rejects dangling links', () => {
  const l = listing({ '/bin': 'l:usr/bin', '/usr': 'd', '/usr/bin': 'd', '/usr/bin/sh': 'f', '/app': 'd', '/app/current': 'l:/app/v2', '/app/v2': 'd', '/app/v2/run.js': 'f', '/app/gone': 'l:nowhere' });
  assert.ok(pathExists(l, '/bin/sh'));
  assert.ok(pathExists(l, '/app/current/run.js'));
  assert.ok(pathExists(l, '/app/v2/../v2/run.js'));
  assert.not.ok(pathExists(l, '/app/gone'));
  assert.not.ok(pathExists(l, '/bin/bash'));
});

const NODE_IMAGE = { '/usr': 'd', '/usr/local': 'd', '/usr/local/bin': 'd', '/usr/local/bin/node': 'f', '/bin': 'l:usr/bin', '/usr/bin': 'd', '/usr/bin/sh': 'f' };
const NODE_ENV = ['PATH=/usr/local/bin:/usr/bin:/bin'];

test('references: CMD words that name files (relative to WORKDIR, or on PATH); shell form is split', () => {
  const original = listing({ ...NODE_IMAGE, '/app': 'd', '/app/server.js': 'f', '/app/dist': 'd', '/app/dist/main.js': 'f' });
  const config = { WorkingDir: '/app', Env: NODE_ENV, Cmd: ['/bin/sh', '-c', 'node --enable-source-maps dist/main.js && echo "$HOME"'], Healthcheck: { Test: ['CMD', 'node', 'server.js'] } };
  const refs = references(config, original);
  assert.equal(refs.map((r) => [r.word, r.path, r.onPath]).sort(), [
    ['/bin/sh', '/bin/sh', false],
    ['dist/main.js', '/app/dist/main.js', false],
    ['node', '/usr/local/bin/node', true],
    ['server.js', '/app/server.js', false],
  ]);
  // The rewrite moved node to /usr/bin (still on its PATH) but lost server.js and has no shell.
  const rewrite = listing({ '/usr': 'd', '/usr/bin': 'd', '/usr/bin/node': 'f', '/app': 'd', '/app/dist': 'd', '/app/dist/main.js': 'f' });
  assert.equal(missingReferences(refs, { Env: ['PATH=/usr/bin'] }, rewrite).map((r) => r.word), ['/bin/sh', 'server.js']);
});

test("references: a program's place is looked up on PATH only, even when WORKDIR has a file of that name", () => {
  const original = listing({ ...NODE_IMAGE, '/usr/sbin': 'd', '/usr/sbin/nginx': 'f', '/app': 'd', '/app/nginx': 'd', '/app/nginx/default.conf': 'f', '/app/start': 'f' });
  const config = { WorkingDir: '/app', Env: ['PATH=/usr/local/bin:/usr/sbin:/usr/bin:/bin'], Entrypoint: ['docker-entrypoint.sh'], Cmd: ['nginx', '-g', 'daemon off;'], Healthcheck: { Test: ['CMD-SHELL', 'cat start || nginx -t'] } };
  const refs = references(config, original);
  // nginx is the program (CMD's first word under an ENTRYPOINT, a command in the health script);
  // "start", an argument of cat, is the app folder's file.
  assert.equal(refs.map((r) => [r.word, r.path, r.onPath]).sort(), [
    ['/bin/sh', '/bin/sh', false],
    ['nginx', '/usr/sbin/nginx', true],
    ['start', '/app/start', false],
  ]);
});

const NO_NODE: NodeManifests = { pkg: null, lockPackages: null };

test('classifyFile: build-only kinds, and what stays possibly needed', () => {
  const cls = (rel: string, compiledJs = true) => classifyFile(rel, NO_NODE, compiledJs).class;
  for (const rel of ['src/index.ts', 'tsconfig.build.json', 'jest.config.js', '.eslintrc.cjs', 'eslint.config.mjs', '.prettierrc', '.git/HEAD', 'docs/guide.txt', 'README.md', 'test/app.test.js', 'src/app.spec.ts', 'main.go', 'go.sum', 'pkg/util_test.go', 'package-lock.json', 'Dockerfile', 'app/__pycache__/x.cpython-312.pyc']) {
    assert.is(cls(rel), 'build-only', rel);
  }
  for (const rel of ['config/default.yaml', 'public/index.html', 'app.py', 'package.json', 'views/home.ejs']) assert.is(cls(rel), 'possibly-needed', rel);
  assert.is(cls('src/index.ts', false), 'possibly-needed', 'TypeScript run directly (ts-node, tsx) is needed when there is no compiled .js');
});

test('node_modules: the lockfile says dev or production; without one, package.json does', () => {
  assert.is(nodePackageDir('node_modules/@types/node/index.d.ts'), 'node_modules/@types/node');
  assert.is(nodePackageDir('node_modules/a/node_modules/b/x.js'), 'node_modules/a/node_modules/b');
  assert.is(nodePackageDir('node_modules/.bin/tsc'), null);
  const lock: NodeManifests = { pkg: null, lockPackages: { 'node_modules/typescript': { dev: true }, 'node_modules/ms': {}, 'node_modules/fsevents': { optional: true } } };
  assert.is(classifyFile('node_modules/typescript/lib/tsc.js', lock, true).class, 'build-only');
  assert.is(classifyFile('node_modules/ms/index.js', lock, true).class, 'production-dependency');
  assert.is(classifyFile('node_modules/fsevents/x.js', lock, true).class, 'possibly-needed');
  assert.is(classifyFile('node_modules/.bin/tsc', lock, true).class, 'build-only');
  const pkg: NodeManifests = { pkg: { dependencies: { express: '^4' }, devDependencies: { vitest: '^1' } }, lockPackages: null };
  assert.is(classifyFile('node_modules/express/index.js', pkg, true).class, 'production-dependency');
  assert.is(classifyFile('node_modules/vitest/index.js', pkg, true).class, 'build-only');
  assert.is(classifyFile('node_modules/debug/index.js', pkg, true).class, 'possibly-needed');
});

test('classifyMissing: one line per package or wholly missing folder, worst class wins, referenced fails', () => {
  const original = listing({
    '/app': 'd', '/app/server.js': 'f', '/app/config.json': 'f', '/app/src': 'd', '/app/src/a.ts': 'f', '/app/src/b.ts': 'f',
    '/app/lib': 'd', '/app/lib/kept.js': 'f', '/app/lib/extra.js': 'f', '/app/node_modules': 'd', '/app/node_modules/ms': 'd',
    '/app/node_modules/ms/index.js': 'f', '/app/node_modules/ms/package.json': 'f', '/app/node_modules/typescript': 'd', '/app/node_modules/typescript/lib.js': 'f',
  });
  const rewrite = listing({ '/app': 'd', '/app/lib': 'd', '/app/lib/kept.js': 'f', '/app/node_modules': 'd', '/app/node_modules/ms': 'd', '/app/node_modules/ms/index.js': 'f' });
  const node: NodeManifests = { pkg: null, lockPackages: { 'node_modules/ms': {}, 'node_modules/typescript': { dev: true } } };
  const missing = classifyMissing({ workdir: '/app', considered: (p) => p.startsWith('/app/'), original, rewrite, referenced: new Set(['/app/server.js']), node });
  assert.equal(
    missing.map((m) => [m.path, m.files, m.class, m.severity]),
    [
      ['config.json', 1, 'possibly-needed', 'warn'],
      ['lib/extra.js', 1, 'possibly-needed', 'warn'],
      ['node_modules/ms', 1, 'production-dependency', 'fail'],
      ['node_modules/typescript', 1, 'build-only', 'note'],
      ['server.js', 1, 'referenced', 'fail'],
      ['src', 2, 'build-only', 'note'],
    ],
  );
  const problems = fileProblems({ workdir: '/app', listed: true, missing, owners: [], missingReferences: [], missingPythonDistributions: [], served: null });
  assert.equal(problems.map((p) => p.severity), ['warn', 'warn', 'fail', 'fail', 'note']);
  assert.match(problems[4]!.message, /^3 build-only files not in the rewrite \(node_modules\/typescript, src\)$/);
});

test("files the rewrite's new .dockerignore keeps out are build-only, not possibly needed", () => {
  const original = listing({ '/app': 'd', '/app/server.js': 'f', '/app/logs': 'd', '/app/logs/server.log': 'f', '/app/npm-debug.log': 'f', '/app/config.json': 'f' });
  const rewrite = listing({ '/app': 'd', '/app/server.js': 'f' });
  const node: NodeManifests = { pkg: null, lockPackages: null };
  const ignored = (rel: string) => rel.startsWith('logs/') || rel === 'npm-debug.log';
  const missing = classifyMissing({ workdir: '/app', considered: (p) => p.startsWith('/app'), original, rewrite, referenced: new Set(), node, newlyIgnored: ignored });
  assert.equal(missing.map((m) => [m.path, m.class, m.reason]), [
    ['config.json', 'possibly-needed', missing[0]!.reason],
    ['logs', 'build-only', "kept out of the build context by the rewrite's new .dockerignore"],
    ['npm-debug.log', 'build-only', "kept out of the build context by the rewrite's new .dockerignore"],
  ]);
});

test('at the image root, only what the build added to its base counts as missing', () => {
  const base = new Set(['/usr', '/usr/share', '/usr/share/doc', '/usr/share/doc/gcc/README']);
  const original = listing({ '/usr': 'd', '/usr/share': 'd', '/usr/share/doc': 'd', '/usr/share/doc/gcc/README': 'f', '/node_modules': 'd', '/node_modules/ms': 'd', '/node_modules/ms/index.js': 'f', '/index.js': 'f', '/views': 'd', '/views/entries.json': 'f' });
  const rewrite = listing({ '/usr': 'd', '/node_modules': 'd', '/node_modules/ms': 'd', '/node_modules/ms/index.js': 'f', '/index.js': 'f' });
  const node: NodeManifests = { pkg: null, lockPackages: { 'node_modules/ms': {} } };
  const missing = classifyMissing({ workdir: '/', considered: (p) => !base.has(p), original, rewrite, referenced: new Set(), node });
  // The slim base's missing documentation is not the rewrite's doing; the app's data folder is.
  assert.equal(missing.map((m) => [m.path, m.class]), [['views', 'possibly-needed']]);
});

test('owners and modes: files both images have, one line per kind of change', () => {
  const entry = (uid: number, mode: number, kind: EntryKind = 'file') => ({ kind, size: 1, uid, gid: uid, mode });
  const original: Listing = { captured: new Map(), entries: new Map([
    ['/app', entry(1000, 0o755, 'dir')], ['/app/a.js', entry(1000, 0o644)], ['/app/b.js', entry(1000, 0o644)], ['/app/run.sh', entry(0, 0o755)], ['/app/link', entry(0, 0o777, 'symlink')], ['/app/gone.js', entry(0, 0o644)], ['/etc/passwd', entry(0, 0o644)],
  ]) };
  const rewrite: Listing = { captured: new Map(), entries: new Map([
    ['/app', entry(1000, 0o755, 'dir')], ['/app/a.js', entry(0, 0o644)], ['/app/b.js', entry(0, 0o644)], ['/app/run.sh', entry(0, 0o644)], ['/app/link', entry(0, 0o755, 'symlink')], ['/etc/passwd', entry(0, 0o600)],
  ]) };
  const diffs = ownerDifferences(original, rewrite, (p) => p === '/app' || p.startsWith('/app/'));
  assert.equal(diffs.map((d) => [d.path, d.original, d.rewrite, d.files]), [
    ['/app/a.js', '1000:1000 0644', '0:0 0644', 2],
    ['/app/run.sh', '0:0 0755', '0:0 0644', 1],
  ]);
  const problems = fileProblems({ workdir: '/app', listed: true, missing: [], owners: diffs, missingReferences: [], missingPythonDistributions: [], served: null });
  assert.equal(problems.map((p) => [p.severity, p.message]), [
    ['fail', '/app/a.js and 1 more: owner and mode 1000:1000 0644 in the original, 0:0 0644 in the rewrite'],
    ['fail', '/app/run.sh: owner and mode 0:0 0755 in the original, 0:0 0644 in the rewrite'],
  ]);
});

test('served files: what nginx reads must be the same, missing, resized or added', () => {
  const file = (size: number): TarEntry => ({ kind: 'file', size });
  const dir: TarEntry = { kind: 'dir', size: 0 };
  const original: Listing = { captured: new Map(), entries: new Map([
    ['/usr/share/nginx/html', dir], ['/usr/share/nginx/html/index.html', file(120)], ['/usr/share/nginx/html/about.html', file(80)], ['/usr/share/nginx/html/a.css', file(9)],
    ['/etc/nginx/conf.d/default.conf', file(300)], ['/app/src/index.md', file(40)],
  ]) };
  const rewrite: Listing = { captured: new Map(), entries: new Map([
    ['/usr/share/nginx/html', dir], ['/usr/share/nginx/html/index.html', file(615)], ['/usr/share/nginx/html/50x.html', file(497)],
    ['/etc/nginx/conf.d/default.conf', file(300)],
  ]) };
  // The app folder (/app) is left behind on purpose: only where nginx reads counts here.
  assert.equal(servedDifferences(original, rewrite).map((d) => [d.path, d.change, d.files]), [
    ['/usr/share/nginx/html/a.css', 'missing in the rewrite', 2],
    ['/usr/share/nginx/html/index.html', 'size differs', 1],
    ['/usr/share/nginx/html/50x.html', 'only in the rewrite', 1],
  ]);
  assert.equal(servedDifferences(original, original), []);
  const problems = fileProblems({ workdir: '/app', listed: true, missing: [], owners: [], missingReferences: [], missingPythonDistributions: [], served: servedDifferences(original, rewrite) });
  assert.equal(problems.map((p) => p.severity), ['fail', 'fail', 'fail']);
  assert.match(problems[0]!.message, /^\/usr\/share\/nginx\/html\/a\.css and 1 more: missing in the rewrite, where nginx reads/);
});

test('served files are compared when the final command starts nginx', () => {
  assert.ok(servesWithNginx({ Entrypoint: ['/docker-entrypoint.sh'], Cmd: ['nginx', '-g', 'daemon off;'] }));
  assert.ok(servesWithNginx({ Cmd: ['/usr/sbin/nginx', '-g', 'daemon off;'] }));
  assert.not.ok(servesWithNginx({ Entrypoint: ['docker-entrypoint.sh'], Cmd: ['node', 'server.js'] }));
  assert.not.ok(servesWithNginx({ Cmd: null }));
});

test('Python distributions missing from every site-packages are found by name', () => {
  const original = listing({ '/usr/local/lib/python3.12/site-packages/Flask-3.0.0.dist-info': 'd', '/usr/local/lib/python3.12/site-packages/pip-24.0.dist-info': 'd' });
  const rewrite = listing({ '/opt/venv/lib/python3.12/site-packages/pip-24.2.dist-info': 'd' });
  assert.equal(missingPythonDistributions(original, rewrite), ['flask']);
});

test.run();
