// The dockerignore transform alone, on a developer's checkout: express-node14 (no .dockerignore)
// with the junk its verify.json lists (a node_modules cache, logs). `stageopt verify --only
// dockerignore` must build the rewrite from a context holding the new .dockerignore — or the
// images would be the same size — and prove it equivalent and smaller by the junk.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FIXTURES, tempDir } from '../helpers.js';
import { failures, requireDocker, verifyJson } from './helpers.js';

requireDocker();
const APP = 'express-node14';

test(`${APP} with a developer's junk: the new .dockerignore alone is equivalent and keeps the junk out of the image`, () => {
  const spec = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'apps', APP, 'verify.json'), 'utf8')) as { http: string; touch: string; env: Record<string, string>; junk: { path: string; bytes: number }[] };
  const copy = path.join(tempDir('stageopt-e2e-dockerignore-'), APP);
  fs.cpSync(path.join(FIXTURES, 'apps', APP), copy, { recursive: true });
  for (const junk of spec.junk) {
    fs.mkdirSync(path.dirname(path.join(copy, junk.path)), { recursive: true });
    fs.writeFileSync(path.join(copy, junk.path), crypto.randomBytes(junk.bytes));
  }
  try {
    const env = Object.entries(spec.env).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
    const r = verifyJson([copy, '--only', 'dockerignore', '--http', spec.http, '--touch', spec.touch, '--timeout', '60', ...env]);
    assert.ok(r.doc, `no JSON report (exit ${r.status}): ${r.stderr}`);
    assert.equal(failures(r.doc), [], failures(r.doc).join('\n'));
    assert.is(r.status, 0, r.stderr);
    const junkBytes = spec.junk.reduce((n, j) => n + j.bytes, 0);
    const saved = r.doc.size.original.bytes - r.doc.size.rewrite.bytes;
    console.log(`\n${APP} --only dockerignore: ${r.doc.size.original.bytes} → ${r.doc.size.rewrite.bytes} bytes (${saved} saved, junk ${junkBytes}); rebuild ${r.doc.rebuild.original.seconds} s → ${r.doc.rebuild.rewrite.seconds} s; problems: ${r.doc.problems.map((p: { severity: string; message: string }) => `${p.severity}: ${p.message}`).join(' | ')}\n`);
    assert.ok(saved >= junkBytes * 0.95, `the rewrite should be smaller by the junk (${junkBytes} bytes), saved ${saved}`);
    assert.not.ok(fs.existsSync(path.join(copy, '.dockerignore')), 'verify never writes into the user\'s context');
  } finally {
    fs.rmSync(path.dirname(copy), { recursive: true, force: true });
  }
});

test.run();
