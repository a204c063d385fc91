// Every registered transform is a complete unit: a docs page in the agreed parts, fixture cases
// that change a file and cases that leave one alone, and a consistent declaration.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cosmiconfig, defaultLoaders } from 'cosmiconfig';
import { parseConfig } from '../src/config.js';
import { resolveOptions } from '../src/options.js';
import { TRANSFORMS } from '../transforms/index.js';
import { FIXTURES, ROOT } from './helpers.js';

const SECTIONS = ['## What it does', '## Why', '## Example', '## Fix safety', '## When it declines'];

test('transform ids are unique kebab-case', () => {
  const ids = TRANSFORMS.map((t) => t.id);
  assert.equal([...new Set(ids)], ids);
  for (const id of ids) assert.match(id, /^[a-z]+(-[a-z]+)*$/);
});

for (const transform of TRANSFORMS) {
  test(`${transform.id}: declaration`, () => {
    assert.ok(['safe', 'unsafe'].includes(transform.safety));
    if (transform.safety === 'unsafe') {
      // Shown beside every unsafe fix in the review: one line, saying what may change.
      assert.ok(transform.unsafeReason && transform.unsafeReason.length > 20 && !transform.unsafeReason.includes('\n'), `${transform.id} needs a one-line unsafeReason`);
    }
    assert.ok(transform.summary.length > 10 && !transform.summary.includes('\n'));
    // Defaults must pass the transform's own validation.
    resolveOptions(transform.options, undefined, transform.id);
    for (const [key, spec] of Object.entries(transform.options as Record<string, { description: string }>)) {
      assert.ok(spec.description, `${transform.id}.${key} needs a description`);
    }
  });

  test(`${transform.id}: docs page with every part, naming its safety and options`, () => {
    const file = path.join(ROOT, 'docs', 'transforms', `${transform.id}.md`);
    assert.ok(fs.existsSync(file), `missing ${file}`);
    const doc = fs.readFileSync(file, 'utf8');
    let last = -1;
    for (const section of SECTIONS) {
      const at = doc.indexOf(section);
      assert.ok(at > last, `${transform.id}.md: "${section}" missing or out of order`);
      last = at;
    }
    assert.ok(doc.includes(`Safety: **${transform.safety}**`), `${transform.id}.md must state "Safety: **${transform.safety}**"`);
    for (const key of Object.keys(transform.options)) assert.ok(doc.includes(`\`${key}\``), `${transform.id}.md must document option ${key}`);
  });

  test(`${transform.id}: fixture cases that change a file and that leave one alone`, () => {
    const dir = path.join(FIXTURES, transform.id);
    assert.ok(fs.existsSync(dir), `missing ${dir}`);
    const cases = fs.readdirSync(dir);
    const changed = cases.filter((c) => fs.existsSync(path.join(dir, c, 'output.Dockerfile')) || fs.existsSync(path.join(dir, c, 'output.dockerignore')));
    const unchanged = cases.filter((c) => !changed.includes(c));
    assert.ok(changed.length >= 1, 'needs a case with output.Dockerfile (or output.dockerignore)');
    assert.ok(unchanged.length >= 1, 'needs a case without output.Dockerfile (must stay byte-identical)');
    for (const c of cases) {
      assert.ok(fs.existsSync(path.join(dir, c, 'input.Dockerfile')), `${c}: missing input.Dockerfile`);
      for (const f of fs.readdirSync(path.join(dir, c))) {
        assert.ok(['input.Dockerfile', 'output.Dockerfile', 'output.dockerignore', 'options.json', 'declines.txt', 'context', 'with.json'].includes(f), `${c}: unexpected file ${f}`);
      }
    }
  });
}

test('.stageoptrc.example is a valid config that documents every transform and option', async () => {
  const file = path.join(ROOT, '.stageoptrc.example');
  const example = fs.readFileSync(file, 'utf8');
  // Loaded the way a real .stageoptrc is (YAML), then validated like one.
  const loaded = await cosmiconfig('stageopt', { loaders: { '.example': defaultLoaders['.yaml'] } }).load(file);
  parseConfig(loaded!.config, file, TRANSFORMS);
  for (const t of TRANSFORMS) {
    assert.ok(example.includes(`${t.id}:`), `.stageoptrc.example must document ${t.id}`);
    for (const key of Object.keys(t.options)) assert.ok(example.includes(`${key}:`), `.stageoptrc.example must document ${t.id}.${key}`);
  }
});

test.run();
