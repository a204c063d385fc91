// Which start paths compile the app as it starts (src/stacks/node/compile-at-start.ts): the split
// declines those by default. Read from the uses the start path records, so the subcommand counts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compilerAtStart } from '../src/stacks/node/compile-at-start.js';
import { readStartPath, startPathProject } from '../src/stacks/node/start-path.js';

/** The compiler the start path `command` reaches through the given scripts, or null. */
function compiler(scripts: Record<string, string>, command: string[], devDependencies: Record<string, string>): string | null {
  const read = readStartPath(startPathProject({ scripts, devDependencies }, null), [command]);
  if ('problem' in read) throw new Error(read.problem);
  return read.uses.map(compilerAtStart).find((c) => c !== null) ?? null;
}

test('compilers and dev servers compile at start', () => {
  assert.is(compiler({ start: 'nodemon --exec babel-node index.js' }, ['npm', 'start'], { nodemon: '3', '@babel/node': '7' }), 'babel-node');
  assert.is(compiler({ start: 'ts-node src/index.ts' }, ['npm', 'start'], { 'ts-node': '10' }), 'ts-node');
  assert.is(compiler({ dev: 'vite --host 0.0.0.0' }, ['npm', 'run', 'dev'], { vite: '5' }), 'vite');
  assert.is(compiler({ dev: 'next dev -p 3000' }, ['npm', 'run', 'dev'], { next: '14' }), 'next dev');
  assert.is(compiler({ start: 'react-scripts start' }, ['npm', 'start'], { 'react-scripts': '5' }), 'react-scripts start');
  assert.is(compiler({ start: 'ng serve --host 0.0.0.0' }, ['npm', 'start'], { '@angular/cli': '17' }), 'ng serve');
});

test('a preloaded compiling module compiles at start; other preloads do not', () => {
  assert.is(compiler({}, ['node', '-r', 'ts-node/register', 'src/index.ts'], { 'ts-node': '10' }), 'ts-node/register');
  assert.is(compiler({}, ['node', '--import', 'tsx', 'src/index.ts'], { tsx: '4' }), 'tsx');
  assert.is(compiler({}, ['node', '-r', 'dotenv/config', 'server.js'], { dotenv: '16' }), null);
});

test('a build output served or started is no compile at start', () => {
  assert.is(compiler({ start: 'vite preview' }, ['npm', 'start'], { vite: '5' }), null);
  assert.is(compiler({ start: 'next start' }, ['npm', 'start'], { next: '14' }), null);
  assert.is(compiler({ start: 'nodemon dist/server.js' }, ['npm', 'start'], { nodemon: '3' }), null);
});

test.run();
