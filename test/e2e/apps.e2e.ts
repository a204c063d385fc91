// The product proof: every fixture app in __fixtures__/apps, rewritten by stageopt with every
// transform (--unsafe), must verify as equivalent on the real engine and show the gains the issue
// promises: Node <= 0.40x the image size with no dependency install re-run after a source edit,
// Go <= 0.10x, Python <= 0.35x. One figures line per app is printed for BENCHMARKS.md.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FIXTURES, tempDir } from '../helpers.js';
import { failures, requireDocker, verifyJson } from './helpers.js';

requireDocker();
const APPS = path.join(FIXTURES, 'apps');
const MAX_RATIO: Record<string, number | undefined> = { node: 0.4, go: 0.1, python: 0.35 };
const INSTALL = /\b(npm (ci|install|i)|yarn( install)?|pnpm (install|i)|pip install|go mod download)\b/;

interface AppSpec {
  ecosystem: string;
  http: string;
  touch: string;
  env?: Record<string, string>;
}

const only = process.env.STAGEOPT_E2E_APPS?.split(',');
const apps = fs
  .readdirSync(APPS, { withFileTypes: true })
  .filter((e) => e.isDirectory() && (!only || only.includes(e.name)))
  .map((e) => e.name)
  .sort();
const rows: string[] = [];

for (const app of apps) {
  test(`${app}: the --unsafe rewrite is equivalent and smaller, and keeps its install cached`, () => {
    const spec = JSON.parse(fs.readFileSync(path.join(APPS, app, 'verify.json'), 'utf8')) as AppSpec;
    const copy = path.join(tempDir('stageopt-e2e-app-'), app);
    fs.cpSync(path.join(APPS, app), copy, { recursive: true });
    try {
      const env = Object.entries(spec.env ?? {}).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
      const r = verifyJson([copy, '--unsafe', '--http', spec.http, '--touch', spec.touch, '--timeout', '60', ...env]);
      assert.ok(r.doc, `no JSON report (exit ${r.status}): ${r.stderr}`);
      if (r.doc.outcome) assert.unreachable(`stageopt leaves ${app} ${r.doc.outcome}: nothing was rewritten`);
      const { size, rebuild } = r.doc;
      if (size && rebuild?.original) {
        rows.push(`| ${app} | ${mb(size.original.bytes)} | ${mb(size.rewrite.bytes)} | ${size.ratio.toFixed(2)}x | ${rebuild.original.seconds} s, ${rebuild.original.executed} run / ${rebuild.original.cached} cached | ${rebuild.rewrite.seconds} s, ${rebuild.rewrite.executed} run / ${rebuild.rewrite.cached} cached | ${r.doc.equivalent ? 'yes' : 'NO'} |`);
      }
      assert.equal(failures(r.doc), [], `${app} is not equivalent:\n${failures(r.doc).join('\n')}\n${JSON.stringify(r.doc.builds, null, 1)}`);
      assert.is(r.status, 0, r.stderr);
      const max = MAX_RATIO[spec.ecosystem];
      if (max !== undefined) assert.ok(size.ratio <= max, `${app}: ${size.ratio}x the original size, expected <= ${max}x`);
      if (spec.ecosystem === 'node') {
        const rerun = rebuild.rewrite.executedSteps.filter((s: string) => INSTALL.test(s));
        assert.equal(rerun, [], `${app}: the rewrite re-ran its install after editing ${spec.touch}`);
      }
    } finally {
      fs.rmSync(path.dirname(copy), { recursive: true, force: true });
    }
  });
}

test.after(() => {
  console.log(`\n| app | original | rewrite | size | rebuild original | rebuild rewrite | equivalent |\n| --- | --- | --- | --- | --- | --- | --- |\n${rows.join('\n')}\n`);
});

function mb(bytes: number): string {
  return `${Math.round(bytes / 1_000_000)} MB`;
}

test.run();
