// Messages quote at most a short token of the file (issue #14): a Dockerfile-named file of someone
// else's repository may hold anything, and stageopt's log may be public.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { preflight } from '../src/preflight.js';
import { safeMessage, token } from '../src/quote.js';
import { TRANSFORMS } from '../transforms/index.js';
import { folderContext } from '../src/build-context.js';
import { engineWith, makeTree } from './helpers.js';
import { Source } from '../src/source.js';

const SECRET = 'ROOT:X:0:0:ROOT:/ROOT:/BIN/BASH';

test('token: the leading word, at most 24 characters, … for what was left out', () => {
  assert.is(token('EXPOSO'), 'EXPOSO');
  assert.is(token(SECRET), 'ROOT…');
  assert.is(token('a'.repeat(40)), `${'a'.repeat(24)}…`);
  assert.is(token('  stage name  '), 'stage…');
  assert.is(token('$(cat /etc/shadow)'), '…');
});

const cases: [string, string][] = [
  ['a passwd file named like a Dockerfile', `${SECRET}\nDAEMON:X:1:1:DAEMON:/USR/SBIN:/USR/SBIN/NOLOGIN\n`],
  ['an unknown instruction after FROM', `FROM alpine\n${SECRET} and more\n`],
  ['an invalid stage name', `FROM alpine AS ${SECRET.toLowerCase()}\n`],
  ['a stage name used twice', `FROM alpine AS a-very-long-stage-name-that-goes-on-and-on\nFROM alpine AS a-very-long-stage-name-that-goes-on-and-on\n`],
  ['a --from naming no stage', `FROM alpine\nCOPY --from=${'x'.repeat(60)} /a /a\n`],
  ['an image name with capitals', `FROM Registry.Example.com/Secret/Image:${'t'.repeat(30)}\n`],
];

for (const [name, text] of cases) {
  test(`${name}: the reason quotes no more than a token`, () => {
    const result = preflight(Source.fromText(text), 'full');
    assert.is(result.ok, false);
    const reason = (result as { reason: string }).reason;
    assert.not.match(reason, /BIN\/BASH|ROOT:X|\/ROOT/);
    // No run of 25 or more characters of the file's own text survives in the message.
    for (const word of text.split(/[\s=]+/).filter((w) => w.length >= 25)) assert.not.ok(reason.includes(word), `${reason} quotes ${word}`);
  });
}

test('safeMessage: quoted parts cut to 40 characters, terminal escapes and bidi overrides gone', () => {
  const long = `npm run ${'x'.repeat(100)}`;
  assert.is(safeMessage(`RUN at line 3 runs "${long}"; cannot tell`), `RUN at line 3 runs "${long.slice(0, 40)}…"; cannot tell`);
  assert.is(safeMessage('runs "short"'), 'runs "short"');
  assert.is(safeMessage('runs "a\u001b[31mred\u001b[0m\u202eb"'), 'runs "a [31mred [0m b"');
});

test('every decline of a transform goes through safeMessage: a 300-character command is not reproduced', () => {
  const command = `./scripts/${'s'.repeat(300)}.sh`;
  const text = `FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && ${command}\nCMD ["node", "index.js"]\n`;
  const context = folderContext(makeTree({ 'package.json': '{"name":"x","dependencies":{"ms":"^2.1.3"}}' }));
  const result = engineWith(text, TRANSFORMS, { unsafe: true, context });
  const messages = [...result.declines.map((d) => d.message), ...result.fixes.map((f) => f.message)];
  assert.ok(messages.some((m) => m.includes('./scripts/sss')), `split-stages names the command: ${JSON.stringify(messages)}`);
  for (const m of messages) assert.not.ok(m.includes('s'.repeat(41)), `${m} quotes the command whole`);
});

test.run();
