// The start path of a Node image followed to closure (src/stacks/node/start-path.ts): every
// launcher form, scripts with their hooks, and programs resolved through lockfile bins.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { calledCommands } from '../src/shell.js';
import {
  devOrUnknownUse,
  MAX_START_PATH_DEPTH,
  npmLockBins,
  npmLockDevOnly,
  npmLockPeers,
  packageOfSpecifier,
  readStartPath,
  startPathProject,
  type Provider,
  type ScriptReader,
  type StartPathProject,
  type StartUse,
} from '../src/stacks/node/start-path.js';
import { FIXTURES } from './helpers.js';

/** Bins as a lockfile would list them, for the launcher cases. */
const BINS: Record<string, string[]> = {
  nodemon: ['nodemon'],
  'babel-node': ['@babel/node'],
  'cross-env': ['cross-env'],
  'cross-env-shell': ['cross-env'],
  tsx: ['tsx'],
  'ts-node': ['ts-node'],
  'ts-node-dev': ['ts-node-dev'],
  tsnd: ['ts-node-dev'],
  tsc: ['typescript'],
  jest: ['jest'],
  concurrently: ['concurrently'],
  'npm-run-all': ['npm-run-all'],
  'run-s': ['npm-run-all'],
  'run-p': ['npm-run-all'],
  dotenv: ['dotenv-cli'],
  pm2: ['pm2'],
  'pm2-runtime': ['pm2'],
  forever: ['forever'],
};
const PROD = ['cross-env', 'concurrently', 'npm-run-all', 'dotenv-cli', 'dotenv', 'pm2', 'forever', 'express'];
const DEV = ['nodemon', '@babel/node', '@babel/core', '@babel/register', 'tsx', 'ts-node', 'ts-node-dev', 'typescript', 'jest', 'tsconfig-paths', '@swc/register'];

function project(scripts: Record<string, string> = {}, overrides: Partial<StartPathProject> = {}): StartPathProject {
  const dev = new Set(DEV);
  const prod = new Set(PROD);
  return {
    scripts,
    dependencies: prod,
    devDependencies: dev,
    binProviders: (program) => BINS[program] ?? [],
    isDevOnly: (pkg) => (dev.has(pkg) ? true : prod.has(pkg) ? false : null),
    ...overrides,
  };
}

function short(provider: Provider): string {
  if (provider.kind === 'package') return `${provider.dev ? 'dev' : 'prod'}:${provider.name}`;
  return provider.kind;
}

/** Each use as `program provider` (`babel-node dev:@babel/node`), in order. */
function uses(p: StartPathProject, command: string | (string | null)[][], readScript?: ScriptReader): string[] {
  const commands = typeof command === 'string' ? calledCommands(command)! : command;
  const result = readStartPath(p, commands, { readScript });
  if ('problem' in result) throw new Error(`unexpected problem: ${result.problem}`);
  return result.uses.map((u) => `${u.program} ${short(u.provider)}`);
}

function problem(p: StartPathProject, command: string | (string | null)[][], readScript?: ScriptReader): string {
  const commands = typeof command === 'string' ? calledCommands(command)! : command;
  const result = readStartPath(p, commands, { readScript });
  if (!('problem' in result)) throw new Error(`expected a problem, got ${JSON.stringify(result.uses)}`);
  return result.problem;
}

/**
 * A reader that gives quoted words' values, as calledCommands does not yet: the scripts listed are
 * split as a shell would split them; the rest go to calledCommands.
 */
function quotedReader(table: Record<string, (string | null)[][]>): ScriptReader {
  return (script) => table[script] ?? calledCommands(script);
}

// Each case: scripts, the start command (a shell-form CMD), and the uses expected in order.
const CASES: { name: string; scripts?: Record<string, string>; command: string; expect: string[] }[] = [
  { name: 'node itself', command: 'node server.js', expect: ['node runtime'] },
  { name: 'the issue: nodemon --exec babel-node', scripts: { start: 'nodemon --exec babel-node index.js' }, command: 'npm start', expect: ['npm runtime', 'nodemon dev:nodemon', 'babel-node dev:@babel/node'] },
  { name: 'nodemon -x', scripts: { dev: 'nodemon -x tsx src/app.ts' }, command: 'npm run dev', expect: ['npm runtime', 'nodemon dev:nodemon', 'tsx dev:tsx'] },
  { name: "nodemon's default for a .ts script is ts-node", command: 'nodemon --watch src src/index.ts', expect: ['nodemon dev:nodemon', 'ts-node dev:ts-node'] },
  { name: 'nodemon runs a .js script with node, with its preloads', command: 'nodemon -r dotenv/config index.js', expect: ['nodemon dev:nodemon', 'dotenv/config prod:dotenv', 'node runtime'] },
  { name: 'nodemon without a script runs the start script', scripts: { start: 'tsx index.ts' }, command: 'nodemon', expect: ['nodemon dev:nodemon', 'node runtime', 'tsx dev:tsx'] },
  { name: 'pre and post hooks', scripts: { prestart: 'tsc', start: 'node dist/index.js', poststart: 'jest' }, command: 'npm start', expect: ['npm runtime', 'tsc dev:typescript', 'node runtime', 'jest dev:jest'] },
  { name: 'npm run-script with hooks', scripts: { preserve: 'tsc', serve: 'node x' }, command: 'npm run-script serve', expect: ['npm runtime', 'tsc dev:typescript', 'node runtime'] },
  { name: 'npm test, npm t', scripts: { test: 'jest' }, command: 'npm t', expect: ['npm runtime', 'jest dev:jest'] },
  { name: 'npm restart without a restart script runs stop and start', scripts: { stop: 'tsc', start: 'tsx x' }, command: 'npm restart', expect: ['npm runtime', 'tsc dev:typescript', 'tsx dev:tsx'] },
  { name: 'npm start without a start script runs node server.js', command: 'npm start', expect: ['npm runtime', 'node runtime'] },
  { name: 'a script calling itself', scripts: { start: 'npm start && tsx x' }, command: 'npm start', expect: ['npm runtime', 'npm runtime', 'tsx dev:tsx'] },
  { name: 'scripts calling each other', scripts: { a: 'npm run b', b: 'npm run a && jest' }, command: 'npm run a', expect: ['npm runtime', 'npm runtime', 'npm runtime', 'jest dev:jest'] },
  { name: 'arguments after -- are appended to the script', scripts: { start: 'nodemon' }, command: 'npm start -- --exec tsx app.ts', expect: ['npm runtime', 'nodemon dev:nodemon', 'tsx dev:tsx'] },
  { name: 'one script with other arguments is followed again', scripts: { start: 'nodemon' }, command: 'npm start -- --exec tsx a.ts && npm start -- --exec babel-node b.js', expect: ['npm runtime', 'nodemon dev:nodemon', 'tsx dev:tsx', 'babel-node dev:@babel/node'] },
  { name: 'npm -s / --silent / --prefix .', scripts: { build: 'tsc' }, command: 'npm --prefix . run -s build --silent', expect: ['npm runtime', 'tsc dev:typescript'] },
  { name: 'npx X', command: 'npx tsx x.ts', expect: ['npx runtime', 'tsx dev:tsx'] },
  { name: 'npx -y', command: 'npx -y --quiet babel-node x.js', expect: ['npx runtime', 'babel-node dev:@babel/node'] },
  { name: 'npx downloads what no package provides', command: 'npx --yes cowsay hi', expect: ['npx runtime', 'cowsay unknown'] },
  { name: 'npx -p pkg', command: 'npx -p @babel/node babel-node x.js', expect: ['npx runtime', '@babel/node dev:@babel/node', 'babel-node dev:@babel/node'] },
  { name: 'npx --package=pkg@version', command: 'npx --package=pm2@5 pm2-runtime app.js', expect: ['npx runtime', 'pm2 prod:pm2', 'pm2-runtime prod:pm2', 'node runtime'] },
  { name: 'npm exec --', command: 'npm exec -- tsx x', expect: ['npm runtime', 'tsx dev:tsx'] },
  { name: 'yarn X runs the script X', scripts: { dev: 'tsx x' }, command: 'yarn dev', expect: ['yarn system', 'tsx dev:tsx'] },
  { name: 'yarn run X with hooks', scripts: { predev: 'tsc', dev: 'node x' }, command: 'yarn run dev', expect: ['yarn system', 'tsc dev:typescript', 'node runtime'] },
  { name: 'yarn X with no such script runs the bin X', command: 'yarn nodemon x.js', expect: ['yarn system', 'nodemon dev:nodemon', 'node runtime'] },
  { name: 'yarn exec', command: 'yarn exec ts-node x.ts', expect: ['yarn system', 'ts-node dev:ts-node'] },
  { name: 'yarn dlx downloads at run time', command: 'yarn dlx serve', expect: ['yarn system', 'serve unknown'] },
  { name: 'pnpm X', scripts: { serve: 'babel-node x' }, command: 'pnpm serve', expect: ['pnpm system', 'babel-node dev:@babel/node'] },
  { name: 'pnpm run X', scripts: { serve: 'babel-node x' }, command: 'pnpm run serve', expect: ['pnpm system', 'babel-node dev:@babel/node'] },
  { name: 'pnpm exec', command: 'pnpm exec tsx x', expect: ['pnpm system', 'tsx dev:tsx'] },
  { name: 'pnpm dlx', command: 'pnpm dlx tsx x', expect: ['pnpm system', 'tsx unknown'] },
  { name: 'pnpm start without a start script runs node server.js', command: 'pnpm start', expect: ['pnpm system', 'node runtime'] },
  { name: 'cross-env A=1 B=2 X', command: 'cross-env NODE_ENV=production PORT=80 tsx x', expect: ['cross-env prod:cross-env', 'tsx dev:tsx'] },
  { name: "cross-env's NODE_OPTIONS preloads", command: 'cross-env NODE_OPTIONS=--require=@swc/register node x', expect: ['cross-env prod:cross-env', '@swc/register dev:@swc/register', 'node runtime'] },
  { name: 'cross-env-shell', command: 'cross-env-shell A=1 tsx x', expect: ['cross-env-shell prod:cross-env', 'tsx dev:tsx'] },
  { name: 'env -i A=1 X', command: 'env -i PATH=/bin NODE_ENV=production tsx x', expect: ['env system', 'tsx dev:tsx'] },
  { name: '/usr/bin/env -S', command: '/usr/bin/env -S tsx x.ts', expect: ['/usr/bin/env system', 'tsx dev:tsx'] },
  { name: 'dotenv -e … -- X', command: 'dotenv -e .env -e .env.local -- babel-node x', expect: ['dotenv prod:dotenv-cli', 'babel-node dev:@babel/node'] },
  { name: 'dotenv X without --', command: 'dotenv -e .env tsx x', expect: ['dotenv prod:dotenv-cli', 'tsx dev:tsx'] },
  { name: 'concurrently npm: shorthand with a glob, and a command', scripts: { 'watch-js': 'babel-node x', 'watch-css': 'node y', other: 'jest' }, command: 'concurrently -k -n js,css npm:watch-* tsx', expect: ['concurrently prod:concurrently', 'babel-node dev:@babel/node', 'node runtime', 'tsx dev:tsx'] },
  { name: 'npm-run-all -p with a glob within one segment', scripts: { 'build:a': 'tsx a', 'build:b:c': 'jest' }, command: 'npm-run-all -p build:*', expect: ['npm-run-all prod:npm-run-all', 'tsx dev:tsx'] },
  { name: 'run-s with ** across segments', scripts: { 'build:a': 'tsx a', 'build:b:c': 'jest' }, command: 'run-s build:**', expect: ['run-s prod:npm-run-all', 'tsx dev:tsx', 'jest dev:jest'] },
  { name: 'run-p scripts with their hooks', scripts: { prea: 'tsc', a: 'node a', b: 'node b' }, command: 'run-p --race a b', expect: ['run-p prod:npm-run-all', 'tsc dev:typescript', 'node runtime', 'node runtime'] },
  { name: 'sh -c', command: 'sh -c tsx', expect: ['sh system', 'tsx dev:tsx'] },
  { name: 'bash -ec', command: 'bash -ec jest', expect: ['bash system', 'jest dev:jest'] },
  { name: 'sh file is a file', command: 'sh ./start.sh', expect: ['sh system'] },
  { name: 'exec, nohup, time', command: 'exec nohup time -p tsx x', expect: ['nohup system', 'tsx dev:tsx'] },
  { name: 'tini --, gosu user', command: 'tini -s -- gosu node tsx x', expect: ['tini system', 'gosu system', 'tsx dev:tsx'] },
  { name: 'pm2-runtime start file', command: 'pm2-runtime start dist/app.js -i max', expect: ['pm2-runtime prod:pm2', 'node runtime'] },
  { name: 'pm2 start npm -- start', scripts: { start: 'tsx x' }, command: 'pm2 start npm --name web -- start', expect: ['pm2 prod:pm2', 'npm runtime', 'tsx dev:tsx'] },
  { name: 'pm2 start a .ts file runs ts-node', command: 'pm2 start src/app.ts', expect: ['pm2 prod:pm2', 'ts-node dev:ts-node'] },
  { name: 'pm2 --interpreter', command: 'pm2-runtime start app.js --interpreter babel-node', expect: ['pm2-runtime prod:pm2', 'babel-node dev:@babel/node'] },
  { name: 'pm2 --node-args preloads', command: 'pm2-runtime app.js --node-args=--require=ts-node/register', expect: ['pm2-runtime prod:pm2', 'ts-node/register dev:ts-node', 'node runtime'] },
  { name: 'pm2 ecosystem file is not read', command: 'pm2-runtime ecosystem.config.js', expect: ['pm2-runtime prod:pm2', 'ecosystem.config.js unknown'] },
  { name: 'forever start file', command: 'forever start app.js', expect: ['forever prod:forever', 'node runtime'] },
  { name: 'forever -c command', command: 'forever start -c tsx app.ts', expect: ['forever prod:forever', 'tsx dev:tsx'] },
  { name: 'ts-node -r', command: 'ts-node -r tsconfig-paths/register src/x.ts', expect: ['ts-node dev:ts-node', 'tsconfig-paths/register dev:tsconfig-paths'] },
  { name: 'ts-node-dev / tsnd', command: 'tsnd --respawn src/x.ts', expect: ['tsnd dev:ts-node-dev'] },
  { name: 'babel-node', command: 'babel-node index.js', expect: ['babel-node dev:@babel/node'] },
  { name: 'babel-node -r', command: 'babel-node -r @babel/register x.js', expect: ['babel-node dev:@babel/node', '@babel/register dev:@babel/register'] },
  { name: 'tsx --import', command: 'tsx --import dotenv/config x.ts', expect: ['tsx dev:tsx', 'dotenv/config prod:dotenv'] },
  { name: 'tsnd -r', command: 'tsnd -r tsconfig-paths/register x.ts', expect: ['tsnd dev:ts-node-dev', 'tsconfig-paths/register dev:tsconfig-paths'] },
  { name: 'ts-node-dev --require', command: 'ts-node-dev --respawn --require dotenv/config x.ts', expect: ['ts-node-dev dev:ts-node-dev', 'dotenv/config prod:dotenv'] },
  { name: 'nodejs -r', command: 'nodejs -r tsx x', expect: ['nodejs runtime', 'tsx dev:tsx'] },
  { name: 'nice -n', command: 'nice -n 10 tsx x', expect: ['nice system', 'tsx dev:tsx'] },
  { name: 'dumb-init', command: 'dumb-init --single-child tsx x', expect: ['dumb-init system', 'tsx dev:tsx'] },
  { name: 'su-exec user', command: 'su-exec node:node tsx x', expect: ['su-exec system', 'tsx dev:tsx'] },
  { name: 'pm2-dev file', command: 'pm2-dev src/app.ts', expect: ['pm2-dev system', 'ts-node dev:ts-node'] },
  { name: 'node --loader', command: 'node --loader ts-node/esm x.ts', expect: ['node runtime', 'ts-node/esm dev:ts-node'] },
  { name: 'node --import', command: 'node --import tsx x.ts', expect: ['node runtime', 'tsx dev:tsx'] },
  { name: 'node --experimental-loader= with a scoped package', command: 'node --experimental-loader=@babel/register/experimental-worker x', expect: ['node runtime', '@babel/register/experimental-worker dev:@babel/register'] },
  { name: 'node --require a relative file or a builtin needs nothing', command: 'node -r ./setup.js --require node:fs x', expect: ['node runtime'] },
  { name: 'options after the script belong to the script', command: 'node server.js -r tsx', expect: ['node runtime'] },
  { name: 'node_modules/.bin paths are bins', command: './node_modules/.bin/babel-node x', expect: ['./node_modules/.bin/babel-node dev:@babel/node'] },
  { name: '/usr/local/bin/node is node', command: '/usr/local/bin/node x', expect: ['/usr/local/bin/node runtime'] },
  { name: 'a file is system', command: './start.sh && dist/cli.js', expect: ['./start.sh system', 'dist/cli.js system'] },
  { name: 'a program no package provides is system', command: 'curl -f http://localhost/ || exit 1', expect: ['curl system', 'exit system'] },
  { name: 'a variable as an argument is ignored', command: 'node $SCRIPT', expect: ['node runtime'] },
];

for (const c of CASES) {
  test(`follows ${c.name}`, () => {
    assert.equal(uses(project(c.scripts), c.command), c.expect);
  });
}

test('every shell runs its -c script', () => {
  for (const shell of ['sh', 'bash', 'dash', 'ash', 'zsh', '/bin/sh']) assert.equal(uses(project(), `${shell} -c tsx`), [`${shell} system`, 'tsx dev:tsx'], shell);
});

test('exec-form words are followed as one command', () => {
  assert.equal(uses(project({ start: 'tsx x' }), [['npm', 'run', 'start']]), ['npm runtime', 'tsx dev:tsx']);
});

test('a program named by a variable is a problem', () => {
  assert.match(problem(project(), 'node x && $CMD'), 'runs a program named by a variable');
  assert.match(problem(project({ start: 'cross-env A=1 $RUN' }), 'npm start'), 'cross-env in the "start" script runs a program named by a variable');
});

test('an npm script named by a variable is a problem', () => {
  assert.match(problem(project(), 'npm run $TASK'), 'npm script named by a variable');
});

test('another package.json\'s scripts are a problem', () => {
  assert.match(problem(project(), 'npm --prefix server start'), 'npm --prefix server: the scripts of another package.json');
  assert.match(problem(project(), 'yarn workspace api start'), 'another package.json');
  assert.match(problem(project(), 'pnpm --filter api start'), 'another package.json');
});

test('a script the shell parser cannot read is a problem', () => {
  assert.match(problem(project({ start: 'node x && (' }), 'npm start'), 'the "start" script cannot be read by the shell parser');
});

test('a preload named by a variable is a problem', () => {
  assert.match(problem(project(), 'node -r $PRELOAD x'), 'node -r in the start command preloads a module that is not a plain word');
});

test('nesting deeper than the bound is a problem, not a stack overflow', () => {
  const scripts: Record<string, string> = {};
  for (let i = 0; i < MAX_START_PATH_DEPTH + 4; i++) scripts[`s${i}`] = `npm run s${i + 1}`;
  assert.match(problem(project(scripts), 'npm run s0'), `more than ${MAX_START_PATH_DEPTH} deep`);
  delete scripts[`s${MAX_START_PATH_DEPTH - 4}`];
  assert.ok('uses' in readStartPath(project(scripts), [['npm', 'run', 's0']]), 'a chain within the bound is followed');
});

// Quoted words: calledCommands gives null for them, so today these are declined; a reader that
// gives their values has them followed.
test('quoted commands are declined with the shell reader as it is', () => {
  assert.match(problem(project({ start: 'nodemon --exec "babel-node index.js"' }), 'npm start'), 'nodemon --exec in the "start" script runs a command that is not a plain word');
  assert.match(problem(project(), `sh -c 'tsx x'`), 'sh -c in the start command runs a script that is not a plain word');
  assert.match(problem(project(), 'concurrently "npm:a" "tsx x"'), 'concurrently in the start command runs a command that is not a plain word');
  assert.match(problem(project(), `npm-run-all 'build -- --watch'`), 'npm-run-all in the start command runs a script that is not a plain word');
});

test('quoted commands are followed by a reader that gives their values', () => {
  const reader = quotedReader({
    'nodemon --exec "babel-node index.js"': [['nodemon', '--exec', 'babel-node index.js']],
    'concurrently "npm:web" "tsx worker.ts"': [['concurrently', 'npm:web', 'tsx worker.ts']],
    "sh -c 'node a && jest'": [['sh', '-c', 'node a && jest']],
  });
  assert.equal(uses(project({ start: 'nodemon --exec "babel-node index.js"' }), 'npm start', reader), ['npm runtime', 'nodemon dev:nodemon', 'babel-node dev:@babel/node']);
  assert.equal(uses(project({ web: 'node web' }), [['concurrently', 'npm:web', 'tsx worker.ts']], reader), ['concurrently prod:concurrently', 'node runtime', 'tsx dev:tsx']);
  assert.equal(uses(project(), [['sh', '-c', 'node a && jest']], reader), ['sh system', 'node runtime', 'jest dev:jest']);
});

test('via says where each program was found', () => {
  const result = readStartPath(project({ start: 'cross-env A=1 nodemon --exec babel-node index.js' }), [['npm', 'start']]);
  assert.ok('uses' in result);
  if ('uses' in result) {
    assert.equal(
      result.uses.map((u: StartUse) => `${u.program} @ ${u.via}`),
      ['npm @ the start command', 'cross-env @ the "start" script', 'nodemon @ cross-env in the "start" script', 'babel-node @ nodemon --exec in cross-env in the "start" script'],
    );
  }
});

test('devOrUnknownUse names the program and the package', () => {
  const result = readStartPath(project({ start: 'cross-env A=1 babel-node index.js' }), [['npm', 'start']]);
  assert.ok('uses' in result);
  if ('uses' in result) assert.is(devOrUnknownUse(result.uses), 'cross-env in the "start" script runs babel-node, from the dev dependency @babel/node, which the runtime stage leaves out');
  const fine = readStartPath(project({ start: 'cross-env A=1 node index.js' }), [['npm', 'start']]);
  assert.ok('uses' in fine && devOrUnknownUse(fine.uses) === null);
});

test('a bin provided by both a dev and a production package is not dev', () => {
  const p = project({}, { binProviders: (program) => (program === 'babel' ? ['babel-cli', '@babel/cli'] : []), isDevOnly: (pkg) => pkg === 'babel-cli' });
  assert.equal(uses(p, 'babel src'), ['babel prod:@babel/cli']);
  const allDev = project({}, { binProviders: (program) => (program === 'babel' ? ['babel-cli', '@babel/cli'] : []), isDevOnly: () => true });
  assert.equal(uses(allDev, 'babel src'), ['babel dev:babel-cli']);
});

test('without bin entries: a direct dependency named like the program, else unknown naming it', () => {
  const p = project({ start: 'nodemon --exec babel-node index.js' }, { binProviders: () => null });
  const result = readStartPath(p, [['npm', 'start']]);
  assert.ok('uses' in result);
  if (!('uses' in result)) return;
  assert.equal(result.uses.map((u) => `${u.program} ${short(u.provider)}`), ['npm runtime', 'nodemon dev:nodemon', 'babel-node unknown']);
  assert.equal(result.uses[2]!.provider, { kind: 'unknown', why: 'no lockfile with bin entries tells which package provides babel-node' });
});

test('packageOfSpecifier: scoped names, subpaths, files and builtins', () => {
  assert.is(packageOfSpecifier('@babel/register/lib/node'), '@babel/register');
  assert.is(packageOfSpecifier('dotenv/config'), 'dotenv');
  assert.is(packageOfSpecifier('tsx'), 'tsx');
  assert.is(packageOfSpecifier('./setup.js'), null);
  assert.is(packageOfSpecifier('/app/setup.js'), null);
  assert.is(packageOfSpecifier('node:fs'), null);
  assert.is(packageOfSpecifier('file:///x.js'), null);
  assert.is(packageOfSpecifier('fs'), null);
});

// ---------------------------------------------------------------------------------------------
// Lockfiles: __fixtures__/start-path/package-lock.json is a real lockfile v3 made by
// `npm install --package-lock-only` for nodemon, @babel/node, @babel/core (dev) and cross-env,
// trimmed to the entries the tests read.

const LOCK = fs.readFileSync(path.join(FIXTURES, 'start-path', 'package-lock.json'), 'utf8');
const MANIFEST = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'start-path', 'package.json'), 'utf8')) as Record<string, any>;

test('npmLockBins: v3 bins, a scoped package, a package with several bins', () => {
  const bins = npmLockBins(LOCK)!;
  assert.equal(bins.get('babel-node'), ['@babel/node']);
  assert.equal(bins.get('cross-env'), ['cross-env']);
  assert.equal(bins.get('cross-env-shell'), ['cross-env']);
  assert.equal(bins.get('nodetouch'), ['touch']);
  assert.equal(bins.get('node-which'), ['which']);
  assert.is(bins.get('touch'), undefined, 'the program is the bin name, not the package name');
});

test('npmLockBins: a nested node_modules/a/node_modules/b is not on the scripts\' PATH', () => {
  assert.equal(npmLockBins(LOCK)!.get('semver'), ['semver']); // not nodemon/node_modules/semver too
  const lock = JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/a/node_modules/b': { version: '1.0.0', bin: { bee: 'cli.js' } } } });
  assert.is(npmLockBins(lock)!.get('bee'), undefined);
});

test('npmLockBins: a string bin, a workspace link, two packages with one bin', () => {
  const lock = JSON.stringify({
    lockfileVersion: 2,
    packages: {
      '': { name: 'root', workspaces: ['packages/*'] },
      'node_modules/@acme/tool': { version: '1.0.0', bin: 'cli.js' },
      'node_modules/@acme/web': { resolved: 'packages/web', link: true },
      'packages/web': { name: '@acme/web', version: '1.0.0', bin: { 'acme-web': 'bin.js' } },
      'node_modules/babel-cli': { version: '6.26.0', dev: true, bin: { babel: 'bin/babel.js' } },
      'node_modules/@babel/cli': { version: '7.24.0', bin: { babel: 'bin/babel.js' } },
    },
  });
  const bins = npmLockBins(lock)!;
  assert.equal(bins.get('tool'), ['@acme/tool']);
  assert.equal(bins.get('acme-web'), ['@acme/web']);
  assert.equal(bins.get('babel'), ['babel-cli', '@babel/cli']);
  const p = startPathProject({ devDependencies: { 'babel-cli': '6' }, dependencies: { '@babel/cli': '7' } }, lock);
  assert.equal(uses(p, 'babel src'), ['babel prod:@babel/cli']);
});

test('npmLockBins: lockfile v1 and unreadable text have no bin information', () => {
  assert.is(npmLockBins(JSON.stringify({ lockfileVersion: 1, dependencies: { nodemon: { version: '2.0.0', dev: true } } })), null);
  assert.is(npmLockBins('{ not json'), null);
  assert.is(npmLockBins('[]'), null);
});

test('npmLockDevOnly: v3 dev flags, the top-level copy answers, nested-only packages', () => {
  const devOnly = npmLockDevOnly(LOCK);
  assert.is(devOnly('@babel/node'), true);
  assert.is(devOnly('nodemon'), true);
  assert.is(devOnly('cross-env'), false);
  assert.is(devOnly('which'), false);
  assert.is(devOnly('left-pad'), null);
  const lock = JSON.stringify({
    lockfileVersion: 3,
    packages: {
      'node_modules/semver': { dev: true },
      'node_modules/x/node_modules/semver': {},
      'node_modules/a/node_modules/b': {},
      'node_modules/c/node_modules/d': { dev: true },
      'node_modules/e/node_modules/d': { devOptional: true },
    },
  });
  const nested = npmLockDevOnly(lock);
  assert.is(nested('semver'), true, 'the copy a bin or require from the root finds is pruned');
  assert.is(nested('b'), false);
  assert.is(nested('d'), true);
});

test('npmLockDevOnly: lockfile v1 dev flags at any depth', () => {
  const lock = JSON.stringify({ lockfileVersion: 1, dependencies: { nodemon: { version: '2.0.0', dev: true, dependencies: { chalk: { dev: true } } }, express: { version: '4.0.0' } } });
  const devOnly = npmLockDevOnly(lock);
  assert.is(devOnly('nodemon'), true);
  assert.is(devOnly('chalk'), true);
  assert.is(devOnly('express'), false);
  assert.is(devOnly('tsx'), null);
});

test('npmLockPeers: required peers, optional ones left out', () => {
  assert.equal(npmLockPeers(LOCK)('@babel/node'), ['@babel/core']);
  assert.equal(npmLockPeers(LOCK)('cross-env'), []);
  assert.is(npmLockPeers(LOCK)('left-pad'), null);
  const lock = JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/ts-node': { peerDependencies: { typescript: '>=2.7', '@swc/core': '>=1' }, peerDependenciesMeta: { '@swc/core': { optional: true } } } } });
  assert.equal(npmLockPeers(lock)('ts-node'), ['typescript']);
});

test('the issue\'s project from its real lockfile: babel-node from @babel/node, and its peer @babel/core', () => {
  const p = startPathProject(MANIFEST, LOCK);
  assert.equal(uses(p, 'npm start'), ['npm runtime', 'nodemon dev:nodemon', 'babel-node dev:@babel/node', '@babel/core dev:@babel/core']);
});

test('a production babel-node still needs its dev peer @babel/core', () => {
  const manifest = { scripts: { start: 'babel-node index.js' }, dependencies: { '@babel/node': '7' }, devDependencies: { '@babel/core': '7' } };
  const lock = JSON.parse(LOCK) as { packages: Record<string, { dev?: boolean }> };
  delete lock.packages['node_modules/@babel/node']!.dev;
  const result = readStartPath(startPathProject(manifest, JSON.stringify(lock)), [['npm', 'start']]);
  assert.ok('uses' in result);
  if ('uses' in result) assert.is(devOrUnknownUse(result.uses), 'babel-node\'s peer dependency in the "start" script runs @babel/core, from the dev dependency @babel/core, which the runtime stage leaves out');
});

test('lockfile v1 falls back to direct dependencies named like the program', () => {
  const manifest = { scripts: { start: 'nodemon --exec babel-node index.js' }, devDependencies: { nodemon: '2', '@babel/node': '7' } };
  const v1 = JSON.stringify({ lockfileVersion: 1, dependencies: { nodemon: { version: '2.0.0', dev: true }, '@babel/node': { version: '7.0.0', dev: true } } });
  for (const lock of [v1, null]) {
    const result = readStartPath(startPathProject(manifest, lock), [['npm', 'start']]);
    assert.ok('uses' in result);
    if (!('uses' in result)) continue;
    assert.equal(result.uses.map((u) => `${u.program} ${short(u.provider)}`), ['npm runtime', 'nodemon dev:nodemon', 'babel-node unknown']);
    assert.match(devOrUnknownUse(result.uses)!, 'runs nodemon, from the dev dependency nodemon');
  }
});

test('startPathProject: optional dependencies are production, non-string scripts are dropped', () => {
  const p = startPathProject({ scripts: { start: 'tsx x', bad: 1 }, optionalDependencies: { tsx: '4' } }, null);
  assert.equal(Object.keys(p.scripts), ['start']);
  assert.equal(uses(p, 'npm start'), ['npm runtime', 'tsx prod:tsx']);
  assert.is(p.binProviders('tsx'), null);
});

test.run();
