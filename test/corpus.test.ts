// Every transform (unsafe included) over Dockerfiles other people wrote: ../shared/corpus/real
// (application repos) and ../shared/corpus/edge (parser test files of BuildKit, buildah, kaniko…).
// No crash, no invariant failure, idempotent, unchanged files byte-identical. Unreadable inputs
// (UTF-16 files, say) must end as a clear error, never as a transform error.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { folderContext } from '../src/build-context.js';
import { syntheticContext } from './corpus-context.js';
import { decodeDockerfile } from '../src/input.js';
import { corpusDir, engineWith } from './helpers.js';

const corpus = corpusDir();

if (!corpus) {
  test('corpus (skipped: ../shared/corpus is not beside this checkout; set STAGEOPT_CORPUS to run it)', () => {
    console.log('  corpus test skipped: ../shared/corpus not found (CI always has it; a plain clone does not)');
  });
} else {
  for (const part of ['real', 'edge']) {
    test(`corpus/${part}: every transform, twice`, () => {
      const dir = path.join(corpus, part);
      const files = fs.readdirSync(dir).filter((f) => f.endsWith('.Dockerfile')).sort();
      assert.ok(files.length > 50, `expected the ${part} corpus to hold Dockerfiles, found ${files.length}`);
      const counts: Record<string, number> = { changed: 0, unchanged: 0, declined: 0, unreadable: 0 };
      const failures: string[] = [];
      for (const name of files) {
        const decoded = decodeDockerfile(fs.readFileSync(path.join(dir, name)));
        if (!decoded.ok) {
          counts.unreadable!++;
          continue;
        }
        const first = engineWith(decoded.raw, undefined, { unsafe: true });
        if (first.status === 'error') {
          failures.push(`${name}: ${first.error!.message}`);
          continue;
        }
        counts[first.status]!++;
        if (first.status !== 'changed' && first.output !== decoded.raw) failures.push(`${name}: ${first.status} but not byte-identical`);
        const second = engineWith(first.output, undefined, { unsafe: true });
        if (second.status === 'error') failures.push(`${name}: second run: ${second.error!.message}`);
        else if (second.output !== first.output) failures.push(`${name}: not idempotent (second run changed it again)`);
      }
      console.log(`  corpus/${part}: ${files.length} files: ${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
      assert.equal(failures, [], failures.join('\n'));
    });
  }
}

if (corpus) {
  test('corpus/real with synthetic build contexts: context-reading transforms rewrite real shapes safely', () => {
    const dir = path.join(corpus, 'real');
    const rows = fs.readFileSync(path.join(dir, 'manifest.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    const failures: string[] = [];
    const fixes: Record<string, number> = {};
    const declines: Record<string, number> = {};
    for (const [name, , , , ecosystem] of rows) {
      const decoded = decodeDockerfile(fs.readFileSync(path.join(dir, name!)));
      if (!decoded.ok) continue;
      const contextDir = syntheticContext(decoded.raw, ecosystem!);
      const context = folderContext(contextDir);
      const first = engineWith(decoded.raw, undefined, { unsafe: true, context });
      const second = engineWith(first.output, undefined, { unsafe: true, context });
      fs.rmSync(contextDir, { recursive: true, force: true });
      if (first.status === 'error') {
        failures.push(`${name}: ${first.error!.message}`);
        continue;
      }
      for (const f of first.fixes) fixes[f.transform] = (fixes[f.transform] ?? 0) + 1;
      for (const d of first.declines) {
        const reason = `${d.transform ?? 'file'}: ${d.message.replace(/line \d+/g, 'line N').replace(/"[^"]*"/g, '"…"').slice(0, 70)}`;
        declines[reason] = (declines[reason] ?? 0) + 1;
      }
      if (second.status === 'error') failures.push(`${name}: second run: ${second.error!.message}`);
      else if (second.output !== first.output) failures.push(`${name}: not idempotent with its build context`);
    }
    console.log(`  corpus/real with contexts: fixes ${JSON.stringify(fixes)}`);
    for (const [reason, n] of Object.entries(declines).sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`    ${n} × ${reason}`);
    assert.ok((fixes['manifest-first'] ?? 0) >= 10, `manifest-first should rewrite real shapes, fixed ${fixes['manifest-first'] ?? 0}`);
    // Few real files copy a whole stage folder from a stage whose build stageopt can read; the Go
    // one (go build -o app, CMD ./app) must keep being narrowed.
    assert.ok((fixes['narrow-copy-from'] ?? 0) >= 1, `narrow-copy-from should narrow a real shape, fixed ${fixes['narrow-copy-from'] ?? 0}`);
    assert.equal(failures, [], failures.join('\n'));
  });
}

test.run();
