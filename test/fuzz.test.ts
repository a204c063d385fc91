// Mutation fuzzing over the shared corpus: every file is broken in seeded, reproducible ways
// (test/mutate.ts) and each mutant must decode to a clean reason or go through the engine — every
// transform, unsafe fixes on — without a throw, a crash, a stack trace, a slow run, a result that a
// second run changes, or a byte changed in a file reported as unchanged. Replay a failure with
// STAGEOPT_FUZZ_SEED=<seed>; failing mutants are also written to a temporary folder.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { folderContext, type BuildContext } from '../src/build-context.js';
import type { EngineResult } from '../src/engine.js';
import { decodeDockerfile } from '../src/input.js';
import { syntheticContext } from './corpus-context.js';
import { corpusDir, engineWith, runCli, tempDir } from './helpers.js';
import { HEAVY, mulberry32, mutate, seedFor } from './mutate.js';

const SEED = Number(process.env.STAGEOPT_FUZZ_SEED ?? 0x5eed_2026);
// Tuned so the whole file runs in about 20 s on 2 cores; raise them (env) for a longer hunt.
const MUTANTS_PER_FILE = Number(process.env.STAGEOPT_FUZZ_MUTANTS ?? 12);
const HEAVY_SAMPLE = Number(process.env.STAGEOPT_FUZZ_HEAVY ?? 4); // files each heavy mutation is tried on
// Per engine run: 2 s, plus 25 ms a KB beyond 64 KB. A changed file is parsed and validated
// about four times, and the parser and validator libraries cost up to 5 µs a byte each time on a
// line of short words: linear, but 3.5 s for 200 KB. Super-linear work overshoots this by far.
const boundMs = (chars: number) => 2000 + Math.max(0, chars / 1024 - 64) * 25;

interface CorpusFile {
  label: string;
  bytes: Buffer;
  /** For real/ files: a plausible build context, so context-reading transforms get past their first check. */
  context: BuildContext | undefined;
  contextDir: string | null;
}

interface Tally {
  mutants: number;
  unreadable: number;
  outcomes: Record<string, number>;
  /** Engine errors with a clear message (acceptable), grouped, with one example each. */
  errors: Record<string, { n: number; example: string }>;
  slowest: { label: string; ms: number }[];
  failures: string[];
}

const newTally = (): Tally => ({ mutants: 0, unreadable: 0, outcomes: {}, errors: {}, slowest: [], failures: [] });

/** A message a user can read: one line, no stack frame, no "undefined" the input did not contain. */
function unclear(message: unknown, raw: string): string | null {
  if (typeof message !== 'string' || message.trim().length < 8) return `no message (${String(message)})`;
  if (/\n|\bat \S+:\d+:\d+|\[object |Maximum call stack|\bcrashed:/.test(message)) return message;
  if (/\b(undefined|NaN)\b/.test(message) && !/\b(undefined|NaN)\b/.test(raw)) return message;
  return null;
}

function timed(label: string, text: string, tally: Tally, run: (text: string) => EngineResult): EngineResult {
  const start = performance.now();
  const result = run(text);
  const ms = performance.now() - start;
  tally.slowest.push({ label, ms });
  tally.slowest = tally.slowest.sort((a, b) => b.ms - a.ms).slice(0, 5);
  if (ms > boundMs(text.length)) tally.failures.push(`${label}: took ${Math.round(ms)} ms (bound ${Math.round(boundMs(text.length))} ms)`);
  return result;
}

/** Runs one mutant through decode and the engine (twice when it changes); records what went wrong. */
function check(bytes: Buffer, label: string, context: BuildContext | undefined, tally: Tally): void {
  tally.mutants++;
  const failuresBefore = tally.failures.length;
  const decoded = decodeDockerfile(bytes);
  if (!decoded.ok) {
    tally.unreadable++;
    const bad = unclear(decoded.reason, '');
    if (bad) tally.failures.push(`${label}: decode reason is not a clean sentence: ${bad}`);
  } else {
    const raw = decoded.raw;
    const run = (text: string) => engineWith(text, undefined, { unsafe: true, context });
    try {
      const first = timed(label, raw, tally, run);
      tally.outcomes[first.status] = (tally.outcomes[first.status] ?? 0) + 1;
      for (const d of first.declines) {
        const bad = unclear(d.message, raw);
        if (bad) tally.failures.push(`${label}: unclear decline: ${bad}`);
      }
      if (first.status === 'error') {
        const bad = unclear(first.error?.message, raw);
        if (bad) tally.failures.push(`${label}: unclear error: ${bad}`);
        const kind = `${first.error?.transform ?? 'engine'}: ${(first.error?.message ?? '').replace(/\(.*\)/, '(…)').replace(/line \d+/g, 'line N').slice(0, 90)}`;
        tally.errors[kind] ??= { n: 0, example: `${label}: ${first.error?.message}` };
        tally.errors[kind]!.n++;
      } else if (first.status !== 'changed' && first.output !== raw) {
        tally.failures.push(`${label}: ${first.status} but the output differs from the input`);
      } else if (first.status === 'changed') {
        const second = timed(`${label} (second run)`, first.output, tally, run);
        if (second.status === 'error') tally.failures.push(`${label}: second run: ${second.error?.message}`);
        else if (second.output !== first.output) tally.failures.push(`${label}: not idempotent (a second run changed it again)`);
      }
    } catch (err) {
      const where = err instanceof Error ? (err.stack ?? '').split('\n').slice(0, 3).join(' | ') : String(err);
      tally.failures.push(`${label}: the engine threw: ${where}`);
    }
  }
  if (tally.failures.length > failuresBefore) saveFailure(label, bytes);
}

let failureDir: string | null = null;
function saveFailure(label: string, bytes: Buffer): void {
  failureDir ??= tempDir('stageopt-fuzz-failures-');
  fs.writeFileSync(path.join(failureDir, label.replace(/[^\w.#-]+/g, '_') + '.Dockerfile'), bytes);
}

function report(name: string, tally: Tally, ms: number): void {
  const outcomes = Object.entries(tally.outcomes).map(([k, v]) => `${v} ${k}`).join(', ');
  console.log(`  fuzz ${name} (seed ${SEED}): ${tally.mutants} mutants in ${(ms / 1000).toFixed(1)} s: ${tally.unreadable} unreadable, ${outcomes}`);
  for (const { n, example } of Object.values(tally.errors).sort((a, b) => b.n - a.n)) console.log(`    ${n} × error, e.g. ${example.slice(0, 300)}`);
  console.log(`    slowest: ${tally.slowest.map((s) => `${s.label} ${Math.round(s.ms)} ms`).join('; ')}`);
  for (const failure of tally.failures.slice(0, 20)) console.log(`    FAIL ${failure.slice(0, 400)}`);
  if (failureDir) console.log(`    failing mutants written to ${failureDir}`);
}

function corpusFiles(corpus: string): CorpusFile[] {
  const files: CorpusFile[] = [];
  const manifest = fs.readFileSync(path.join(corpus, 'real', 'manifest.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  const ecosystems = new Map(manifest.map(([file, , , , ecosystem]) => [file!, ecosystem!]));
  for (const part of ['real', 'edge']) {
    for (const name of fs.readdirSync(path.join(corpus, part)).filter((f) => f.endsWith('.Dockerfile')).sort()) {
      const bytes = fs.readFileSync(path.join(corpus, part, name));
      const decoded = decodeDockerfile(bytes);
      const ecosystem = ecosystems.get(name);
      const contextDir = part === 'real' && decoded.ok && ecosystem ? syntheticContext(decoded.raw, ecosystem) : null;
      files.push({ label: `${part}/${name}`, bytes, context: contextDir ? folderContext(contextDir) : undefined, contextDir });
    }
  }
  return files;
}

const corpus = corpusDir();
const files = corpus ? corpusFiles(corpus) : [];

if (!corpus) {
  test('fuzz (skipped: ../shared/corpus is not beside this checkout; set STAGEOPT_CORPUS to run it)', () => {
    console.log('  fuzz test skipped: ../shared/corpus not found (its files are the seeds the mutations start from)');
  });
} else {
  test('fuzz: light mutations of every corpus file', () => {
    const start = performance.now();
    const tally = newTally();
    for (const file of files) {
      for (let k = 0; k < MUTANTS_PER_FILE; k++) {
        const { bytes, applied } = mutate(mulberry32(seedFor(SEED, file.label, k)), file.bytes);
        // Every other mutant of a real/ file gets its synthetic build context.
        check(bytes, `${file.label}#${k} [${applied.join(', ')}]`, k % 2 === 1 ? file.context : undefined, tally);
      }
    }
    report('light', tally, performance.now() - start);
    assert.ok(tally.mutants >= files.length * MUTANTS_PER_FILE);
    assert.is(tally.failures.length, 0, `${tally.failures.length} failures (listed above)`);
  });

  test('fuzz: 200 KB lines, 10,000 continuation lines, 2,000 stages on sampled files', () => {
    const start = performance.now();
    const tally = newTally();
    // Application Dockerfiles: where the installs and `COPY . .` that transforms act on live.
    const real = files.filter((f) => f.label.startsWith('real/'));
    for (const [name, mutator] of Object.entries(HEAVY)) {
      const rng = mulberry32(seedFor(SEED, name));
      for (let k = 0; k < HEAVY_SAMPLE; k++) {
        const file = real[Math.floor(rng() * real.length)]!;
        check(mutator(rng, file.bytes), `${file.label} [${name}]`, k % 2 === 1 ? file.context : undefined, tally);
      }
    }
    report('heavy', tally, performance.now() - start);
    assert.is(tally.failures.length, 0, `${tally.failures.length} failures (listed above)`);
  });

  test('fuzz: mutants through the built CLI: exit 0 or 1, never an internal error', () => {
    const dir = tempDir('stageopt-fuzz-cli-');
    const rng = mulberry32(seedFor(SEED, 'cli'));
    const count = 40;
    for (let k = 0; k < count; k++) {
      const file = files[Math.floor(rng() * files.length)]!;
      const heavy = Object.values(HEAVY);
      const bytes = k < heavy.length ? heavy[k]!(rng, file.bytes) : mutate(rng, file.bytes).bytes;
      fs.writeFileSync(path.join(dir, `m${String(k).padStart(3, '0')}.Dockerfile`), bytes);
    }
    const r = runCli(['--dry-run', dir]);
    const output = r.stdout + r.stderr;
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr.slice(-2000)}`);
    assert.not.match(output, /internal error|\n\s+at \S+:\d+:\d+/, r.stderr.slice(-2000));
    assert.match(r.stderr, new RegExp(`stageopt: ${count} files:`), r.stderr.slice(-500));
    console.log(`  fuzz cli (seed ${SEED}): ${r.stderr.trim().split('\n').pop()}`);
    fs.rmSync(dir, { recursive: true, force: true });
  });
}

test.after(() => {
  for (const file of files) if (file.contextDir) fs.rmSync(file.contextDir, { recursive: true, force: true });
});

test.run();
