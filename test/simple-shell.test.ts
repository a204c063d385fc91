// The simple-script reader answers for the shell parser on plain `&&` chains, so it must give the
// parser's answer wherever it answers at all. Held to the parser on every script of the project's
// fixtures, the shared corpus (when present) and seeded random scripts built from the characters
// that are easy to get wrong.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DockerfileParser } from 'dockerfile-ast';
import { andChain, calledCommands, parsedCalls, parsedChain } from '../src/shell.js';
import { readSimpleScript } from '../src/simple-shell.js';
import { corpusDir, ROOT } from './helpers.js';

function dockerfilesUnder(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') dockerfilesUnder(full, out);
    else if (/Dockerfile$/i.test(entry.name)) out.push(full);
  }
  return out;
}

/** Every RUN, CMD, ENTRYPOINT and HEALTHCHECK script of a file, as the joined text and as raw source. */
function scriptsOf(text: string): string[] {
  const scripts: string[] = [];
  const lines = text.split('\n');
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    if (!['RUN', 'CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(instruction.getKeyword())) continue;
    const joined = instruction.getArgumentsContent();
    if (joined) scripts.push(joined);
    const range = instruction.getRange();
    const raw = lines.slice(range.start.line, range.end.line + 1).join('\n');
    scripts.push(raw.replace(/^\s*\S+\s+/, '')); // the keyword off, continuations kept
  }
  return scripts;
}

function sameAnswers(script: string): string | null {
  for (const anyOperator of [false, true]) {
    const fast = andChain(script, { anyOperator });
    const full = parsedChain(script, { anyOperator });
    if (JSON.stringify(fast) !== JSON.stringify(full)) return `andChain(anyOperator: ${anyOperator}) of ${JSON.stringify(script)}: ${JSON.stringify(fast)} but the parser says ${JSON.stringify(full)}`;
  }
  const fast = calledCommands(script);
  const full = parsedCalls(script);
  if (JSON.stringify(fast) !== JSON.stringify(full)) return `calledCommands of ${JSON.stringify(script)}: ${JSON.stringify(fast)} but the parser says ${JSON.stringify(full)}`;
  return null;
}

function check(scripts: string[], minimumShare: number, label: string): void {
  let read = 0;
  const failures: string[] = [];
  for (const script of new Set(scripts)) {
    if (readSimpleScript(script) === null) continue;
    read++;
    const problem = sameAnswers(script);
    if (problem) failures.push(problem);
  }
  assert.equal(failures.slice(0, 10), [], `${failures.length} disagreements`);
  // A reader that always declined would pass the comparison and save nothing.
  const share = read / new Set(scripts).size;
  assert.ok(share >= minimumShare, `${label}: the simple reader answered for only ${(share * 100).toFixed(0)}% of scripts`);
}

test('simple scripts: the same answers as the parser on every fixture and example script', () => {
  const files = [...dockerfilesUnder(path.join(ROOT, '__fixtures__')), ...dockerfilesUnder(path.join(ROOT, 'examples'))];
  assert.ok(files.length > 50, `found ${files.length} fixture Dockerfiles`);
  check(files.flatMap((f) => scriptsOf(fs.readFileSync(f, 'utf8'))), 0.4, 'fixtures');
});

const corpus = corpusDir();
test(`simple scripts: the same answers as the parser on the shared corpus${corpus ? '' : ' (skipped: ../shared/corpus not found)'}`, () => {
  if (!corpus) return;
  const files = ['real', 'edge'].flatMap((part) => fs.readdirSync(path.join(corpus, part)).filter((f) => f.endsWith('.Dockerfile')).map((f) => path.join(corpus, part, f)));
  const scripts = files.flatMap((f) => {
    const text = fs.readFileSync(f, 'utf8');
    return text.includes('\0') ? [] : scriptsOf(text);
  });
  check(scripts, 0.4, 'corpus');
});

// Pieces chosen to sit on the subset's edges: assignments of every kind, reserved and declaration
// words, operators written together and apart, continuations inside and between words, globs,
// tildes, and characters outside the subset.
const PIECES = [
  'a', 'npm', 'ci', '-y', '--x=1', 'A=1', 'A=', 'a[1]=x', 'a+=b', '=x', '1a=x', 'PATH=/x:$PATH', 'export', 'declare', 'local', 'let',
  'if', 'then', 'fi', 'for', 'in', 'do', 'done', 'time', '!', '[[', ']]', '[', ']', '{', '}', 'case', 'function', 'coproc',
  '&&', '||', '|', '&', '|&', ';', '&&&', '*', '/var/lib/*', '?', '~/x', '~', '^', '%1', 'a,b', 'x@y', 'a:b', '.', ':',
  ' ', ' ', ' ', '\t', ' \\\n', '\\\n', '\\\n  ', '\n', '\r\n', '#c', "'q'", '"q"', '$X', '`x`', '(a)', '>x', '<x', '2>&1', 'é', '\\',
];

test('simple scripts: the same answers as the parser on 20,000 seeded random scripts', () => {
  let seed = 20261123;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  const scripts: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const parts: string[] = [];
    const length = 1 + random(9);
    for (let p = 0; p < length; p++) {
      parts.push(PIECES[random(PIECES.length)]!);
      if (random(3) > 0) parts.push(' ');
    }
    scripts.push(parts.join(''));
  }
  check(scripts, 0.05, 'random');
});

test('simple scripts: what the reader declines', () => {
  for (const script of ['a; b', 'a\nb', 'echo "x"', 'echo $HOME', 'a > f', 'export A=1', 'if true', 'a &', 'a &&', '&& a', 'a\\\nb', 'a[1]=x b', 'echo é', 'a # c', '']) {
    assert.is(readSimpleScript(script), null, script);
  }
  assert.equal(readSimpleScript('A=1 B= npm ci --omit=dev && \\\n  rm -rf /tmp/*'), {
    commands: [
      { start: 0, end: 24, words: ['npm', 'ci', '--omit=dev'], assigns: ['A', 'B'], decorated: false },
      { start: 32, end: 45, words: ['rm', '-rf', '/tmp/*'], assigns: [], decorated: false },
    ],
    operators: ['&&'],
  });
});

test.run();
