// The data-driven suite: __fixtures__/<transform>/<case>/ holds input.Dockerfile, and optionally
// output.Dockerfile (absent: the input must come back byte-identical), options.json (the
// transform's options), declines.txt (one expected decline message fragment per line; absent: no
// declines), context/ (the build context) and with.json (other transforms the case runs with, as a
// user's run would: split-stages builds on manifest-first's layout) and output.dockerignore (the
// .dockerignore the fix creates at the context root; absent: no file may be created). Every case
// runs its own transform (and those), unsafe fixes allowed, then again on its own output — with the
// created file in a copy of the context — which must not change.
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { folderContext, type BuildContext } from '../src/build-context.js';
import { decodeDockerfile } from '../src/input.js';
import { TRANSFORMS } from '../transforms/index.js';
import { engineWith, FIXTURES } from './helpers.js';

function read(file: string): string {
  const decoded = decodeDockerfile(fs.readFileSync(file));
  if (!decoded.ok) throw new Error(`${file}: ${decoded.reason}`);
  return decoded.raw;
}

for (const transform of TRANSFORMS) {
  const dir = path.join(FIXTURES, transform.id);
  if (!fs.existsSync(dir)) continue;
  for (const name of fs.readdirSync(dir).sort()) {
    const caseDir = path.join(dir, name);
    const input = read(path.join(caseDir, 'input.Dockerfile'));
    const outputFile = path.join(caseDir, 'output.Dockerfile');
    const expected = fs.existsSync(outputFile) ? read(outputFile) : input;
    const optionsFile = path.join(caseDir, 'options.json');
    const options = fs.existsSync(optionsFile) ? { [transform.id]: JSON.parse(fs.readFileSync(optionsFile, 'utf8')) } : {};
    const declinesFile = path.join(caseDir, 'declines.txt');
    const expectedDeclines = fs.existsSync(declinesFile) ? fs.readFileSync(declinesFile, 'utf8').split('\n').filter(Boolean) : [];
    const contextDir = path.join(caseDir, 'context');
    const context = fs.existsSync(contextDir) ? folderContext(contextDir) : undefined;
    const createdFile = path.join(caseDir, 'output.dockerignore');
    const expectedCreated = fs.existsSync(createdFile) ? [{ path: '.dockerignore', content: fs.readFileSync(createdFile, 'utf8') }] : [];
    const withFile = path.join(caseDir, 'with.json');
    const companions = fs.existsSync(withFile) ? (JSON.parse(fs.readFileSync(withFile, 'utf8')) as string[]).map((id) => TRANSFORMS.find((t) => t.id === id)!) : [];
    // In the registry's order, as the engine would run them.
    const transforms = TRANSFORMS.filter((t) => t === transform || companions.includes(t));
    const run = (text: string, ctx: BuildContext | undefined = context) => engineWith(text, transforms, { options, unsafe: true, context: ctx });

    test(`${transform.id}/${name}`, () => {
      const first = run(input);
      assert.is(first.error, undefined, `engine error: ${first.error?.message}`);
      assert.fixture(first.output, expected);
      assert.equal(
        first.declines.map((d) => d.message).filter((m, i) => !expectedDeclines[i] || !m.includes(expectedDeclines[i]!)),
        [],
        `declines ${JSON.stringify(first.declines.map((d) => d.message))} should contain, in order, ${JSON.stringify(expectedDeclines)}`,
      );
      assert.is(first.declines.length, expectedDeclines.length, `declines: ${JSON.stringify(first.declines.map((d) => d.message))}`);
      assert.equal(first.created, expectedCreated, 'created files');

      const withCreated = first.created.length > 0 ? contextWith(contextDir, first.created) : null;
      const second = run(first.output, withCreated?.context ?? context);
      if (withCreated) fs.rmSync(withCreated.dir, { recursive: true, force: true });
      assert.is(second.error, undefined, `second run: engine error: ${second.error?.message}`);
      assert.is(second.output, first.output, 'a second run must change nothing');
      assert.is(second.fixes.length, 0, 'a second run must find nothing to fix');
    });
  }
}

/** A temporary copy of a case's context with the files the first run created. */
function contextWith(dir: string, created: readonly { path: string; content: string }[]): { dir: string; context: BuildContext } {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'stageopt-fixture-'));
  if (fs.existsSync(dir)) fs.cpSync(dir, copy, { recursive: true });
  for (const file of created) fs.writeFileSync(path.join(copy, file.path), file.content, { flag: 'wx' });
  return { dir: copy, context: folderContext(copy) };
}

test.run();
