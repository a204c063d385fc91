// Whether a lockfile agrees with package.json (src/stacks/node/lock-sync.ts): the check that stands
// between reproducible-install and a build `npm ci` or a frozen install would stop.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { npmLockDisagreement, pnpmLockDisagreement, satisfies, yarnLockDisagreement } from '../src/stacks/node/lock-sync.js';

test('satisfies: the ranges package.json files hold', () => {
  const yes: [string, string][] = [
    ['2.1.3', '^2.1.3'], ['2.9.0', '^2.1.3'], ['0.2.9', '^0.2.3'], ['0.0.3', '^0.0.3'], ['1.2.9', '~1.2.3'], ['1.9.0', '~1'],
    ['1.2.3', '1.2.3'], ['1.2.3', '=1.2.3'], ['1.2.7', '1.2.x'], ['1.5.0', '1'], ['3.0.0', '>=2.0.0'], ['9.9.9', '*'], ['9.9.9', ''],
    ['2.0.0', '^1.0.0 || ^2.0.0'], ['0.5.1', '^0.x'],
  ];
  const no: [string, string][] = [
    ['3.0.0', '^2.1.3'], ['2.1.2', '^2.1.3'], ['0.3.0', '^0.2.3'], ['0.0.4', '^0.0.3'], ['1.3.0', '~1.2.3'], ['1.2.4', '1.2.3'], ['1.9.0', '>=2.0.0'], ['3.0.0', '^1.0.0 || ^2.0.0'],
  ];
  for (const [v, r] of yes) assert.is(satisfies(v, r), true, `${v} satisfies ${r}`);
  for (const [v, r] of no) assert.is(satisfies(v, r), false, `${v} does not satisfy ${r}`);
  // Ranges it does not read are "cannot tell", never a guess.
  for (const r of ['latest', 'github:vercel/ms', '1.0.0 - 2.0.0', '>1.0.0 <2.0.0', 'npm:ms@^2', 'file:../ms']) assert.is(satisfies('1.5.0', r), null, r);
  assert.is(satisfies('1.0.0-beta.1', '^1.0.0'), null);
});

test('npm lockfileVersion 2/3: the root entry must equal package.json, both ways', () => {
  const pkg = { dependencies: { ms: '^2.1.3' }, devDependencies: { 'is-number': '^7.0.0' } };
  const lock = (root: object) => ({ lockfileVersion: 3, packages: { '': root } });
  assert.is(npmLockDisagreement(pkg, lock({ dependencies: { ms: '^2.1.3' }, devDependencies: { 'is-number': '^7.0.0' } }), 'package-lock.json'), null);
  assert.match(npmLockDisagreement(pkg, lock({ dependencies: { ms: '^2.1.3' } }), 'package-lock.json')!, 'does not record is-number');
  assert.match(npmLockDisagreement(pkg, lock({ dependencies: { ms: '^2.1.3', left: '1.0.0' }, devDependencies: { 'is-number': '^7.0.0' } }), 'package-lock.json')!, 'records left in dependencies, which package.json no longer has');
  // A dependency moved from devDependencies to dependencies changes what --omit=dev installs.
  assert.match(npmLockDisagreement(pkg, lock({ dependencies: { ms: '^2.1.3', 'is-number': '^7.0.0' } }), 'package-lock.json')!, 'out of date');
  assert.match(npmLockDisagreement(pkg, { packages: {} }, 'package-lock.json')!, 'no lockfileVersion');
  assert.match(npmLockDisagreement(pkg, { lockfileVersion: 2 }, 'package-lock.json')!, 'no root entry');
});

test('npm lockfileVersion 1: installed versions must satisfy the ranges', () => {
  const lock = { lockfileVersion: 1, dependencies: { ms: { version: '2.1.3' } } };
  assert.is(npmLockDisagreement({ dependencies: { ms: '^2.0.0' } }, lock, 'package-lock.json'), null);
  assert.match(npmLockDisagreement({ dependencies: { ms: '^3.0.0' } }, lock, 'package-lock.json')!, 'does not satisfy');
  assert.match(npmLockDisagreement({ dependencies: { debug: '^4.0.0' } }, lock, 'package-lock.json')!, 'does not hold debug');
  assert.match(npmLockDisagreement({ dependencies: { ms: 'latest' } }, lock, 'package-lock.json')!, 'cannot be told');
});

test('yarn.lock and pnpm-lock.yaml: an entry for every dependency range', () => {
  const pkg = { dependencies: { ms: '^2.1.3' } };
  assert.is(yarnLockDisagreement(pkg, 'ms@^2.1.3, ms@^2.1.1:\n  version "2.1.3"\n'), null);
  assert.is(yarnLockDisagreement(pkg, '__metadata:\n  version: 8\n\n"ms@npm:^2.1.3":\n  version: 2.1.3\n'), null);
  assert.match(yarnLockDisagreement(pkg, 'ms@^2.1.2:\n  version "2.1.3"\n')!, 'no entry for ms@^2.1.3');
  const v9 = "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      ms:\n        specifier: ^2.1.3\n        version: 2.1.3\n\npackages:\n";
  assert.is(pnpmLockDisagreement(pkg, v9), null);
  assert.match(pnpmLockDisagreement({ dependencies: { ms: '^2.1.2' } }, v9)!, 'asks for ^2.1.2');
  assert.is(pnpmLockDisagreement(pkg, "lockfileVersion: 5.4\n\nspecifiers:\n  ms: ^2.1.3\n\ndependencies:\n  ms: 2.1.3\n"), null);
  assert.match(pnpmLockDisagreement(pkg, 'lockfileVersion: 9\n')!, 'does not read');
});

test.run();
