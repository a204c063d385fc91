// The fixture apps of the real-build tier (__fixtures__/apps/<name>/) are only built where a Docker
// engine runs. These checks need no engine, so a broken fixture fails here, in seconds, instead of
// minutes into an e2e run: every app has a Dockerfile Docker 20.10 can read, a verify.json the tier
// can use, the file its rebuild test edits, and (for npm) a committed lockfile and no node_modules.
import fs from 'node:fs';
import path from 'node:path';
import { Copy, DockerfileParser, Run } from 'dockerfile-ast';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FIXTURES, ROOT } from './helpers.js';

const APPS = path.join(FIXTURES, 'apps');
// The README's examples are held to the same rules: the e2e tier verifies them the same way.
const EXAMPLES = path.join(ROOT, 'examples');
const ECOSYSTEMS = ['node', 'go', 'python', 'static'];
const KEYS = ['ecosystem', 'http', 'touch', 'env', 'expect', 'why', 'assets', 'junk'];

const appsIn = (root: string) =>
  fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
const apps = appsIn(APPS);
const examples = appsIn(EXAMPLES);

test('the tier has its apps, each listed in the README', () => {
  assert.equal(apps, [
    'alpine-prod', 'entrypoint-script', 'express-node14', 'express-root', 'express-server', 'express-user-node', 'flask-gunicorn', 'flask-style-root', 'go-default-name', 'go-gopath', 'go-http', 'go-install', 'go-root', 'hook-server', 'nest-style', 'nginx-alpine-widgets', 'nginx-site', 'node-modules-moved', 'nodemon-babel',
    'pipenv-flask', 'pnpm-app', 'poetry-flask', 'python-apt-tool', 'python-slim-flask-less', 'python-web', 'serve-site', 'static-site', 'ts-api', 'workspaces-monorepo', 'yarn-berry', 'yarn-build',
  ]);
  const readme = fs.readFileSync(path.join(APPS, 'README.md'), 'utf8');
  for (const app of apps) assert.ok(readme.includes(`\`${app}\``), `README.md must list ${app}`);
});

test('at least one app has no .dockerignore (COPY . . sends the whole folder)', () => {
  assert.ok(apps.some((app) => !fs.existsSync(path.join(APPS, app, '.dockerignore'))));
});

test('the examples are the four apps the README and examples/README.md describe', () => {
  assert.equal(examples, ['express-shop', 'go-server', 'python-web', 'typescript-api']);
  const readme = fs.readFileSync(path.join(EXAMPLES, 'README.md'), 'utf8');
  for (const app of examples) assert.ok(readme.includes(`\`${app}\``), `examples/README.md must describe ${app}`);
});

test('every app and example probes a port of its own (runs with --network host share the machine)', () => {
  const ports = [...apps.map((a) => path.join(APPS, a)), ...examples.map((a) => path.join(EXAMPLES, a))].map((dir) => String(JSON.parse(fs.readFileSync(path.join(dir, 'verify.json'), 'utf8')).http).split('/')[0]);
  assert.equal(ports.filter((p, i) => ports.indexOf(p) !== i), []);
});

for (const [app, dir] of [...apps.map((a) => [a, path.join(APPS, a)]), ...examples.map((a) => [`examples/${a}`, path.join(EXAMPLES, a)])] as [string, string][]) {

  test(`${app}: verify.json has the required keys with usable values`, () => {
    const verify: unknown = JSON.parse(fs.readFileSync(path.join(dir, 'verify.json'), 'utf8'));
    assert.type(verify, 'object');
    const v = verify as Record<string, unknown>;
    for (const key of Object.keys(v)) assert.ok(KEYS.includes(key), `unknown key ${key}`);
    assert.ok(ECOSYSTEMS.includes(v.ecosystem as string), `ecosystem must be one of ${ECOSYSTEMS.join('|')}, got ${String(v.ecosystem)}`);

    const http = /^(\d+)(\/.*)$/.exec(String(v.http));
    assert.ok(http, `http must be PORT/PATH, got ${String(v.http)}`);
    const port = Number(http[1]);
    assert.ok(port > 0 && port < 65536, `port out of range: ${port}`);

    if (v.env !== undefined) {
      assert.type(v.env, 'object');
      assert.not.ok(Array.isArray(v.env), 'env must be an object of strings');
      for (const [k, val] of Object.entries(v.env as object)) assert.type(val, 'string', `env.${k} must be a string`);
      const envPort = (v.env as Record<string, string>).PORT;
      // The probe goes to the port the server listens on: PORT when set, else the app's default.
      if (envPort !== undefined) assert.is(envPort, http[1], 'env.PORT and the port of http must agree');
    }

    // What a Docker expert would want: a verified split, or a decline whose reason is written down.
    assert.ok(v.expect === undefined || v.expect === 'split' || v.expect === 'decline', `expect must be split or decline, got ${String(v.expect)}`);
    if (v.expect === 'decline') assert.type(v.why, 'string', 'a decline says why');

    if (v.assets !== undefined) {
      assert.ok(Array.isArray(v.assets), 'assets must be a list');
      for (const a of v.assets as { npm?: unknown; file?: unknown; to?: unknown }[]) {
        // Pinned, so a run fetches the same bytes the lockfile and Dockerfile were written against.
        assert.match(String(a.npm), /^(@[a-z0-9-]+\/)?[a-z0-9.-]+@\d+\.\d+\.\d+$/, `assets: npm must be name@x.y.z, got ${String(a.npm)}`);
        assert.type(a.file, 'string');
        assert.ok(path.resolve(dir, String(a.to)).startsWith(dir + path.sep), `assets: to must stay inside the app: ${String(a.to)}`);
      }
    }

    if (v.junk !== undefined) {
      assert.ok(Array.isArray(v.junk), 'junk must be a list');
      for (const j of v.junk as { path?: unknown; bytes?: unknown }[]) {
        assert.ok(Number.isInteger(j.bytes) && (j.bytes as number) > 0 && (j.bytes as number) <= 16 * 1024 * 1024, `junk: bytes must be a whole number up to 16 MiB, got ${String(j.bytes)}`);
        assert.ok(path.resolve(dir, String(j.path)).startsWith(dir + path.sep), `junk: path must stay inside the app: ${String(j.path)}`);
        assert.not.ok(fs.existsSync(path.resolve(dir, String(j.path))), `junk: ${String(j.path)} must not be committed`);
      }
    }

    assert.type(v.touch, 'string');
    const touch = path.resolve(dir, v.touch as string);
    assert.ok(touch.startsWith(dir + path.sep), `touch must stay inside the app: ${String(v.touch)}`);
    assert.ok(fs.statSync(touch, { throwIfNoEntry: false })?.isFile(), `touch file missing: ${String(v.touch)}`);
  });

  test(`${app}: a single-stage Dockerfile that Docker 20.10 can build`, () => {
    const file = path.join(dir, 'Dockerfile');
    assert.ok(fs.existsSync(file), 'missing Dockerfile');
    const dockerfile = DockerfileParser.parse(fs.readFileSync(file, 'utf8'));
    assert.is(dockerfile.getFROMs().length, 1, 'the fixtures are the naive single-stage input stageopt rewrites');
    // The official nginx images' own CMD serves the site: site Dockerfiles on them rarely repeat it.
    const inheritsCommand = /^nginx(:|$)/.test(dockerfile.getFROMs()[0]!.getImage() ?? '');
    assert.ok(dockerfile.getCMDs().length === 1 || dockerfile.getENTRYPOINTs().length === 1 || inheritsCommand, 'needs a CMD or ENTRYPOINT to run');
    // 20.10 would pull docker/dockerfile for a syntax line (no registry here) and has no heredocs or --link.
    assert.equal(dockerfile.getDirectives().map((d) => d.getName().toLowerCase()).filter((n) => n === 'syntax'), []);
    for (const instruction of dockerfile.getInstructions()) {
      const line = instruction.getRange().start.line + 1;
      if (instruction instanceof Run || instruction instanceof Copy) assert.is(instruction.getHeredocs().length, 0, `line ${line}: heredoc`);
      if (instruction instanceof Copy) assert.not.ok(instruction.getFlags().some((f) => f.getName() === 'link'), `line ${line}: COPY --link`);
    }
  });

  test(`${app}: Node projects commit their lockfile and no node_modules`, () => {
    assert.not.ok(fs.existsSync(path.join(dir, 'node_modules')), 'node_modules must not be in the fixture');
    if (!fs.existsSync(path.join(dir, 'package.json'))) return;
    const lockfiles = ['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml'].filter((f) => fs.existsSync(path.join(dir, f)));
    assert.equal(lockfiles.length, 1, `one lockfile, got ${lockfiles.join(', ') || 'none'}`);
    if (lockfiles[0] !== 'package-lock.json') return;
    const lock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8')) as {
      lockfileVersion: number;
      packages?: Record<string, { resolved?: string; link?: boolean }>;
      dependencies?: Record<string, { resolved?: string }>;
    };
    // v1 as npm 6 writes it (old images), v2/v3 as npm 7+ does: real projects have all three.
    assert.ok([1, 2, 3].includes(lock.lockfileVersion), `lockfileVersion ${lock.lockfileVersion}`);
    // `npm ci` in the image fetches exactly these URLs; a lockfile written without them
    // (omit-lockfile-registry-resolved) would make npm resolve again, unlike a real project.
    const entries = lock.packages
      ? Object.entries(lock.packages).filter(([name, entry]) => name !== '' && !entry.link && name.includes('node_modules/'))
      : Object.entries(lock.dependencies ?? {});
    assert.ok(entries.length > 0, 'the lockfile lists no packages');
    for (const [name, entry] of entries) assert.ok(entry.resolved?.startsWith('https://registry.npmjs.org/'), `${name}: no registry URL in the lockfile`);
  });
}

test.run();
