// The engine's guarantees, exercised with small synthetic transforms so each one is tested alone:
// conflicting edits wait for the next round, rounds repeat until nothing changes, a broken result
// is reverted and blamed on its transform, cycles and endless fixers end in an error, and
// untouched bytes (CRLF, BOM, final newline, escape directive, heredocs) survive.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyEdits, insertAt, replaceSpan } from '../src/edits.js';
import { Source } from '../src/source.js';
import { defineTransform, type Finding, type Transform } from '../src/transform.js';
import nameStages from '../transforms/name-stages.js';
import { engineWith } from './helpers.js';
import { runEngine } from '../src/engine.js';
import { NO_CONTEXT } from '../src/build-context.js';

/** A transform that replaces every occurrence of `from` with `to`, one finding per occurrence. */
function replacer(id: string, from: string, to: string, safety: 'safe' | 'unsafe' = 'safe'): Transform {
  return defineTransform<Record<string, never>>({
    id,
    summary: `replace ${from} with ${to}`,
    safety,
    options: {},
    run({ source }) {
      const findings: Finding[] = [];
      for (let i = source.text.indexOf(from); i !== -1; i = source.text.indexOf(from, i + 1)) {
        const span = { start: i, end: i + from.length };
        findings.push({ key: `${id}-${i}`, message: `${from} -> ${to}`, span, fix: { edits: [replaceSpan(span, to)] } });
      }
      return findings;
    },
  });
}

function transformOf(id: string, run: Transform['run'], safety: 'safe' | 'unsafe' = 'safe'): Transform {
  return defineTransform<Record<string, never>>({ id, summary: id, safety, options: {}, run });
}

test('Source: offsets round-trip across \\n, \\r\\n and a lone \\r', () => {
  const source = Source.fromText('FROM a\r\nRUN b\rRUN c\r\nRUN d');
  assert.is(source.lineCount, 4);
  assert.is(source.offsetAt({ line: 1, character: 0 }), 8);
  assert.is(source.offsetAt({ line: 2, character: 4 }), 18);
  assert.equal(source.positionAt(18), { line: 2, character: 4 });
  assert.is(source.lineEndAt(0), 6);
  assert.is(source.eol, '\r\n');
  assert.is(source.finalNewline, false);
});

test('Source: a BOM is kept out of the offsets and put back on output', () => {
  const source = Source.fromText('\uFEFFFROM a\n');
  assert.is(source.bom, true);
  assert.is(source.text, 'FROM a\n');
  assert.is(source.toString(), '\uFEFFFROM a\n');
  assert.is(source.dockerfile.getFROMs()[0]!.getImage(), 'a');
});

test('applyEdits: everything outside the edits is copied byte for byte', () => {
  assert.is(applyEdits('abcdef', [replaceSpan({ start: 1, end: 2 }, 'X'), insertAt(4, '+')]), 'aXcd+ef');
  assert.throws(() => applyEdits('abcdef', [replaceSpan({ start: 1, end: 3 }, ''), replaceSpan({ start: 2, end: 4 }, '')]));
});

test('a file with nothing to change comes back identical, with status unchanged', () => {
  const raw = 'FROM alpine\r\n# comment\r\nRUN true';
  const result = engineWith(raw, [replacer('noop', 'zzz', 'yyy')]);
  assert.is(result.status, 'unchanged');
  assert.is(result.output, raw);
});

test('conflicting fixes wait for the next round, and rounds repeat until nothing changes', () => {
  // "aa" -> "b" finds overlapping matches in "aaa" (at 0 and 1): one is applied per round.
  const result = engineWith('FROM x\nRUN echo aaaa\n', [replacer('squash', 'aa', 'b')]);
  assert.is(result.status, 'changed');
  assert.is(result.output, 'FROM x\nRUN echo bb\n');
  const again = engineWith('FROM x\nRUN echo aaa\n', [replacer('squash', 'aa', 'b')]);
  assert.is(again.output, 'FROM x\nRUN echo ba\n');
});

test('one transform sees what another one wrote (multi-pass)', () => {
  const result = engineWith('FROM x\nRUN one\n', [replacer('two', 'two', 'three'), replacer('one', 'one', 'two')]);
  assert.is(result.output, 'FROM x\nRUN three\n');
  assert.equal(result.fixes.map((f) => f.transform), ['one', 'two']);
});

test('a fix that breaks an invariant reverts the whole file and names the transform', () => {
  const dropComment = transformOf('drop-comment', ({ source }) => {
    const i = source.text.indexOf('# keep me\n');
    return [{ key: 'k', message: 'drop', span: { start: i, end: i }, fix: { edits: [replaceSpan({ start: i, end: i + 10 }, '')] } }];
  });
  const raw = 'FROM x\n# keep me\nRUN true\n';
  const result = engineWith(raw, [replacer('fine', 'true', 'false'), dropComment]);
  assert.is(result.status, 'error');
  assert.is(result.output, raw);
  assert.is(result.error!.transform, 'drop-comment');
  assert.match(result.error!.message, /a comment disappeared: # keep me/);
});

test('invariants: line endings, final newline, directives, dangling references, validator problems', () => {
  const cases: [string, string, string, RegExp][] = [
    ['FROM x\r\nRUN a\r\n', 'RUN a', 'RUN a\nRUN b', /line ending/],
    ['FROM x\nRUN a\n', 'RUN a\n', 'RUN a', /final newline/],
    ['# escape=`\nFROM x\n', '# escape=`', '# escape=\\', /parser directives/],
    ['FROM x AS build\nFROM y\nCOPY --from=build /a /b\n', 'AS build', 'AS builder', /names no stage/],
    ['FROM x\nRUN a\n', 'RUN a', 'RUNN a', /no longer parses cleanly \(line 2: an unknown instruction/],
    ['FROM x\nRUN a\n', 'FROM x', 'FROM x y z', /no longer parses cleanly/],
    ['FROM x\nCMD ["a"]\n', 'CMD ["a"]', 'CMD ["a"]\nCMD ["b"]', /validator reports a new problem: There can only be one CMD/],
  ];
  for (const [raw, from, to, expected] of cases) {
    const result = engineWith(raw, [replacer('breaker', from, to)]);
    assert.is(result.status, 'error', `${JSON.stringify(raw)}: ${from} -> ${to}`);
    assert.match(result.error!.message, expected);
    assert.is(result.output, raw);
  }
});

test('heredoc bodies are guarded: a transform that edits one is refused', () => {
  const raw = 'FROM x\nRUN <<EOF\necho hello\nEOF\n';
  const result = engineWith(raw, [replacer('heredoc-editor', 'hello', 'bye')]);
  assert.is(result.status, 'error');
  assert.match(result.error!.message, /heredoc body changed/);
});

test('a fix cycle is detected instead of looping', () => {
  const result = engineWith('FROM x\nRUN a\n', [replacer('a-to-b', 'RUN a', 'RUN b'), replacer('b-to-a', 'RUN b', 'RUN a')]);
  assert.is(result.status, 'error');
  assert.match(result.error!.message, /cycle/);
});

test('a fixer that never settles stops after the round limit', () => {
  const grow = transformOf('grow', ({ source }) => [
    { key: 'g', message: 'grow', span: { start: 0, end: 0 }, fix: { edits: [insertAt(source.text.length, 'RUN x\n')] } },
  ]);
  const result = engineWith('FROM x\n', [grow]);
  assert.is(result.status, 'error');
  assert.match(result.error!.message, /did not settle after 10 rounds/);
});

test('a transform that throws becomes an error naming it; the file is untouched', () => {
  const boom = transformOf('boom', () => {
    throw new Error('kaboom');
  });
  const result = engineWith('FROM x\n', [boom]);
  assert.is(result.status, 'error');
  assert.is(result.error!.transform, 'boom');
  assert.match(result.error!.message, /kaboom/);
});

test('a fix whose own edits overlap is a transform bug, reported as an error', () => {
  const bad = transformOf('overlapping', () => [
    { key: 'o', message: 'bad', span: { start: 0, end: 0 }, fix: { edits: [replaceSpan({ start: 0, end: 4 }, 'A'), replaceSpan({ start: 2, end: 6 }, 'B')] } },
  ]);
  const result = engineWith('FROM xyz\n', [bad]);
  assert.is(result.status, 'error');
  assert.match(result.error!.message, /overlapping edits/);
});

test('unsafe fixes are withheld unless allowed, and reported as such', () => {
  const unsafe = replacer('risky', 'RUN a', 'RUN b', 'unsafe');
  const withheld = engineWith('FROM x\nRUN a\n', [unsafe]);
  assert.is(withheld.status, 'unchanged');
  assert.is(withheld.withheld.length, 1);
  assert.is(withheld.withheld[0]!.transform, 'risky');
  const applied = engineWith('FROM x\nRUN a\n', [unsafe], { unsafe: true });
  assert.is(applied.output, 'FROM x\nRUN b\n');
  assert.is(applied.fixes[0]!.safety, 'unsafe');
});

test("a fix's own safety wins over its transform's, and the project's setting wins over both", () => {
  const swap = (source: Source, from: string, to: string) => {
    const at = source.text.indexOf(from);
    return at < 0 ? null : [replaceSpan({ start: at, end: at + from.length }, to)];
  };
  const mixed = transformOf(
    'mixed',
    ({ source }) => {
      const findings: Finding[] = [];
      const risky = swap(source, 'RUN a', 'RUN b');
      if (risky) findings.push({ key: 'risky', message: 'risky', span: { start: 0, end: 0 }, fix: { edits: risky, safety: 'unsafe', unsafeReason: 'may need BuildKit' } });
      const plain = swap(source, 'RUN c', 'RUN d');
      if (plain) findings.push({ key: 'plain', message: 'plain', span: { start: 0, end: 0 }, fix: { edits: plain } });
      return findings;
    },
    'safe',
  );
  const raw = 'FROM x\nRUN a\nRUN c\n';
  const safeOnly = engineWith(raw, [mixed]);
  assert.is(safeOnly.output, 'FROM x\nRUN a\nRUN d\n');
  assert.equal(safeOnly.withheld.map((w) => [w.key, w.unsafeReason]), [['risky', 'may need BuildKit']]);
  const both = engineWith(raw, [mixed], { unsafe: true });
  assert.equal(both.fixes.map((f) => [f.key, f.safety, f.unsafeReason]).sort(), [['plain', 'safe', undefined], ['risky', 'unsafe', 'may need BuildKit']]);
  const overridden = runEngine(raw, { transforms: [{ transform: mixed, options: {}, safetyOverride: 'safe' }], allowUnsafe: false, buildContext: NO_CONTEXT, file: 'Dockerfile' });
  assert.is(overridden.output, 'FROM x\nRUN b\nRUN d\n');
  const marked = runEngine(raw, { transforms: [{ transform: mixed, options: {}, safetyOverride: 'unsafe' }], allowUnsafe: false, buildContext: NO_CONTEXT, file: 'Dockerfile' });
  assert.is(marked.output, raw);
  assert.equal(marked.withheld.map((w) => w.unsafeReason).sort(), ['may need BuildKit', 'the project marks this transform unsafe']);
});

test('a finding without a fix is a decline with its reason', () => {
  const decliner = transformOf('decliner', () => [{ key: 'd', message: 'no lockfile in the build context', span: { start: 0, end: 0 } }]);
  const result = engineWith('FROM x\n', [decliner]);
  assert.is(result.status, 'declined');
  assert.equal(result.declines, [{ transform: 'decliner', message: 'no lockfile in the build context', line: 1 }]);
});

test('accept() limits the fixes applied (review picks fixes one by one)', () => {
  const raw = 'FROM golang:1.22 as build\nRUN go build -o /app .\nFROM alpine\nCOPY --from=0 /app /app\n';
  const all = engineWith(raw, [nameStages]);
  assert.equal(all.fixes.map((f) => f.key).sort(), ['as-casing-0', 'name-ref-0', 'name-stage-1']);
  const some = engineWith(raw, [nameStages], { accept: (_id, key) => key !== 'as-casing-0' });
  assert.is(some.output, 'FROM golang:1.22 as build\nRUN go build -o /app .\nFROM alpine AS runtime\nCOPY --from=build /app /app\n');
});

test('inline directives: ignore=<id> on the next instruction, ignore-file for all', () => {
  const raw = 'FROM x\n# stageopt ignore=swap\nRUN a\nRUN a\n';
  const result = engineWith(raw, [replacer('swap', 'RUN a', 'RUN b')]);
  assert.is(result.output, 'FROM x\n# stageopt ignore=swap\nRUN a\nRUN b\n');
  const skipped = engineWith('# stageopt ignore-file\nFROM x\nRUN a\n', [replacer('swap', 'RUN a', 'RUN b')]);
  assert.is(skipped.status, 'unchanged');
  assert.match(skipped.notes.join(), /ignore-file/);
  const unknown = engineWith('FROM x\n# stageopt ignore=nope\nRUN a\n', [replacer('swap', 'zzz', 'y')]);
  assert.match(unknown.notes.join(), /unknown transform "nope"/);
});

test('CRLF, BOM, missing final newline and the escape directive survive a rewrite', () => {
  const raw = '\uFEFF# escape=`\r\nFROM golang:1.22\r\nRUN go build -o C:\\app `\r\n  .\r\nFROM alpine\r\nCOPY --from=0 C:\\app C:\\app';
  const result = engineWith(raw, [nameStages]);
  assert.is(result.status, 'changed');
  assert.is(result.output, '\uFEFF# escape=`\r\nFROM golang:1.22 AS build\r\nRUN go build -o C:\\app `\r\n  .\r\nFROM alpine AS runtime\r\nCOPY --from=build C:\\app C:\\app');
});

test('preflight: files with structural errors are declined as a whole, untouched', () => {
  for (const [raw, reason] of [
    ['FROM FROM node:boron\nFROM alpine\nCOPY --from=0 /a /b\n', /capitals|wrong number of arguments/],
    ['FROM node\nEXPOSO 80\nFROM alpine\nCOPY --from=0 /a /b\n', /unknown instruction/],
    ['RUN echo no from\n', /no FROM/],
    ['FROM node\nFROM alpine\nCOPY --from=bulder /a /b\n', /names no stage/],
  ] as const) {
    const result = engineWith(raw, [nameStages]);
    assert.is(result.status, 'declined', raw);
    assert.is(result.output, raw);
    assert.is(result.declines[0]!.transform, null);
    assert.match(result.declines[0]!.message, reason);
  }
  assert.is(engineWith('# only a comment\n', [nameStages]).status, 'unchanged');
  assert.is(engineWith('', [nameStages]).status, 'unchanged');
});

test.run();
