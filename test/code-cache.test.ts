// The V8 code cache for mvdan-sh: the build writes one, a run uses it, and the library loaded from
// a cache (or despite a cache V8 refuses) reads scripts exactly as the one require() loads.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeCodeCache } from '../src/code-cache.js';
import { tempDir } from './helpers.js';

interface Sh {
  syntax: {
    NewParser(): { Parse(src: string, name: string): { Stmts: { Pos(): { Offset(): number }; End(): { Offset(): number }; Cmd: unknown }[] } };
    NodeType(node: unknown): string;
  };
}

const SCRIPT = 'CGO_ENABLED=0 go build -o /out/app ./cmd/app && echo "done" | tee log; npm ci';

/** What a parser makes of SCRIPT: each statement's type and span. */
function reading(sh: Sh): string[] {
  return sh.syntax
    .NewParser()
    .Parse(SCRIPT, '')
    .Stmts.map((s) => `${sh.syntax.NodeType(s.Cmd)} ${s.Pos().Offset()}-${s.End().Offset()}`);
}

const plain = reading(createRequire(import.meta.url)('mvdan-sh') as Sh);
const MODULE = new URL('../src/code-cache.js', import.meta.url).href;

/**
 * Loads mvdan-sh through the cache in a fresh process: inside one process V8 reuses what it has
 * compiled already, and would never look at the cache a second time.
 */
function loadInChild(cacheDir: string | null, flags: string[] = []): { cache: string; reading: string[] } {
  const code = `
    import { requireCached } from ${JSON.stringify(MODULE)};
    const { exports: sh, cache } = requireCached('mvdan-sh'${cacheDir === null ? '' : `, ${JSON.stringify(cacheDir)}`});
    const reading = sh.syntax.NewParser().Parse(${JSON.stringify(SCRIPT)}, '').Stmts.map((s) => sh.syntax.NodeType(s.Cmd) + ' ' + s.Pos().Offset() + '-' + s.End().Offset());
    process.stdout.write(JSON.stringify({ cache, reading }));`;
  const child = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', code], { encoding: 'utf8' });
  assert.is(child.status, 0, child.stderr);
  return JSON.parse(child.stdout) as { cache: string; reading: string[] };
}

test('the build wrote a code cache for mvdan-sh that this Node uses', () => {
  assert.equal(loadInChild(null), { cache: 'used', reading: plain });
});

test('a cache written and read back is used, and the library reads scripts as require() does', () => {
  const dir = tempDir();
  const file = writeCodeCache<Sh>('mvdan-sh', (sh) => reading(sh), dir);
  assert.equal(fs.readdirSync(dir), [path.basename(file)]);
  assert.equal(loadInChild(dir), { cache: 'used', reading: plain });
});

test('V8 refuses a cache made under other flags, and the library still loads and works', () => {
  assert.equal(loadInChild(null, ['--no-opt']), { cache: 'rejected', reading: plain });
});

test('a cache whose header is damaged is refused, and the library still loads and works', () => {
  const dir = tempDir();
  const file = writeCodeCache<Sh>('mvdan-sh', () => {}, dir);
  const bytes = fs.readFileSync(file);
  for (let i = 0; i < 16; i++) bytes[i] = bytes[i]! ^ 0xff;
  fs.writeFileSync(file, bytes);
  assert.equal(loadInChild(dir), { cache: 'rejected', reading: plain });
});

test('no cache in the folder: the library compiles as usual', () => {
  assert.equal(loadInChild(tempDir()), { cache: 'none', reading: plain });
});

test('writing a cache replaces older caches of the same library, and only those', () => {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'mvdan-sh.0000.v8-1.0.bin'), 'old');
  fs.writeFileSync(path.join(dir, 'other.0000.v8-1.0.bin'), 'kept');
  const file = writeCodeCache<Sh>('mvdan-sh', () => {}, dir);
  assert.equal(fs.readdirSync(dir).sort(), [path.basename(file), 'other.0000.v8-1.0.bin'].sort());
});

test.run();
