// A plausible build context for a corpus Dockerfile, which comes without its repository. Shared by
// test/corpus.test.ts, test/fuzz.test.ts and scripts/corpus-report.mjs (through dist/test).
import fs from 'node:fs';
import path from 'node:path';
import { Source } from '../src/source.js';
import { readStages } from '../src/stages.js';
import { tempDir } from './helpers.js';

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
export function syntheticContext(raw: string, ecosystem: string): string {
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
