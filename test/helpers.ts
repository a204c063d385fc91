// Shared by the test files: where things are, and how to run the engine or the built CLI.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NO_CONTEXT, type BuildContext } from '../src/build-context.js';
import { runEngine, type EngineResult } from '../src/engine.js';
import { resolveOptions } from '../src/options.js';
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
      safety: t.safety,
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
