// --report FILE.md: the Markdown a pull request carries. Through the built CLI on a batch of three
// repositories (one whose Dockerfiles change, one whose Dockerfiles decline for the same reason, one
// whose Dockerfile cannot be read): sections per repository, the fixes with their transform and
// safety, declines grouped, errors, links to the transforms' docs entries. Then the renderer alone:
// escaping, review mode, and the --verify figures.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { anchor, code, markdownReport, text, type MarkdownInput } from '../src/markdown-report.js';
import type { FileReport } from '../src/runner.js';
import type { VerifyReport } from '../src/verify/verify.js';
import { TRANSFORMS } from '../transforms/index.js';
import { makeTree, runCli } from './helpers.js';

const EXPRESS = 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm install\nCMD ["node", "server.js"]\n';
const PKG = JSON.stringify({ name: 'app', version: '1.0.0', dependencies: { express: '^4.19.2' } });

function batch(): { dir: string; list: string } {
  const dir = makeTree({
    // changes: manifests copied before the install, in two services
    'shop/.git/HEAD': 'ref: refs/heads/main\n',
    'shop/api/Dockerfile': EXPRESS,
    'shop/api/package.json': PKG,
    'shop/api/server.js': 'require("express")\n',
    'shop/web/Dockerfile': EXPRESS,
    'shop/web/package.json': PKG,
    'shop/web/server.js': 'require("express")\n',
    // declines, for the same reason in two files (no package.json in their contexts)
    'billing/.git/HEAD': 'ref: refs/heads/main\n',
    // An ignore file of its own, so that the dockerignore transform has nothing to propose here.
    'billing/.dockerignore': '.git\n',
    'billing/Dockerfile': EXPRESS,
    'billing/worker/Dockerfile': EXPRESS,
    // an error: not UTF-8
    'legacy/.git/HEAD': 'ref: refs/heads/main\n',
    'legacy/Dockerfile': Buffer.from('\xff\xfeF\x00R\x00O\x00M\x00', 'latin1'),
  });
  const list = path.join(dir, 'repos.txt');
  fs.writeFileSync(list, 'shop\nbilling\nlegacy\n');
  return { dir, list };
}

/** The lines of one `## ` section. */
function section(md: string, heading: string): string {
  const start = md.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `no section ${heading} in:\n${md}`);
  const end = md.indexOf('\n## ', start + 1);
  return md.slice(start, end < 0 ? undefined : end);
}

test('a batch of three repositories through the CLI: sections, fixes, grouped declines, errors, docs links', () => {
  const { dir, list } = batch();
  const out = path.join(dir, 'report.md');
  const r = runCli(['--dry-run', '--repos-from', list, '--report', out], { cwd: dir });
  assert.is(r.status, 1, r.stderr);
  assert.match(r.stderr, /stageopt: wrote the report to .*report\.md\n/);
  const md = fs.readFileSync(out, 'utf8');
  assert.ok(md.startsWith('# stageopt report\n\n5 Dockerfiles in 3 repositories, proposed (nothing written); stageopt '), md);
  assert.equal([...md.matchAll(/^## (.*)$/gm)].map((m) => m[1]), ['billing', 'legacy', 'shop', 'Transforms']);

  const shop = section(md, 'shop');
  assert.match(shop, /\| `api\/Dockerfile` \| would change \| `manifest-first` \(safe\) \|/);
  assert.match(shop, /\| `web\/Dockerfile` \| would change \| `manifest-first` \(safe\) \|/);
  assert.match(shop, /### `api\/Dockerfile`\n\n- \[`manifest-first`\]\(#transform-manifest-first\), safe, line 3: /);
  // split-stages is unsafe: left out, with the reason it is unsafe
  assert.match(shop, /### Unsafe fixes not applied\n[\s\S]*- `api\/Dockerfile` line 1, \[`split-stages`\]\(#transform-split-stages\): split into [^\n]*\. Unsafe because the final image runs on another base image/);

  const billing = section(md, 'billing');
  assert.match(billing, /\| `Dockerfile` \| declined \| – \|\n\| `worker\/Dockerfile` \| declined \| – \|/);
  const declines = billing.slice(billing.indexOf('### Declined')).split('\n').filter((l) => l.startsWith('- '));
  // One reason in two files: one entry naming both.
  assert.ok(declines.includes('- [`manifest-first`](#transform-manifest-first): no package.json in the build context — `Dockerfile` line 3, `worker/Dockerfile` line 3'), declines.join('\n'));

  const legacy = section(md, 'legacy');
  assert.match(legacy, /\| `Dockerfile` \| error \| – \|/);
  assert.match(legacy, /### Errors\n\n- `Dockerfile`: encoded as UTF-16 \(little-endian\); only UTF-8 Dockerfiles are edited\n/);

  // Every link goes to an entry of the Transforms list, which names the docs page and the command.
  const links = new Set([...md.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]));
  const headings = new Set([...md.matchAll(/^### (transform .*)$/gm)].map((m) => anchor(m[1]!)));
  // The transforms with something to say here: fixes, withheld unsafe fixes (cache mounts, npm ci) and declines.
  assert.equal([...links].sort(), ['transform-cache-mounts', 'transform-manifest-first', 'transform-reproducible-install', 'transform-split-stages']);
  assert.equal([...headings].sort(), [...links].sort());
  assert.match(md, /### transform split-stages\n\nSplit a single-stage [^\n]*Safety: unsafe\. Docs: `stageopt --explain split-stages`, `docs\/transforms\/split-stages\.md`\.\n/);
  for (const id of links) assert.ok(fs.existsSync(path.join('docs', 'transforms', `${id!.replace('transform-', '')}.md`)), `${id} has a docs page`);
});

test('--report fails cleanly when it cannot be written; with stdin it is a usage error', () => {
  const { dir, list } = batch();
  const r = runCli(['--dry-run', '--repos-from', list, '--report', path.join(dir, 'no-such-folder', 'r.md')], { cwd: dir });
  assert.is(r.status, 1);
  assert.match(r.stderr, /stageopt: --report .*r\.md: cannot write \(/);
  const s = runCli(['--dry-run', '--report', 'r.md', '-'], { cwd: dir, input: EXPRESS });
  assert.is(s.status, 2);
  assert.match(s.stderr, /--report describes files on disk/);
});

test('escaping: a | or a backtick in a path or message breaks neither a table nor a code span', () => {
  assert.is(code('a`b'), '``a`b``');
  assert.is(code('`x'), '`` `x ``');
  assert.is(text('a|b `c` *d* [e](f) <g> 1_2'), 'a\\|b \\`c\\` \\*d\\* \\[e\\](f) \\<g\\> 1\\_2');
  assert.is(text('two\nlines'), 'two lines');
  const report = fileReport('/r/we|ird`/Dockerfile', { outcome: 'error', error: 'bad | very `bad`' });
  const md = markdownReport(input([report]));
  const row = md.split('\n').find((l) => l.startsWith('| ``we'))!;
  assert.is(row, '| ``we\\|ird`/Dockerfile`` | error | – |');
  // Four cells' worth of unescaped pipes: the row still has three columns.
  assert.is(row.split(/(?<!\\)\|/).length - 2, 3);
  assert.match(md, /- ``we\|ird`\/Dockerfile``: bad \\\| very \\`bad\\`\n/);
});

test('review mode: only what the reviewer accepted is described as a change', () => {
  const accepted = changed('/r/a/Dockerfile');
  const skipped = changed('/r/b/Dockerfile');
  const md = markdownReport({ ...input([accepted, skipped]), mode: 'review', written: new Set([accepted]) });
  assert.match(md, /reviewed: the changes below are those the reviewer accepted/);
  assert.match(md, /\| `a\/Dockerfile` \| changed \(accepted in the review\) \| `name-stages` \(safe\) \|/);
  assert.match(md, /\| `b\/Dockerfile` \| not accepted in the review \| – \|/);
  assert.ok(md.includes('### `a/Dockerfile`') && !md.includes('### `b/Dockerfile`'), md);
});

test('--verify: the measured size and rebuild, before and after', () => {
  const report = changed('/r/a/Dockerfile');
  const verify = {
    equivalent: true,
    builds: { original: { ok: true, seconds: 41.2, executed: 3, cached: 0 }, rewrite: { ok: true, seconds: 44, executed: 5, cached: 0 } },
    size: { original: { bytes: 850_000_000, layers: 9 }, rewrite: { bytes: 12_300_000, layers: 3 }, ratio: 0.014 },
    rebuild: { touched: 'main.go', original: { ok: true, seconds: 38.5, stepSeconds: 37, executed: 2, cached: 1, executedSteps: [] }, rewrite: { ok: true, seconds: 6.1, stepSeconds: 5, executed: 1, cached: 3, executedSteps: [] } },
    problems: [],
  } as unknown as VerifyReport;
  const md = markdownReport({ ...input([report]), verified: new Map([[report, { report: verify, text: '' }]]) });
  assert.match(md, /\| `a\/Dockerfile` \| would change, verified equivalent \|/);
  assert.match(md, /Verification \(stageopt verify\): \*\*equivalent\*\*\.\n\n\| \| before \| after \|\n\| --- \| --- \| --- \|\n\| build \| ok, 41\.2s \| ok, 44s \|\n\| image size \| 850 MB, 9 layers \| 12 MB, 3 layers \(0\.01×\) \|\n\| rebuild after editing `main\.go` \| 38\.5s, 2 steps run, 1 cached \| 6\.1s, 1 step run, 3 cached \|\n/);
  const failed = markdownReport({ ...input([report]), verified: new Map([[report, { report: null, text: 'a/Dockerfile: cannot verify: no daemon\n' }]]) });
  assert.match(failed, /would change, not verified/);
  assert.match(failed, /Verification: could not run: a\/Dockerfile: cannot verify: no daemon\n/);
});

function input(reports: FileReport[]): MarkdownInput {
  return { reports, mode: 'dry-run', written: new Set(), verified: new Map(), repoRootOf: () => '/r', registry: TRANSFORMS, version: '0.0.0', showPath: (p) => p };
}

function fileReport(absPath: string, more: Partial<FileReport>): FileReport {
  return { path: absPath, absPath, outcome: 'unchanged', original: '', bytes: null, engine: null, error: null, configError: false, ignoredByConfig: false, config: null, ...more };
}

function changed(absPath: string): FileReport {
  const engine = { output: 'x', fixes: [{ transform: 'name-stages', safety: 'safe', key: 'k', message: 'name stage 0 "build"', line: 1 }], declines: [], withheld: [], notes: [] };
  return fileReport(absPath, { outcome: 'changed', engine: engine as unknown as FileReport['engine'] });
}

test.run();
