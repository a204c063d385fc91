// npm run bench: builds a scale corpus (the shared real-world corpus replicated with variations to
// 10,000 Dockerfiles), then measures on the same files: the parse floor (dockerfile-ast alone),
// stageopt --dry-run with 1 job and with 2, cold starts (--version, one file), and dockerfile-utils'
// validator as a reference. Each figure is the median of several whole-process runs, timed with
// GNU time (wall seconds and peak resident memory). Prints a Markdown table for BENCHMARKS.md.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');
const CORPUS = process.env.STAGEOPT_CORPUS ?? path.resolve(ROOT, '..', 'shared', 'corpus');
const TARGET = Number(process.env.BENCH_FILES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WORK = process.env.BENCH_DIR ?? path.join(os.tmpdir(), 'stageopt-bench');

function buildCorpus() {
  const dir = path.join(WORK, `corpus-${TARGET}`);
  if (fs.existsSync(path.join(dir, '.complete'))) return dir;
  fs.rmSync(dir, { recursive: true, force: true });
  const sources = ['real', 'edge']
    .flatMap((part) => fs.readdirSync(path.join(CORPUS, part)).filter((f) => f.endsWith('.Dockerfile')).map((f) => path.join(CORPUS, part, f)))
    .map((f) => fs.readFileSync(f, 'utf8'))
    .filter((text) => !text.includes('\0'));
  for (let i = 0; i < TARGET; i++) {
    // Variations keep each file's structure but make the copies distinct texts: another tag, a
    // comment, another stage-local path.
    let text = sources[i % sources.length];
    const round = Math.floor(i / sources.length);
    if (round > 0) text = `# variant ${round}\n` + text.replace(/:(\d+)(\b)/, (_, v, b) => `:${Number(v) + (round % 3)}${b}`).replace(/\/app\b/g, `/app${round}`);
    const file = path.join(dir, `r${String(Math.floor(i / 100)).padStart(3, '0')}`, `s${String(i % 100).padStart(2, '0')}`, 'Dockerfile');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  fs.writeFileSync(path.join(dir, '.complete'), '');
  return dir;
}

/** Median wall seconds and peak MiB of a command over RUNS runs (after one warm-up). */
function measure(label, args) {
  const samples = [];
  for (let run = 0; run <= RUNS; run++) {
    const out = path.join(WORK, 'time.txt');
    const r = spawnSync('/usr/bin/time', ['-f', '%e %M', '-o', out, process.execPath, ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0 && r.status !== 1) throw new Error(`${label} failed (${r.status}): ${r.stderr.slice(-500)}`);
    // GNU time puts "Command exited with non-zero status N" first when the exit code is not 0.
    const [wall, kib] = fs.readFileSync(out, 'utf8').trim().split('\n').pop().split(/\s+/).map(Number);
    if (run > 0) samples.push({ wall, mib: kib / 1024 });
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const result = { label, wall: median(samples.map((s) => s.wall)), mib: Math.max(...samples.map((s) => s.mib)), min: Math.min(...samples.map((s) => s.wall)), max: Math.max(...samples.map((s) => s.wall)) };
  console.error(`  ${label}: ${result.wall.toFixed(2)} s (min ${result.min.toFixed(2)}, max ${result.max.toFixed(2)}), peak ${result.mib.toFixed(0)} MiB`);
  return result;
}

if (!fs.existsSync(CORPUS)) {
  console.error(`bench: no corpus at ${CORPUS} (set STAGEOPT_CORPUS)`);
  process.exit(2);
}
fs.mkdirSync(WORK, { recursive: true });
const corpus = buildCorpus();
const single = path.join(corpus, 'r000', 's00', 'Dockerfile');
console.error(`bench: ${TARGET} files in ${corpus}, ${RUNS} runs each (median), ${os.cpus().length} cores`);
const floor = measure('parse floor (dockerfile-ast only)', [path.join(ROOT, 'scripts', 'bench-floor.mjs'), corpus]);
const lint = measure('dockerfile-utils validate (reference)', [path.join(ROOT, 'scripts', 'bench-floor.mjs'), corpus, '--lint']);
const one = measure('stageopt --dry-run --jobs 1', [CLI, '--dry-run', '--quiet', '--jobs', '1', corpus]);
const two = measure('stageopt --dry-run --jobs 2', [CLI, '--dry-run', '--quiet', '--jobs', '2', corpus]);
const version = measure('stageopt --version', [CLI, '--version']);
const file = measure('stageopt --dry-run one file', [CLI, '--dry-run', '--quiet', single]);

const row = (r, note = '') => `| ${r.label} | ${r.wall.toFixed(2)} | ${r.min.toFixed(2)}–${r.max.toFixed(2)} | ${r.mib.toFixed(0)} | ${note} |`;
const commit = (() => {
  try {
    return execFileSync('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
console.log(`| measurement (${TARGET} files, median of ${RUNS}) | wall s | min–max | peak MiB | target / ratio |`);
console.log('| --- | --- | --- | --- | --- |');
console.log(row(floor, 'the floor'));
console.log(row(lint, `${(lint.wall / floor.wall).toFixed(2)}× floor`));
console.log(row(one, `${(one.wall / floor.wall).toFixed(2)}× floor (target ≤ 3×); ${((TARGET / one.wall) | 0)} files/s`));
console.log(row(two, `${(one.wall / two.wall).toFixed(2)}× faster than 1 job (target ≥ 1.6×)`));
console.log(row(version, 'cold start'));
console.log(row(file, 'target < 0.2 s'));
console.log(`\nnode ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, commit ${commit}`);
