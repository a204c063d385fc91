// The product proof: every fixture app in __fixtures__/apps, rewritten by stageopt with every
// transform (--unsafe), must do what its verify.json says a Docker expert would want. A split must
// verify as equivalent on the real engine, be smaller (Node <= 0.50x the image size, Go <= 0.10x,
// Python <= 0.35x) and rebuild after a source edit no slower than the original — the executed
// steps' seconds, within a noise allowance — with no dependency install or prune re-run for Node.
// A decline must be a decline, with its reason printed. One figures line per app goes to
// BENCHMARKS.md.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { recognize } from '../../src/ecosystems.js';
import { andChain } from '../../src/shell.js';
import { FIXTURES, ROOT, runCli, tempDir } from '../helpers.js';
import { failures, npmAsset, requireDocker, verifyJson } from './helpers.js';

requireDocker();
const APPS = path.join(FIXTURES, 'apps');
const MAX_RATIO: Record<string, number | undefined> = { node: 0.5, go: 0.1, python: 0.35 };
/** A build step that installs dependencies or prunes them, as the transforms themselves read installs. */
function installsOrPrunes(step: string): boolean {
  const run = /^RUN\s+(.*)$/s.exec(step);
  if (!run) return false;
  const chain = andChain(run[1]!, { anyOperator: true });
  // `yarn workspaces focus` is yarn 2+'s production install.
  const focus = (w: readonly (string | null)[]) => w[0] === 'yarn' && w[1] === 'workspaces' && w[2] === 'focus';
  return chain.ok && chain.commands.some((c) => recognize(c.words)?.kind === 'install' || focus(c.words) || ((c.words[0] === 'npm' || c.words[0] === 'pnpm') && c.words[1] === 'prune'));
}
// Rebuild seconds on a shared two-core machine wobble: a rewrite may take this much longer than the
// original before it counts as slower (whichever is larger).
const NOISE_SECONDS = 1;
const NOISE_SHARE = 0.25;

interface AppSpec {
  ecosystem: string;
  http: string;
  touch: string;
  env?: Record<string, string>;
  expect?: 'split' | 'decline';
  why?: string;
  /** Files a real repository would commit, fetched from the npm registry into the app's copy. */
  assets?: { npm: string; file: string; to: string }[];
  /** Files a developer's checkout has and the repository does not commit (node_modules caches, logs), written into the app's copy. */
  junk?: { path: string; bytes: number }[];
}

// The README's example apps too: its first command shows their rewrites, and its figures come from here.
const EXAMPLES = path.join(ROOT, 'examples');
const only = process.env.STAGEOPT_E2E_APPS?.split(',');
const appsIn = (root: string, prefix: string) =>
  fs
    .readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && (!only || only.includes(prefix + e.name)))
    .map((e) => ({ app: prefix + e.name, dir: path.join(root, e.name) }))
    .sort((a, b) => a.app.localeCompare(b.app));
const apps = [...appsIn(APPS, ''), ...appsIn(EXAMPLES, 'examples/')];
const rows: string[] = [];
const declined: string[] = [];

for (const { app, dir } of apps) {
  const spec = JSON.parse(fs.readFileSync(path.join(dir, 'verify.json'), 'utf8')) as AppSpec;
  const expectation = spec.expect === 'decline' ? 'is declined, with its reason' : 'is rewritten: equivalent, smaller, and no slower to rebuild after a source edit';
  test(`${app}: the --unsafe run ${expectation}`, () => {
    const copy = path.join(tempDir('stageopt-e2e-app-'), path.basename(dir));
    fs.cpSync(dir, copy, { recursive: true });
    for (const asset of spec.assets ?? []) npmAsset(asset, copy);
    for (const junk of spec.junk ?? []) writeJunk(copy, junk);
    try {
      const env = Object.entries(spec.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
      const args = [copy, '--unsafe', '--http', spec.http, '--touch', spec.touch, '--timeout', '60', ...env];
      const r = verifyJson(args);
      assert.ok(r.doc, `no JSON report (exit ${r.status}): ${r.stderr}`);
      if (spec.expect === 'decline') {
        // Declined means the split: the hygiene transforms may still change the file, and then
        // their rewrite must verify like any other.
        const dry = runCli(['--dry-run', '--unsafe', '--format', 'json', copy]);
        const file = JSON.parse(dry.stdout).files[0] as { fixes: { transform: string }[]; declines: { transform: string | null; message: string }[] };
        const split = file.declines.find((d) => d.transform === 'split-stages');
        assert.ok(split && !file.fixes.some((f) => f.transform === 'split-stages'), `${app} should be declined by split-stages (${spec.why}); got ${JSON.stringify(file)}`);
        declined.push(`| ${app} | ${split.message} |`);
        if (!r.doc.outcome) {
          assert.equal(failures(r.doc), [], `${app}: the rewrite of the other transforms is not equivalent:\n${failures(r.doc).join('\n')}`);
          assert.is(r.status, 0, r.stderr);
        }
        return;
      }
      if (r.doc.outcome) assert.unreachable(`stageopt leaves ${app} ${r.doc.outcome}: ${r.doc.reason}`);
      const { size, rebuild } = r.doc;
      if (size && rebuild?.original) {
        const side = (s: { seconds: number; stepSeconds: number; executed: number; cached: number }) => `${s.stepSeconds} s in steps (${s.seconds} s wall), ${s.executed} run / ${s.cached} cached`;
        rows.push(`| ${app} | ${mb(size.original.bytes)} | ${mb(size.rewrite.bytes)} | ${size.ratio.toFixed(2)}x | ${side(rebuild.original)} | ${side(rebuild.rewrite)} | ${r.doc.equivalent ? 'yes' : 'NO'} |`);
      }
      assert.equal(failures(r.doc), [], `${app} is not equivalent:\n${failures(r.doc).join('\n')}\n${JSON.stringify(r.doc.builds, null, 1)}`);
      assert.is(r.status, 0, r.stderr);
      const max = MAX_RATIO[spec.ecosystem];
      if (max !== undefined) assert.ok(size.ratio <= max, `${app}: ${size.ratio}x the original size, expected <= ${max}x`);
      // One rebuild of a few seconds wobbles by more than the allowance on a shared two-core
      // machine (nest-style, the same Dockerfiles: 5.2 → 3.8 s in one run, 3.0 → 5.1 s in the
      // next). A rewrite that looks slower is measured once more, and each side counts its faster
      // rebuild: a rewrite that is really slower is slower both times.
      let { original: before, rewrite: after } = rebuild;
      const slower = () => after.stepSeconds > before.stepSeconds + Math.max(NOISE_SECONDS, NOISE_SHARE * before.stepSeconds);
      if (slower()) {
        const again = verifyJson(args);
        if (again.doc?.rebuild?.original && again.doc.rebuild.rewrite) {
          if (again.doc.rebuild.original.stepSeconds < before.stepSeconds) before = again.doc.rebuild.original;
          if (again.doc.rebuild.rewrite.stepSeconds < after.stepSeconds) after = again.doc.rebuild.rewrite;
          console.log(`\n${app}: rebuild measured twice: original ${rebuild.original.stepSeconds} / ${again.doc.rebuild.original.stepSeconds} s, rewrite ${rebuild.rewrite.stepSeconds} / ${again.doc.rebuild.rewrite.stepSeconds} s\n`);
        }
      }
      assert.ok(
        !slower(),
        `${app}: the rewrite rebuilds slower after editing ${spec.touch}: ${after.stepSeconds} s in ${after.executedSteps.join(', ')} against the original's ${before.stepSeconds} s in ${before.executedSteps.join(', ')}`,
      );
      if (spec.ecosystem === 'node') {
        const rerun = rebuild.rewrite.executedSteps.filter((s: string) => installsOrPrunes(s));
        assert.equal(rerun, [], `${app}: the rewrite re-ran its install or prune after editing ${spec.touch}`);
      }
    } finally {
      fs.rmSync(path.dirname(copy), { recursive: true, force: true });
    }
  });
}

test.after(() => {
  console.log(`\n| app | original | rewrite | size | rebuild original | rebuild rewrite | equivalent |\n| --- | --- | --- | --- | --- | --- | --- |\n${rows.join('\n')}\n`);
  if (declined.length > 0) console.log(`| declined app | reason |\n| --- | --- |\n${declined.join('\n')}\n`);
});

/** Incompressible bytes, as a build cache or a log would be, so the image size shows what they cost. */
function writeJunk(appDir: string, junk: { path: string; bytes: number }): void {
  const file = path.join(appDir, junk.path);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, crypto.randomBytes(junk.bytes));
}

function mb(bytes: number): string {
  return `${Math.round(bytes / 1_000_000)} MB`;
}

test.run();
