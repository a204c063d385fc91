// Shared by the e2e tests: they run the built CLI against the real Docker engine that
// e2e/run-tests.sh started (DOCKER_HOST, STAGEOPT_DOCKER, STAGEOPT_VERIFY_NETWORK and
// STAGEOPT_VERIFY_BUILD_NETWORK come from it).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, runCli, type CliResult } from '../helpers.js';

export const APPS = path.join(ROOT, 'test', 'e2e', 'apps');
export const SAMPLES = path.join(ROOT, 'e2e', 'sample-apps');

/**
 * The daemon runs with --bridge=none here: a build on docker's default network has no route out
 * (it fails with "network bridge not found"), and an HTTP probe reaches a server only on the host
 * network. So the tests opt in to the host network for both, as a user of such an engine would:
 * verify's own default gives the smoke containers none (see isolation.e2e.ts).
 */
export const NETWORK = process.env.STAGEOPT_VERIFY_NETWORK ?? 'host';
export const BUILD_NETWORK = process.env.STAGEOPT_VERIFY_BUILD_NETWORK ?? 'host';

export function requireDocker(): void {
  if (!process.env.DOCKER_HOST || !process.env.STAGEOPT_DOCKER) {
    throw new Error('the e2e tests need the private engine: run them with "npm run test:e2e" (e2e/run-tests.sh)');
  }
}

export interface Verified {
  status: number | null;
  stderr: string;
  doc: any;
}

/** `stageopt verify ... --format json`, parsed; builds can take minutes. */
export function verifyJson(args: string[]): Verified {
  const r: CliResult = runCli(['verify', '--network', NETWORK, '--build-network', BUILD_NETWORK, '--format', 'json', ...args], { timeout: 20 * 60_000 });
  let doc: unknown = null;
  try {
    doc = JSON.parse(r.stdout);
  } catch {
    // left null: the assertion on doc shows stderr
  }
  return { status: r.status, stderr: r.stderr, doc };
}

export function failures(doc: { problems: { severity: string; check: string; message: string }[] }): string[] {
  return doc.problems.filter((p) => p.severity === 'fail').map((p) => `${p.check}: ${p.message}`);
}

/**
 * A file out of an npm registry package, written into an app copy (`.yarn/releases/yarn-4.9.2.cjs`
 * from `@yarnpkg/cli-dist@4.9.2`): what a real repository commits, fetched instead of kept in ours.
 * Tarballs are immutable per version, so each is packed once into the e2e state's cache.
 */
export function npmAsset(asset: { npm: string; file: string; to: string }, appDir: string): void {
  const cache = path.join(process.env.STAGEOPT_E2E_STATE ?? '/tmp/stageopt-e2e', 'cache', 'npm-assets');
  fs.mkdirSync(cache, { recursive: true });
  const tgz = path.join(cache, `${asset.npm.replace(/[^A-Za-z0-9.@-]+/g, '_')}.tgz`);
  if (!fs.existsSync(tgz)) {
    const packed = spawnSync('npm', ['pack', asset.npm, '--pack-destination', cache, '--silent'], { encoding: 'utf8', timeout: 120_000 });
    const name = packed.stdout.trim().split('\n').pop();
    if (packed.status !== 0 || !name) throw new Error(`npm pack ${asset.npm} failed: ${packed.stderr}`);
    fs.renameSync(path.join(cache, name), tgz);
  }
  const extracted = spawnSync('tar', ['-xzOf', tgz, `package/${asset.file}`], { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 });
  if (extracted.status !== 0) throw new Error(`${asset.npm} has no ${asset.file}: ${extracted.stderr}`);
  const dest = path.join(appDir, asset.to);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, extracted.stdout);
}
