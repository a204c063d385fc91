// Every transform (unsafe included) over Dockerfiles other people wrote: ../shared/corpus/real
// (application repos) and ../shared/corpus/edge (parser test files of BuildKit, buildah, kaniko…).
// No crash, no invariant failure, idempotent, unchanged files byte-identical. Unreadable inputs
// (UTF-16 files, say) must end as a clear error, never as a transform error.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { folderContext } from '../src/build-context.js';
import { decodeDockerfile } from '../src/input.js';
import { Source } from '../src/source.js';
import { readStages } from '../src/stages.js';
import { corpusDir, engineWith, tempDir } from './helpers.js';

// Manifests a repository of each ecosystem would have, for the synthetic build contexts below.
const MANIFESTS: Record<string, Record<string, string>> = {
  node: { 'package.json': '{"name": "app", "version": "1.0.0"}\n', 'package-lock.json': '{}\n' },
  python: { 'requirements.txt': 'flask\n' },
  go: { 'go.mod': 'module example.com/app\n\ngo 1.22\n', 'go.sum': '\n' },
  ruby: { Gemfile: "source 'https://rubygems.org'\n", 'Gemfile.lock': 'GEM\n' },
  php: { 'composer.json': '{}\n', 'composer.lock': '{}\n' },
};

/**
 * The corpus has Dockerfiles without their repositories, so transforms that read the build context
 * would only decline. A plausible context — every plain COPY source the file names, plus the
 * manifests of its ecosystem — lets them rewrite real-world shapes under the same invariants.
 */
function syntheticContext(raw: string, ecosystem: string): string {
  const dir = tempDir('stageopt-corpus-');
  for (const stage of readStages(Source.fromText(raw))) {
    for (const instruction of stage.instructions) {
      if (!['COPY', 'ADD'].includes(instruction.getKeyword())) continue;
      const args = instruction.getArguments().map((a) => a.getValue());
      for (const src of args.slice(0, -1)) {
        if (/[$*?[\]]|^https?:|^--|^\.\/?$/.test(src) || src.startsWith('/') || src.includes('..')) continue;
        const target = path.join(dir, src);
        try {
          if (src.endsWith('/')) fs.mkdirSync(target, { recursive: true });
          else if (!fs.existsSync(target)) {
            fs.mkdirSync(path.dirname(target), { recursive: true });
            fs.writeFileSync(target, '\n');
          }
        } catch {
          // a path that is a file in one COPY and a folder in another: the first one wins
        }
      }
    }
  }
  for (const [name, content] of Object.entries(MANIFESTS[ecosystem] ?? {})) {
    try {
      fs.writeFileSync(path.join(dir, name), content);
    } catch {
      // the same name was created as a folder above
    }
  }
  return dir;
}

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
      const context = folderContext(syntheticContext(decoded.raw, ecosystem!));
      const first = engineWith(decoded.raw, undefined, { unsafe: true, context });
      if (first.status === 'error') {
        failures.push(`${name}: ${first.error!.message}`);
        continue;
      }
      for (const f of first.fixes) fixes[f.transform] = (fixes[f.transform] ?? 0) + 1;
      for (const d of first.declines) {
        const reason = `${d.transform ?? 'file'}: ${d.message.replace(/line \d+/g, 'line N').replace(/"[^"]*"/g, '"…"').slice(0, 70)}`;
        declines[reason] = (declines[reason] ?? 0) + 1;
      }
      const second = engineWith(first.output, undefined, { unsafe: true, context });
      if (second.status === 'error') failures.push(`${name}: second run: ${second.error!.message}`);
      else if (second.output !== first.output) failures.push(`${name}: not idempotent with its build context`);
    }
    console.log(`  corpus/real with contexts: fixes ${JSON.stringify(fixes)}`);
    for (const [reason, n] of Object.entries(declines).sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(`    ${n} × ${reason}`);
    assert.ok((fixes['manifest-first'] ?? 0) >= 10, `manifest-first should rewrite real shapes, fixed ${fixes['manifest-first'] ?? 0}`);
    assert.equal(failures, [], failures.join('\n'));
  });
}

test.run();
