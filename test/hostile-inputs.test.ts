// Hostile files beside a Dockerfile, through the built CLI (issue #14): package.json and the
// lockfiles, .dockerignore, go.mod, requirement files, .stageoptrc and a context of 200,000 files.
// Each class is one run over a folder of fixture apps, one bad file each, plus an untouched app:
// the run must end within TIME_BOUND_MS and RSS_BOUND_MB, print no stack trace and no line
// quoting a file, name the refused file in one line, go on with the other apps, and exit with the
// documented code. docs/reliability.md lists what each input shows.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { folderContext } from '../src/build-context.js';
import { engineWith, tempDir } from './helpers.js';
import { aliasBomb, appCopy, jsonOfSize, linesOf, makeFifo, measuredCli, nested, RSS_BOUND_MB, TIME_BOUND_MS, unclearOutput, type Measured } from './hostile.js';

const MB50 = 50;

interface Variant {
  app: string;
  files?: Record<string, string | Buffer>;
  /** Run after the copy, for inputs that are not file contents (a FIFO, 2,000 include files). */
  setup?: (dir: string) => void;
  /** Must appear among the lines of this app (its outcome line, declines and notes). */
  expect: RegExp;
}

/** Copies every variant (and one untouched app) into a new folder, runs the CLI over it, checks the bounds. */
function runClass(label: string, variants: Record<string, Variant>, extraArgs: string[] = []): Measured {
  const dir = tempDir(`stageopt-hostile-${label}-`);
  for (const [name, v] of Object.entries(variants)) {
    const copy = appCopy(dir, name, v.app, v.files);
    v.setup?.(copy);
  }
  appCopy(dir, 'untouched', 'express-server');
  const run = measuredCli(['--unsafe', ...extraArgs, '.'], dir);
  fs.rmSync(dir, { recursive: true, force: true });
  const out = run.stdout + run.stderr;
  assert.ok(run.ms < TIME_BOUND_MS, `${label}: took ${Math.round(run.ms)} ms (bound ${TIME_BOUND_MS} ms)`);
  assert.ok(run.rssMb < RSS_BOUND_MB, `${label}: peak RSS ${Math.round(run.rssMb)} MB (bound ${RSS_BOUND_MB} MB)`);
  const bad = unclearOutput(out);
  assert.is(bad, null, `${label}: unclear output: ${bad}`);
  for (const [name, v] of Object.entries(variants)) {
    const lines = linesOf(out, name).join('\n');
    assert.match(lines, v.expect, `${label}/${name}: expected ${v.expect} in:\n${lines || out.slice(0, 2000)}`);
  }
  // The run went on: the untouched app got its usual result.
  assert.match(out, /untouched[/\\]Dockerfile: would change/, `${label}: the other app was not processed:\n${out.slice(-2000)}`);
  return run;
}

test('package.json: invalid JSON, 50 MB, 100,000 levels of nesting, a FIFO: a clear decline or note each; exit 1 (the untouched app would change)', () => {
  const run = runClass('package-json', {
    invalid: { app: 'express-server', files: { 'package.json': '{"name": "x", ' }, expect: /declined: .*package\.json is not valid JSON/ },
    huge: {
      app: 'express-server',
      files: { 'package.json': jsonOfSize(MB50, { name: 'x', scripts: { start: 'node server.js' } }) },
      expect: /note: package\.json in the build context is too large \(50\.0 MiB; the limit is 16\.0 MiB\); read as absent/,
    },
    'deep-arrays': { app: 'express-server', files: { 'package.json': `{"name":"x","dependencies":{"express":"^4"},"x":${nested(100_000, '[', '', ']')}}` }, expect: /Dockerfile: (would change|declined)/ },
    'deep-objects': { app: 'express-server', files: { 'package.json': `{"name":"x","scripts":${nested(100_000, '{"a":', '1', '}')}}` }, expect: /Dockerfile: (would change|declined)/ },
    'wrong-types': {
      app: 'express-server',
      files: { 'package.json': JSON.stringify({ name: 5, scripts: ['node server.js'], dependencies: 'express', devDependencies: 7, bin: 42, main: [], workspaces: 'x', engines: 'node' }) },
      expect: /Dockerfile: (would change|declined)/,
    },
    fifo: { app: 'express-server', setup: (dir) => fifoOrSkip(path.join(dir, 'package.json')), expect: /note: package\.json in the build context is not a regular file; read as absent|Dockerfile: / },
  });
  assert.is(run.status, 1);
});

test('npm lockfile: invalid, 50 MB, 100,000-deep v1 tree, 100,000 nested arrays, wrong types; yarn.lock and pnpm-lock.yaml broken: no crash', () => {
  const v1Deep = `{"lockfileVersion":1,"dependencies":${nested(100_000, '{"a":{"dependencies":', '{}', '}}')}}`;
  const run = runClass('lockfiles', {
    invalid: { app: 'express-server', files: { 'package-lock.json': '{"lockfileVersion": 3, "packages": {' }, expect: /Dockerfile: would change/ },
    huge: { app: 'express-server', files: { 'package-lock.json': jsonOfSize(MB50, { lockfileVersion: 3 }) }, expect: /note: package-lock\.json in the build context is too large/ },
    // Overflowed the stack in npmLockDevOnly's walk (split-stages crashed).
    'v1-deep': { app: 'express-server', files: { 'package-lock.json': v1Deep }, expect: /Dockerfile: would change/ },
    'deep-arrays': { app: 'express-server', files: { 'package-lock.json': `{"lockfileVersion":3,"packages":${nested(100_000, '[', '', ']')}}` }, expect: /Dockerfile: would change/ },
    // An object as lockfileVersion made `version < 2` throw (split-stages crashed).
    'wrong-types': {
      app: 'express-server',
      files: { 'package-lock.json': JSON.stringify({ lockfileVersion: { toString: 'x' }, packages: { '': 5, 'node_modules/a': 'str', 'node_modules/b': { bin: 5, dev: 'yes', peerDependencies: 'x' }, 'node_modules/c': null } }) },
      expect: /Dockerfile: would change/,
    },
    'yarn-broken': { app: 'yarn-build', files: { 'yarn.lock': Buffer.concat([Buffer.from('"a@^1":\n  version '), Buffer.alloc(1024, 0xff)]) }, expect: /Dockerfile: (would change|declined|unchanged)/ },
    'yarn-huge': { app: 'yarn-build', files: { 'yarn.lock': 'x'.repeat(MB50 * 1024 * 1024) }, expect: /Dockerfile: (would change|declined|unchanged)/ },
    'pnpm-broken': { app: 'pnpm-app', files: { 'pnpm-lock.yaml': nested(100_000, '[', '', ''), 'pnpm-workspace.yaml': `packages:\n${' - - -\n'.repeat(200_000)}` }, expect: /Dockerfile: (would change|declined|unchanged)/ },
  });
  assert.is(run.status, 1);
});

test('.dockerignore: runs of ** and *, a 20 MB line, 100,000 lines, 900 negations: finishes; an unusable file makes the context unknown, with a note naming it', () => {
  const unusable = (what: string) => new RegExp(`note: \\.dockerignore: ${what}; the build context is treated as unknown`);
  const run = runClass('dockerignore', {
    stars: { app: 'express-server', files: { '.dockerignore': `${'**/'.repeat(1000)}x\n${'*'.repeat(4000)}a\n${'*a'.repeat(2000)}b\n${'**/?*'.repeat(800)}\n` }, expect: /Dockerfile: would change/ },
    negations: { app: 'express-server', files: { '.dockerignore': Array.from({ length: 900 }, (_, i) => (i % 2 ? '!' : '') + '**').join('\n') }, expect: /Dockerfile: (would change|declined)/ },
    brackets: { app: 'express-server', files: { '.dockerignore': `${'['.repeat(3000)}\n[a-\n${'\\'.repeat(3001)}\n${'{a,b}'.repeat(500)}\n` }, expect: /Dockerfile: (would change|declined)/ },
    // The matcher built one regular expression of the line, V8 refused it, and the error message quoted all 20 MB.
    'long-line': { app: 'express-server', files: { '.dockerignore': `${'a'.repeat(20 * 1024 * 1024)}\n` }, expect: unusable('is too large \\(20\\.0 MiB; the limit is 1\\.0 MiB\\)') },
    'long-pattern': { app: 'express-server', files: { '.dockerignore': `node_modules\n${'ab/'.repeat(2000)}\n` }, expect: unusable('line 2 is longer than 4,096 characters') },
    'many-lines': { app: 'express-server', files: { '.dockerignore': Array.from({ length: 100_000 }, (_, i) => `d${i}`).join('\n') }, expect: unusable('has 100,000 patterns \\(the limit is 250\\)') },
    fifo: { app: 'express-server', setup: (dir) => fifoOrSkip(path.join(dir, '.dockerignore')), expect: /Dockerfile: / },
  });
  // The unknown context is declined like stdin's, never guessed at.
  assert.match(linesOf(run.stdout + run.stderr, 'many-lines').join('\n'), /declined: manifest-first .*the build context is unknown/);
  assert.is(run.status, 1);
});

test('go.mod: 5 MB of blank lines, 300,000 open replace blocks, 26 MB, odd directives, binary: no hang', () => {
  const run = runClass('go-mod', {
    // Each of these hung for minutes in /^\s*module\s+…/m and /^\s*replace\s*\(([^)]*=>…/m.
    blank: { app: 'go-http', files: { 'go.mod': '\n'.repeat(5_000_000) }, expect: /Dockerfile: (would change|declined)/ },
    'open-replace': { app: 'go-http', files: { 'go.mod': `module example.com/x\n${'replace (\n'.repeat(300_000)}` }, expect: /Dockerfile: (would change|declined)/ },
    huge: { app: 'go-http', files: { 'go.mod': `module example.com/x\n${'require example.com/m v1.0.0\n'.repeat(600_000)}` }, expect: /note: go\.mod in the build context is too large/ },
    odd: { app: 'go-http', files: { 'go.mod': 'module\nmodule "\ngo go go\ntoolchain\nreplace => ./x\nreplace ( => \nexclude )\nretract [\n\u202e\n' }, expect: /declined: manifest-first .*go\.mod replaces a module with a local folder/ },
    binary: { app: 'go-http', files: { 'go.mod': Buffer.from(Array.from({ length: 1_000_000 }, (_, i) => (i * 7) % 256)) }, expect: /Dockerfile: (would change|declined)/ },
  });
  assert.is(run.status, 1);
});

test('requirements: -r cycles, a self-include, includes outside the context or absolute, 2,000 chained files: clear declines', () => {
  const pipApp = (files: Record<string, string>): Variant['files'] => ({
    Dockerfile: 'FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["python", "app.py"]\n',
    ...files,
  });
  const run = runClass(
    'requirements',
    {
      self: { app: 'python-web', files: pipApp({ 'requirements.txt': 'flask\n-r requirements.txt\n' }), expect: /Dockerfile: would change/ },
      cycle: { app: 'python-web', files: pipApp({ 'requirements.txt': 'flask\n-r b.txt\n', 'b.txt': '-r requirements.txt\n' }), expect: /Dockerfile: would change/ },
      'cycle-3': { app: 'python-web', files: pipApp({ 'requirements.txt': '-r sub/b.txt\n', 'sub/b.txt': '-r ../c.txt\n', 'c.txt': '--requirement=./requirements.txt\n' }), expect: /Dockerfile: would change/ },
      outside: { app: 'python-web', files: pipApp({ 'requirements.txt': 'flask\n-r ../../etc/passwd\n' }), expect: /declined: manifest-first .*the requirements file \.\.\/\.\.\/etc\/passwd is outside the build context/ },
      // Was read as the context's etc/passwd ("no etc/passwd in the build context").
      absolute: { app: 'python-web', files: pipApp({ 'requirements.txt': 'flask\n--requirement /etc/passwd\n' }), expect: /declined: manifest-first .*the requirements file \/etc\/passwd is outside the build context/ },
      // 20,000 chained files overflowed the stack of the recursive walk; the cap ends it at 1,000.
      chain: {
        app: 'python-web',
        files: pipApp({ 'requirements.txt': '-r r/0.txt\n' }),
        setup: (dir) => {
          fs.mkdirSync(path.join(dir, 'r'));
          for (let i = 0; i < 2000; i++) fs.writeFileSync(path.join(dir, 'r', `${i}.txt`), `-r ${i + 1}.txt\n`);
        },
        expect: /declined: manifest-first .*requirements\.txt and its includes name over 1,000 requirement files; not all were followed/,
      },
    },
    ['--only', 'manifest-first'],
  );
  // Every file of a cycle is copied before the install, each once.
  assert.match(run.stdout, /\+COPY c\.txt requirements\.txt \.\/\n\+COPY sub\/b\.txt \.\/sub\//);
  assert.is(run.status, 1);
});

test('.stageoptrc: alias bombs, 2 MB and 30 MB files, deep nesting, bad YAML and JSON, wrong types, $import out of the repository, a FIFO: exit 2, one line naming the file, other repos go on', () => {
  const rc = (file: string, text: string): Variant['files'] => ({ '.git/HEAD': 'ref: refs/heads/main\n', [file]: text });
  const error = (file: string, detail: string) => new RegExp(`error: configuration error: .*${file.replace(/\./g, '\\.')}: ${detail}`);
  const run = runClass('stageoptrc', {
    // js-yaml keeps an alias a reference: nothing expands 9^10 strings, and the check stops at the first wrong value.
    bomb: { app: 'express-server', files: rc('.stageoptrc', aliasBomb((a) => `transforms:\n  name-stages:\n    options:\n      ${a.trim().split('\n').join('\n      ')}\n`)), expect: error('.stageoptrc', 'transforms\\.name-stages\\.options\\.a0: expected one of the options .*, got an array') },
    // The same bomb where the file's own anchors sit in an allowed key: still one reference, still one error.
    'bomb-skip': { app: 'express-server', files: rc('.stageoptrc.yml', `skip: ${aliasBomb((a) => `[${a.trim().split('\n').map((l) => l.replace(/^a\d+: /, '')).join(', ')}]`)}\n`), expect: error('.stageoptrc.yml', 'skip: expected a list of transform ids, got an array') },
    huge: { app: 'express-server', files: rc('.stageoptrc', `ignore:\n${'  - "p/**"\n'.repeat(200_000)}`), expect: error('.stageoptrc', 'is too large \\(2\\.1 MiB; the limit is 1\\.0 MiB\\)') },
    'huge-string': { app: 'express-server', files: rc('.stageoptrc.json', JSON.stringify({ only: 'x'.repeat(30 * 1024 * 1024) })), expect: error('.stageoptrc.json', 'is too large') },
    'long-value': { app: 'express-server', files: rc('.stageoptrc.json', JSON.stringify({ only: 'x'.repeat(500_000) })), expect: error('.stageoptrc.json', 'only: expected a list of transform ids, got "x{40}…" \\(500,000 characters\\)') },
    deep: { app: 'express-server', files: rc('.stageoptrc', `only: ${nested(100_000, '[', '', ']')}\n`), expect: error('.stageoptrc', 'cannot be read: not valid YAML: nesting exceeded maxDepth \\(100\\) \\(line 1, column \\d+\\)') },
    'bad-yaml': { app: 'express-server', files: rc('.stageoptrc', 'only: [name-stages\n  skip: : :\n'), expect: error('.stageoptrc', 'cannot be read: not valid YAML: .* \\(line 2, column \\d+\\)') },
    'bad-json': { app: 'express-server', files: rc('.stageoptrc.json', '{"only": ["secret-token",]}'), expect: error('.stageoptrc.json', 'cannot be read: not valid JSON$') },
    'wrong-types': { app: 'express-server', files: rc('.stageoptrc', 'only: name-stages\nskip: 5\n'), expect: error('.stageoptrc', 'only: expected a list of transform ids, got "name-stages"') },
    // cosmiconfig read /etc/passwd and the message quoted its first character.
    'import-outside': { app: 'express-server', files: rc('.stageoptrc', '$import: /etc/passwd\n'), expect: error('.stageoptrc', '\\$import names a file outside the repository; not read') },
    'import-self': { app: 'express-server', files: rc('.stageoptrc', '$import: ./.stageoptrc\n'), expect: error('.stageoptrc', 'cannot be read: Self-import detected') },
    'import-cycle': { app: 'express-server', files: { ...rc('.stageoptrc', '$import: ./b.yaml\n'), 'b.yaml': '$import: ./.stageoptrc\n' }, expect: error('.stageoptrc', 'cannot be read: Circular import detected$') },
    fifo: { app: 'express-server', files: rc('.keep', ''), setup: (dir) => fifoOrSkip(path.join(dir, '.stageoptrc')), expect: /is not a regular file|Dockerfile: / },
  });
  assert.not.match(run.stdout + run.stderr, /secret-token|root:/, 'no config text is quoted');
  assert.is(run.status, 2);
});

test('a build context of 200,000 files: discovery, the readers and narrow-copy-from finish within the bounds', () => {
  // tmpfs when there is one: 200,000 files are made there in about 1.5 s, on a disk in up to 10 s.
  const base = fs.existsSync('/dev/shm') && fs.statSync('/dev/shm').isDirectory() ? fs.mkdtempSync('/dev/shm/stageopt-200k-') : tempDir('stageopt-200k-');
  try {
    const node = appCopy(base, 'node', 'express-server');
    const go = appCopy(base, 'go', 'go-http', {
      'go.mod': 'module example.com/server\n\ngo 1.22\n',
      Dockerfile: 'FROM golang:1.22 AS build\nWORKDIR /app\nCOPY . .\nRUN CGO_ENABLED=0 go build -o server .\n\nFROM gcr.io/distroless/static-debian12\nWORKDIR /app\nCOPY --from=build /app /app\nCMD ["./server"]\n',
    });
    // 100,000 in one folder, 100,000 spread over 100 folders, in each app's context.
    for (const app of [node, go]) {
      fs.mkdirSync(path.join(app, 'flat'));
      for (let i = 0; i < 50_000; i++) fs.closeSync(fs.openSync(path.join(app, 'flat', `f${i}.txt`), 'w'));
      for (let d = 0; d < 50; d++) {
        const dir = path.join(app, 'src', `d${d}`);
        fs.mkdirSync(dir, { recursive: true });
        for (let i = 0; i < 1000; i++) fs.closeSync(fs.openSync(path.join(dir, `f${i}.go`), 'w'));
      }
      fs.writeFileSync(path.join(app, '.dockerignore'), ['.git', 'node_modules', '*.md', 'flat/*.tmp', '!flat/keep.tmp', 'src/**/testdata', '**/*.log'].join('\n'));
    }
    const run = measuredCli(['--unsafe', '.'], base);
    const out = run.stdout + run.stderr;
    assert.is(unclearOutput(out), null);
    assert.ok(run.ms < TIME_BOUND_MS, `took ${Math.round(run.ms)} ms (bound ${TIME_BOUND_MS} ms)`);
    assert.ok(run.rssMb < RSS_BOUND_MB, `peak RSS ${Math.round(run.rssMb)} MB (bound ${RSS_BOUND_MB} MB)`);
    assert.match(out, /node[/\\]Dockerfile: would change/);
    assert.match(out, /go[/\\]Dockerfile: (would change|declined)/);
    assert.match(out, /stageopt: 2 files: /);
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});

test('package.json and lockfile fields of every wrong type, through the engine: no transform throws, no message says undefined', () => {
  const WRONG: unknown[] = [5, 'str', [], ['a', 5], {}, null, true, { a: 5 }, { a: { b: 1 } }, { toString: 'x', valueOf: 1 }];
  const PKG = ['name', 'scripts', 'dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies', 'bin', 'main', 'type', 'workspaces', 'engines', 'packageManager', 'stageopt'];
  const LOCK = ['lockfileVersion', 'packages', 'dependencies'];
  const dir = appCopy(tempDir(), 'app', 'workspaces-monorepo');
  const raw = fs.readFileSync(path.join(dir, 'Dockerfile'), 'utf8');
  const pkg0 = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  const lock0 = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8')) as Record<string, unknown>;
  const failures: string[] = [];
  const check = (label: string) => {
    const result = engineWith(raw, undefined, { unsafe: true, context: folderContext(dir, path.join(dir, 'Dockerfile')) });
    const messages = [result.error?.message, ...result.declines.map((d) => d.message)].filter((m): m is string => typeof m === 'string');
    for (const m of messages) if (/crashed|\bundefined\b|NaN|\[object /.test(m)) failures.push(`${label}: ${m}`);
  };
  for (const value of WRONG) {
    for (const field of PKG) {
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...pkg0, [field]: value }));
      check(`package.json ${field}=${JSON.stringify(value)}`);
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...pkg0, scripts: { ...(pkg0.scripts as object), start: value } }));
      check(`package.json scripts.start=${JSON.stringify(value)}`);
    }
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg0));
    for (const field of LOCK) {
      fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ ...lock0, [field]: value }));
      check(`package-lock.json ${field}=${JSON.stringify(value)}`);
    }
    fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify(lock0));
  }
  assert.equal(failures, []);
});

/** Makes a FIFO, or leaves a plain file where mkfifo is missing (the case then proves less, not nothing). */
test('a FIFO named as the Dockerfile, or named .gitignore in a scanned folder: refused or read as absent, never read', () => {
  const parent = tempDir('stageopt-fifo-');
  const good = appCopy(parent, 'good', 'express-server');
  const piped = path.join(parent, 'piped');
  fs.mkdirSync(piped);
  if (!makeFifo(path.join(piped, 'Dockerfile')) || !makeFifo(path.join(good, '.gitignore'))) return; // no mkfifo here: nothing to test
  // Named explicitly (a scan skips what is not a regular file), and a scan past the FIFO .gitignore.
  const run = measuredCli([path.join(piped, 'Dockerfile'), good]);
  assert.ok(run.ms < TIME_BOUND_MS, `took ${run.ms} ms`);
  assert.match(run.stdout + run.stderr, /piped\/Dockerfile: error: not a regular file \(a FIFO, socket or device\)/);
  assert.match(run.stdout + run.stderr, /good\/Dockerfile: would change/);
  assert.is(run.status, 1);
});

function fifoOrSkip(file: string): void {
  if (!makeFifo(file)) fs.writeFileSync(file, '');
}

test.run();
