// npm run corpus: every transform, unsafe fixes included, over the shared corpus of other people's
// Dockerfiles (../shared/corpus/real and edge, or $STAGEOPT_CORPUS), with what each transform did,
// why it declined, and checks that fail the run (exit 1): no engine error, no output that stops
// parsing or gains a validator problem, no new dangling stage reference, idempotent, and untouched
// files byte-identical. real/ files get a synthetic build context (test/corpus-context.ts) so
// transforms that read the context meet real shapes; edge/ files get none. --json: the same as JSON.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { folderContext, NO_CONTEXT } from '../dist/src/build-context.js';
import { runEngine } from '../dist/src/engine.js';
import { decodeDockerfile } from '../dist/src/input.js';
import { resolveOptions } from '../dist/src/options.js';
import { preflight } from '../dist/src/preflight.js';
import { Source } from '../dist/src/source.js';
import { readStageRefs, readStages, resolveRef } from '../dist/src/stages.js';
import { diagnosticsOf } from '../dist/src/validation.js';
import { TRANSFORMS } from '../dist/transforms/index.js';
import { syntheticContext } from '../dist/test/corpus-context.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = process.env.STAGEOPT_CORPUS ?? path.resolve(ROOT, '..', 'shared', 'corpus');
const json = process.argv.includes('--json');

if (!fs.existsSync(CORPUS)) {
  console.error(`corpus-report: no corpus at ${CORPUS} (set STAGEOPT_CORPUS)`);
  process.exit(2);
}

const engine = (raw, buildContext) =>
  runEngine(raw, {
    transforms: TRANSFORMS.map((t) => ({ transform: t, options: resolveOptions(t.options, undefined, t.id) })),
    allowUnsafe: true,
    buildContext,
    file: 'Dockerfile',
  });

/** References to stages that resolve to nothing: an invalid index, or a bare word no stage has (it would be pulled as an image). */
function danglingRefs(text) {
  const source = Source.fromText(text);
  const stages = readStages(source);
  return readStageRefs(source, stages).filter((ref) => {
    const target = resolveRef(ref, stages);
    return target.kind === 'invalid' || (target.kind === 'image' && /^[A-Za-z0-9_-]+$/.test(ref.value));
  }).length;
}

/** Validator problems of `after` that `before` did not have (as a multiset of code and message). */
function newProblems(before, after) {
  const key = (d) => `${d.code}: ${typeof d.message === 'string' ? d.message : d.message.value}`;
  const counts = new Map();
  for (const d of diagnosticsOf(Source.fromText(before))) counts.set(key(d), (counts.get(key(d)) ?? 0) + 1);
  const added = [];
  for (const d of diagnosticsOf(Source.fromText(after))) {
    const n = counts.get(key(d)) ?? 0;
    if (n === 0) added.push(key(d));
    else counts.set(key(d), n - 1);
  }
  return added;
}

/** A decline message with its particulars (lines, names, paths, numbers) taken out, so like reasons group. */
function normalise(message, contextDir) {
  let m = contextDir ? message.split(contextDir).join('<context>') : message;
  m = m.replace(/"[^"]*"/g, '"…"').replace(/--from=\S+/g, '--from=…').replace(/\(FROM [^)]*\)/g, '(FROM …)');
  m = m.replace(/\([^()"]*\); left alone$/, '(…); left alone'); // the validator's wording, which names the culprit
  return m.replace(/\b\d+\b/g, 'N');
}

const manifest = fs.readFileSync(path.join(CORPUS, 'real', 'manifest.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
const ecosystems = new Map(manifest.map(([file, , , , ecosystem]) => [file, ecosystem]));

const files = { total: 0, unreadable: 0, changed: 0, unchanged: 0, declined: 0, error: 0 };
const perTransform = Object.fromEntries(TRANSFORMS.map((t) => [t.id, { fixed: 0, declined: 0, nothing: 0, error: 0, 'not run': 0 }]));
const reasons = new Map();
const failures = { engineErrors: [], parseOrValidator: [], dangling: [], notIdempotent: [], notByteIdentical: [] };
const contextDirs = [];
const started = performance.now();

for (const part of ['real', 'edge']) {
  const dir = path.join(CORPUS, part);
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.Dockerfile')).sort()) {
    const label = `${part}/${name}`;
    files.total++;
    const decoded = decodeDockerfile(fs.readFileSync(path.join(dir, name)));
    if (!decoded.ok) {
      files.unreadable++;
      continue;
    }
    const raw = decoded.raw;
    const contextDir = part === 'real' && ecosystems.has(name) ? syntheticContext(raw, ecosystems.get(name)) : null;
    if (contextDir) contextDirs.push(contextDir);
    const context = contextDir ? folderContext(contextDir) : NO_CONTEXT;
    let result;
    try {
      result = engine(raw, context);
    } catch (err) {
      files.error++;
      failures.engineErrors.push(`${label}: the engine threw: ${err?.stack ?? err}`);
      continue;
    }
    files[result.status]++;

    // Per transform: a fix applied, else a decline, else nothing to do; a file the engine declined
    // up front (preflight) never reached the transforms.
    const fileDeclined = result.declines.some((d) => d.transform === null);
    for (const t of TRANSFORMS) {
      const row = perTransform[t.id];
      if (result.status === 'error' && result.error.transform === t.id) row.error++;
      else if (fileDeclined || (result.status === 'error' && result.error.transform !== t.id)) row['not run']++;
      else if (result.fixes.some((f) => f.transform === t.id)) row.fixed++;
      else if (result.declines.some((d) => d.transform === t.id)) row.declined++;
      else row.nothing++;
    }
    for (const key of new Set(result.declines.map((d) => `${d.transform ?? '(file)'}\t${normalise(d.message, contextDir)}`))) {
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }

    if (result.status === 'error') {
      failures.engineErrors.push(`${label}: ${result.error.message}`);
      continue;
    }
    if (result.status !== 'changed') {
      if (result.output !== raw) failures.notByteIdentical.push(label);
      continue;
    }
    const out = result.output;
    if (preflight(Source.fromText(raw)).ok && !preflight(Source.fromText(out)).ok) failures.parseOrValidator.push(`${label}: ${preflight(Source.fromText(out)).reason}`);
    const added = newProblems(raw, out);
    if (added.length > 0) failures.parseOrValidator.push(`${label}: new validator problem ${added[0]}`);
    if (danglingRefs(out) > danglingRefs(raw)) failures.dangling.push(label);
    const second = engine(out, context);
    if (second.status === 'error' || second.output !== out) failures.notIdempotent.push(`${label}: ${second.error?.message ?? 'a second run changed it again'}`);
  }
}
for (const dir of contextDirs) fs.rmSync(dir, { recursive: true, force: true });

const readable = files.total - files.unreadable;
const checks = [
  { check: 'no engine errors (transform crashes, invariant failures)', failures: failures.engineErrors },
  { check: 'outputs still parse and add no validator problem', failures: failures.parseOrValidator },
  { check: 'no new dangling stage references', failures: failures.dangling },
  { check: `idempotent (${files.changed} changed files run again)`, failures: failures.notIdempotent },
  { check: `unchanged and declined files byte-identical (${files.unchanged + files.declined})`, failures: failures.notByteIdentical },
];
const report = {
  corpus: CORPUS,
  seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
  files: { ...files, readable },
  transforms: perTransform,
  declineReasons: [...reasons].sort((a, b) => b[1] - a[1]).map(([key, count]) => ({ transform: key.split('\t')[0], reason: key.split('\t')[1], files: count })),
  checks: checks.map((c) => ({ check: c.check, ok: c.failures.length === 0, failures: c.failures })),
};
const ok = report.checks.every((c) => c.ok);

if (json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const table = (header, rows) => {
    const widths = header.map((h, i) => Math.max(String(h).length, ...rows.map((r) => String(r[i]).length)));
    const line = (cells) => cells.map((c, i) => (typeof c === 'number' ? String(c).padStart(widths[i]) : String(c).padEnd(widths[i]))).join('  ').trimEnd();
    return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
  };
  console.log(`stageopt corpus report: ${CORPUS} (${report.seconds} s)\n`);
  console.log(`${files.total} files: ${files.changed} changed, ${files.unchanged} unchanged, ${files.declined} declined, ${files.error} errors, ${files.unreadable} unreadable\n`);
  const columns = ['fixed', 'declined', 'nothing', 'error', 'not run'];
  console.log(table(['transform', ...columns], Object.entries(perTransform).map(([id, row]) => [id, ...columns.map((c) => row[c])])));
  console.log(`(files out of ${readable} readable; "not run": the file was declined before any transform ran)\n`);
  console.log(table(['files', 'transform', 'decline reason'], report.declineReasons.map((r) => [r.files, r.transform, r.reason])));
  console.log('');
  for (const c of report.checks) {
    console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.check}${c.ok ? '' : `: ${c.failures.length}`}`);
    for (const f of c.failures.slice(0, 10)) console.log(`       ${f}`);
  }
}
process.exit(ok ? 0 : 1);
