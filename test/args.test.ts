// Two parsers read one option table: yargs-parser for ordinary command lines (fast start-up) and
// full yargs for help and errors. They must agree on every command line the fast one accepts, and
// the fast one must hand everything unusual to yargs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fastParse, fullParse, STDIN } from '../src/args.js';

const ACCEPTED = [
  [],
  ['.'],
  ['--dry-run', 'a', 'b'],
  ['--write', '--only', 'name-stages', 'svc'],
  ['--only', 'name-stages,manifest-first', '--skip', 'x', '--unsafe', 'dir'],
  ['--ignore', 'legacy/', '--ignore', 'vendor/**', 'repo'],
  ['-j', '2', '--quiet', '--format', 'json', 'a'],
  ['--jobs=3', '--no-color', '--format=sarif', '--patch-dir', '/tmp/p', 'x'],
  ['--color', '-q', '--trust-config', '--repos-from', 'list.txt'],
  ['--context', 'ctx', '--stdin-filepath', 'a/Dockerfile', STDIN],
  ['--list-transforms'],
  ['--explain', 'name-stages'],
];

const REFUSED = [['--bogus'], ['--format', 'xml'], ['--dry-run', '--write'], ['--jobs', 'many'], ['--context'], ['--explain']];

for (const argv of ACCEPTED) {
  test(`fast and full parse agree: ${JSON.stringify(argv)}`, async () => {
    const fast = fastParse(argv);
    assert.ok(fast, 'the fast path should accept this command line');
    const full = await fullParse([...argv], '0.0.0');
    const keys = ['paths', 'dryRun', 'write', 'only', 'skip', 'unsafe', 'ignore', 'trustConfig', 'jobs', 'reposFrom', 'context', 'stdinFilepath', 'format', 'patchDir', 'quiet', 'color', 'listTransforms', 'explain'] as const;
    for (const key of keys) assert.equal(fast![key], full[key], `${key}: fast ${JSON.stringify(fast![key])} vs yargs ${JSON.stringify(full[key])}`);
  });
}

test('the fast path hands unusual command lines to yargs', () => {
  for (const argv of REFUSED) assert.is(fastParse(argv), null, JSON.stringify(argv));
});

test.run();
