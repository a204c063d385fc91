// Shared by the test files: where things are, and how to run the engine or the built CLI.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NO_CONTEXT, type BuildContext } from '../src/build-context.js';
import { runEngine, type EngineResult } from '../src/engine.js';
import { resolveOptions } from '../src/options.js';
import type { RunSettings } from '../src/runner.js';
import type { Transform } from '../src/transform.js';
import { TRANSFORMS } from '../transforms/index.js';

/** The project root (tests run from dist/test). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = path.join(ROOT, 'dist', 'src', 'cli.js');
export const FIXTURES = path.join(ROOT, '__fixtures__');

export function engineWith(
  raw: string,
  transforms: readonly Transform[] = TRANSFORMS,
  opts: { options?: Record<string, unknown>; unsafe?: boolean; context?: BuildContext; accept?: (id: string, key: string) => boolean } = {},
): EngineResult {
  return runEngine(raw, {
    transforms: transforms.map((t) => ({
      transform: t,
      options: resolveOptions(t.options, opts.options?.[t.id], `transforms.${t.id}.options`),
    })),
    allowUnsafe: opts.unsafe ?? false,
    buildContext: opts.context ?? NO_CONTEXT,
    file: 'Dockerfile',
    accept: opts.accept,
  });
}

export function tempDir(prefix = 'stageopt-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes a tree of files ({ 'a/Dockerfile': 'FROM x\n' }) under a new temporary folder. */
export function makeTree(files: Record<string, string | Buffer>): string {
  const dir = tempDir();
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: SpawnSyncOptions = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
    timeout: 30_000,
    ...options,
  });
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** The shared corpus (../shared/corpus beside the checkout), or null when this clone has none. */
export function corpusDir(): string | null {
  const dir = process.env.STAGEOPT_CORPUS ?? path.resolve(ROOT, '..', 'shared', 'corpus');
  return fs.existsSync(dir) ? dir : null;
}

/** A multi-stage file name-stages rewrites (three fixes), and one nothing touches. */
export const MULTI = 'FROM golang:1.22\nRUN go build -o /out/app .\nFROM alpine\nCOPY --from=0 /out/app /app\n';
export const CLEAN = 'FROM alpine\nRUN true\n';
export const BOM = '\uFEFF';
export const DEFAULT_SETTINGS: RunSettings = { registry: TRANSFORMS, only: null, skip: [], unsafe: false, context: null };

/**
 * Dockerfiles that are awkward for any output that describes a change (SARIF fixes, patches):
 * CRLF, no final newline, a BOM, moved lines (manifest-first), a CRLF file whose last line moves
 * up, an untouched file, a declined file and an unreadable one.
 */
export const AWKWARD_FILES: Record<string, string | Buffer> = {
  'crlf/Dockerfile': MULTI.replace(/\n/g, '\r\n'),
  'nofinal/Dockerfile': MULTI.slice(0, -1),
  'bom/Dockerfile': BOM + MULTI,
  'web/Dockerfile': 'FROM node:20\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\nEXPOSE 3000\nCMD ["node", "dist/server.js"]\n',
  'web/package.json': '{"name":"web","scripts":{"build":"tsc"}}\n',
  'web/package-lock.json': '{"lockfileVersion":3}\n',
  'py/Dockerfile': 'FROM python:3.12-slim\r\nWORKDIR /app\r\nCOPY . .\r\nRUN pip install -r requirements.txt',
  'py/requirements.txt': 'flask\n',
  'clean/Dockerfile': CLEAN,
  'bad/Dockerfile': 'FROM node\nEXPOSO 80\n',
  'binary/Dockerfile': Buffer.from([0x46, 0x52, 0x4f, 0x4d, 0x00, 0x0a]),
};
