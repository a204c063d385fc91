// node scripts/output-hashes.mjs [--out FILE]: one line per input — the shared corpus (real/ with its
// synthetic build context, edge/ without), every fixture case and every fixture app — holding the
// SHA-256 of what every transform (unsafe fixes included) made of it: the output text and each fix
// and decline message. A refactor that claims "behaviour unchanged" proves it by giving the same
// file before and after (`diff` the two). Run after `npm run build`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { folderContext, NO_CONTEXT } from '../dist/src/build-context.js';
import { runEngine } from '../dist/src/engine.js';
import { decodeDockerfile } from '../dist/src/input.js';
import { resolveOptions } from '../dist/src/options.js';
import { TRANSFORMS } from '../dist/transforms/index.js';
import { syntheticContext } from '../dist/test/corpus-context.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CORPUS = process.env.STAGEOPT_CORPUS ?? path.resolve(ROOT, '..', 'shared', 'corpus');
const outAt = process.argv.indexOf('--out');
const lines = [];

function record(label, bytes, buildContext, contextDir) {
  const decoded = decodeDockerfile(bytes);
  if (!decoded.ok) return lines.push(`${label}\tunreadable`);
  let result;
  try {
    result = runEngine(decoded.raw, {
      transforms: TRANSFORMS.map((t) => ({ transform: t, options: resolveOptions(t.options, undefined, t.id) })),
      allowUnsafe: true,
      buildContext,
      file: 'Dockerfile',
    });
  } catch (err) {
    return lines.push(`${label}\tthrew ${String(err).slice(0, 80)}`);
  }
  // Synthetic contexts live in fresh temporary folders: their names must not change the hash.
  const stable = (m) => (contextDir ? m.split(contextDir).join('<context>') : m);
  const hash = crypto.createHash('sha256');
  hash.update(result.output ?? '');
  for (const f of result.fixes ?? []) hash.update(`\0fix ${f.transform} ${stable(f.message)}`);
  for (const d of result.declines ?? []) hash.update(`\0decline ${d.transform} ${stable(d.message)}`);
  if (result.error) hash.update(`\0error ${stable(String(result.error.message ?? result.error))}`);
  lines.push(`${label}\t${result.status}\t${hash.digest('hex').slice(0, 16)}`);
}

if (fs.existsSync(CORPUS)) {
  const manifest = fs.readFileSync(path.join(CORPUS, 'real', 'manifest.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
  const ecosystems = new Map(manifest.map(([file, , , , ecosystem]) => [file, ecosystem]));
  for (const part of ['real', 'edge']) {
    for (const name of fs.readdirSync(path.join(CORPUS, part)).sort()) {
      if (name.endsWith('.tsv') || name.endsWith('.md')) continue;
      const bytes = fs.readFileSync(path.join(CORPUS, part, name));
      if (part === 'real') {
        const dir = syntheticContext(bytes.toString('utf8'), ecosystems.get(name) ?? '');
        record(`corpus/${part}/${name}`, bytes, folderContext(dir), dir);
        fs.rmSync(dir, { recursive: true, force: true });
      } else record(`corpus/${part}/${name}`, bytes, NO_CONTEXT, null);
    }
  }
} else console.error(`output-hashes: no corpus at ${CORPUS}; hashing the fixtures only`);

const FIXTURES = path.join(ROOT, '__fixtures__');
for (const group of fs.readdirSync(FIXTURES).sort()) {
  const groupDir = path.join(FIXTURES, group);
  if (!fs.statSync(groupDir).isDirectory()) continue;
  for (const name of fs.readdirSync(groupDir).sort()) {
    const dir = path.join(groupDir, name);
    const input = group === 'apps' ? path.join(dir, 'Dockerfile') : path.join(dir, 'input.Dockerfile');
    if (!fs.existsSync(input)) continue;
    const contextDir = group === 'apps' ? dir : path.join(dir, 'context');
    const context = fs.existsSync(contextDir) ? folderContext(contextDir, input) : NO_CONTEXT;
    record(`fixtures/${group}/${name}`, fs.readFileSync(input), context, contextDir);
  }
}

const text = `${lines.join('\n')}\n`;
if (outAt !== -1) fs.writeFileSync(process.argv[outAt + 1], text);
else process.stdout.write(text);
console.error(`output-hashes: ${lines.length} inputs, digest ${crypto.createHash('sha256').update(text).digest('hex').slice(0, 16)}`);
