// Inputs the mutation fuzzer (test/fuzz.test.ts) broke the engine with, reduced to a few lines each.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { insertAt } from '../src/edits.js';
import { andChain } from '../src/shell.js';
import { Source } from '../src/source.js';
import { readStages, resolveRef } from '../src/stages.js';
import { defineTransform } from '../src/transform.js';
import { folderContext } from '../src/build-context.js';
import { engineWith, makeTree } from './helpers.js';

const chain = (n: number, sep = ' \\\n  && ') => Array.from({ length: n }, (_, i) => `echo ${i}`).join(sep);

test('andChain: 10,000 continuation lines end in a reason, not a stack overflow', () => {
  const result = andChain(`npm ci${' \\\n  && echo x'.repeat(10_000)}`);
  assert.equal(result, { ok: false, reason: 'it is over 16 KB, more than stageopt reads' });
});

test('andChain: a chain of more than 500 commands under 16 KB is refused quickly', () => {
  const start = performance.now();
  const result = andChain(chain(600, '&&'));
  assert.equal(result, { ok: false, reason: 'it chains more than 500 commands, more than stageopt reads' });
  assert.ok(performance.now() - start < 1500, 'reading stops at the limit');
});

test('andChain: a long chain under the limits is read whole, in source order', () => {
  const result = andChain(chain(400));
  assert.ok(result.ok);
  if (result.ok) assert.equal(result.commands.map((c) => c.words[1]), Array.from({ length: 400 }, (_, i) => String(i)));
});

test('engine: an install RUN with 10,000 continuation lines is declined, not a transform crash', () => {
  const raw = `FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci \\\n${'  && echo x \\\n'.repeat(10_000)}  && true\n`;
  const result = engineWith(raw, undefined, { unsafe: true });
  assert.is(result.error, undefined);
  assert.is(result.output, raw);
  assert.ok(result.declines.some((d) => d.message.includes('more than stageopt reads')), JSON.stringify(result.declines));
});

// dockerfile-ast 0.7.1: Instruction.getHeredocs throws on an escape before a lone \r.
const PARSER_TRAP = 'RUN a \\\r#t\n';

test('engine: a file the parser throws on is declined with a reason, before any transform reads it', () => {
  // A file with nothing to fix, one name-stages would fix, and one whose RUN manifest-first reads.
  for (const raw of [`FROM alpine\n${PARSER_TRAP}`, `FROM alpine as base\n${PARSER_TRAP}`, 'FROM node\nCOPY . .\nRUN npm ci \\\r#t\n']) {
    const result = engineWith(raw, undefined, { unsafe: true });
    assert.is(result.status, 'declined', JSON.stringify(result.error));
    assert.is(result.output, raw);
    assert.match(result.declines[0]!.message, /the Dockerfile parser fails on this file/);
  }
});

test('engine: a fix whose result the parser throws on is refused and blamed on its transform', () => {
  const trap = defineTransform<Record<string, never>>({
    id: 'trap',
    summary: 'appends a line the parser throws on',
    safety: 'safe',
    options: {},
    run: ({ source }) => [{ key: 'trap', message: 'append', span: { start: 0, end: 0 }, fix: { edits: [insertAt(source.text.length, PARSER_TRAP)] } }],
  });
  const result = engineWith('FROM alpine\nRUN true\n', [trap]);
  assert.is(result.status, 'error');
  assert.is(result.error?.transform, 'trap');
  // The trap needs a lone \r, which the output preflight now rejects before the parser can throw;
  // the guard behind it stays for parser failures not yet known. Either way: refused, and blamed.
  assert.match(result.error!.message, /a lone carriage return|the Dockerfile parser fails on the result/);
  assert.match(result.error!.message, /^trap would break the file/);
});

// Shapes that made per-stage work scan every other stage (quadratic): resolving names in the
// preflight and invariants, picking non-conflicting fixes, numbering role names. Before the fixes
// the first took 18 s and the second 9 s on a 2-core machine; now about 2 s each.
test('engine: 20,000 named stages are checked in linear time', () => {
  const raw = Array.from({ length: 20_000 }, (_, i) => `FROM alpine as s${i}\n`).join('');
  const start = performance.now();
  const result = engineWith(raw, undefined, { unsafe: true });
  assert.is(result.status, 'changed');
  assert.is(result.fixes.length, 20_000, 'every lower-case "as" is fixed in one round');
  assert.ok(performance.now() - start < 8000, `took ${Math.round(performance.now() - start)} ms`);
});

test('name-stages: 10,000 anonymous build stages are numbered build, build-2, … in linear time', () => {
  const raw = 'FROM alpine AS build-3\n' + 'FROM golang\nRUN go build .\n'.repeat(10_000) + 'FROM alpine\nCOPY --from=1 /a /a\n';
  const start = performance.now();
  const result = engineWith(raw, undefined, { unsafe: true });
  assert.ok(performance.now() - start < 8000, `took ${Math.round(performance.now() - start)} ms`);
  const names = [...result.output.matchAll(/^FROM golang AS (\S+)$/gm)].map((m) => m[1]);
  assert.equal(names.slice(0, 4), ['build', 'build-2', 'build-4', 'build-5'], 'build-3 is taken by the first stage');
  assert.is(names[9_999], 'build-10001');
  assert.match(result.output, /COPY --from=build \/a \/a\n$/);
});

test('resolveRef: a name resolves to the nearest earlier stage of that name, any case', () => {
  const stages = readStages(Source.fromText('FROM a AS base\nFROM b AS other\nFROM c AS BASE\nFROM d\n'));
  assert.equal(resolveRef({ value: 'Base', inStage: 3 }, stages), { kind: 'stage', index: 2 });
  assert.equal(resolveRef({ value: 'base', inStage: 2 }, stages), { kind: 'stage', index: 0 });
  assert.equal(resolveRef({ value: 'base', inStage: 0 }, stages), { kind: 'image' });
  assert.equal(resolveRef({ value: 'other', inStage: 1 }, stages), { kind: 'image' });
});

test('Source: a file with only lone carriage returns writes new lines with \\r', () => {
  assert.is(Source.fromText('FROM a\rRUN b\r').eol, '\r');
  assert.is(Source.fromText('FROM a\r\nRUN b\rRUN c\r\n').eol, '\r\n');
  assert.is(Source.fromText('FROM a').eol, '\n');
});

test('split-stages: a variable among npm words is read as a value, not a crash (fuzz: junk in `yarn run build`)', () => {
  const raw = 'FROM node:16\nWORKDIR /usr/src/app\nCOPY . .\nRUN yarn --prod\nRUN yarn a$X run build\nCMD [ "yarn", "run", "start:prod" ]\n';
  const result = engineWith(raw, undefined, { unsafe: true });
  assert.is(result.error, undefined);
});

test('split-stages: an unterminated heredoc is declined, not extended with the runtime stage (fuzz)', () => {
  const raw = 'FROM node:20\nWORKDIR /app\nRUN <<EOF\necho hi\nCOPY . .\nRUN npm ci\nCMD ["node", "index.js"]\n';
  const result = engineWith(raw, undefined, { unsafe: true });
  assert.is(result.error, undefined);
  assert.is(result.output, raw);
  assert.ok(result.declines.some((d) => d.message.includes('uses a heredoc')), JSON.stringify(result.declines));
});

test('narrow-copy-from: a stray `[` in a path (a broken exec-form line) is not read as a regular expression (fuzz)', () => {
  const raw = 'FROM python:3\nRUN pip install Flask\nWORKDIR /usr/src/app\nCOPY app.py ./\\ \nENTRYPOINT ["python", "./app.py"]\n';
  const context = folderContext(makeTree({ 'app.py': 'print(1)\n' }));
  const result = engineWith(raw, undefined, { unsafe: true, context });
  assert.is(result.error, undefined);
});

test('manifest-first: an unbalanced `[` in a COPY pattern before the install is not a crash', () => {
  const raw = 'FROM node:20\nWORKDIR /app\nCOPY package[*.json ./\nCOPY . .\nRUN npm ci\n';
  const context = folderContext(makeTree({ 'package.json': '{"name": "a"}\n', 'package-lock.json': '{}\n' }));
  const result = engineWith(raw, undefined, { context });
  assert.is(result.error, undefined, result.error?.message);
});

test.run();
