// The fixture apps of the real-build tier (__fixtures__/apps/<name>/) are only built where a Docker
// engine runs. These checks need no engine, so a broken fixture fails here, in seconds, instead of
// minutes into an e2e run: every app has a Dockerfile Docker 20.10 can read, a verify.json the tier
// can use, the file its rebuild test edits, and (for npm) a committed lockfile and no node_modules.
import fs from 'node:fs';
import path from 'node:path';
import { Copy, DockerfileParser, Run } from 'dockerfile-ast';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FIXTURES } from './helpers.js';

const APPS = path.join(FIXTURES, 'apps');
const ECOSYSTEMS = ['node', 'go', 'python', 'static'];
const KEYS = ['ecosystem', 'http', 'touch', 'env'];

const apps = fs
  .readdirSync(APPS, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

test('the tier has its seven apps, each listed in the README', () => {
  assert.equal(apps, ['express-server', 'go-http', 'hook-server', 'python-web', 'static-site', 'ts-api', 'workspaces-monorepo']);
  const readme = fs.readFileSync(path.join(APPS, 'README.md'), 'utf8');
  for (const app of apps) assert.ok(readme.includes(`\`${app}\``), `README.md must list ${app}`);
});

test('at least one app has no .dockerignore (COPY . . sends the whole folder)', () => {
  assert.ok(apps.some((app) => !fs.existsSync(path.join(APPS, app, '.dockerignore'))));
});

for (const app of apps) {
  const dir = path.join(APPS, app);

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
    assert.ok(dockerfile.getCMDs().length === 1 || dockerfile.getENTRYPOINTs().length === 1, 'needs a CMD or ENTRYPOINT to run');
    // 20.10 would pull docker/dockerfile for a syntax line (no registry here) and has no heredocs or --link.
    assert.equal(dockerfile.getDirectives().map((d) => d.getName().toLowerCase()).filter((n) => n === 'syntax'), []);
    for (const instruction of dockerfile.getInstructions()) {
      const line = instruction.getRange().start.line + 1;
      if (instruction instanceof Run || instruction instanceof Copy) assert.is(instruction.getHeredocs().length, 0, `line ${line}: heredoc`);
      if (instruction instanceof Copy) assert.not.ok(instruction.getFlags().some((f) => f.getName() === 'link'), `line ${line}: COPY --link`);
    }
  });

  test(`${app}: npm projects commit their lockfile and no node_modules`, () => {
    assert.not.ok(fs.existsSync(path.join(dir, 'node_modules')), 'node_modules must not be in the fixture');
    if (!fs.existsSync(path.join(dir, 'package.json'))) return;
    const lock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8')) as {
      lockfileVersion: number;
      packages: Record<string, { resolved?: string; link?: boolean }>;
    };
    assert.is(lock.lockfileVersion, 3);
    // `npm ci` in the image fetches exactly these URLs; a lockfile written without them
    // (omit-lockfile-registry-resolved) would make npm resolve again, unlike a real project.
    for (const [name, entry] of Object.entries(lock.packages)) {
      if (name === '' || entry.link || !name.includes('node_modules/')) continue;
      assert.ok(entry.resolved?.startsWith('https://registry.npmjs.org/'), `${name}: no registry URL in the lockfile`);
    }
  });
}

test.run();
