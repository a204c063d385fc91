// Which Node, and so which npm, an official `node` image tag runs: `node:14`, `node:14.17.0-alpine`,
// `node:fermium-slim`, `node:${NODE_VERSION}` with `ARG NODE_VERSION=16`. The npm an image bundles
// decides the flags a rewrite may use: npm 6 (Node ≤ 14 images) knows `--production` and ignores
// `--omit=dev` without a word — `npm prune --omit=dev` exits 0 and removes nothing, `npm ci
// --omit=dev` installs the dev dependencies (measured on the e2e stand-ins, e2e/BASE-IMAGES.md).
import type { ImageRef } from '../../stages.js';

// The release lines' codenames, as the official image tags them (`node:gallium-alpine`).
const CODENAMES: Record<string, number> = { argon: 4, boron: 6, carbon: 8, dubnium: 10, erbium: 12, fermium: 14, gallium: 16, hydrogen: 18, iron: 20, jod: 22, krypton: 24 };

/** The Node major of an image tag, or null when the tag does not say (`latest`, `lts`, `current`, a variable without a default). */
export function nodeMajor(ref: ImageRef, globalArgs: ReadonlyMap<string, string | null>): number | null {
  let tag = ref.tag ?? 'latest';
  const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?(.*)$/.exec(tag);
  if (variable) tag = (globalArgs.get(variable[1]!) ?? '') + variable[2];
  const version = /^v?(\d+)(?:[.-]|$)/.exec(tag);
  if (version) return Number(version[1]);
  const name = /^(?:lts-)?([a-z]+)(?:-|$)/.exec(tag)?.[1];
  return name !== undefined ? (CODENAMES[name] ?? null) : null;
}

/** The npm major the official image of a Node major bundles: 6 up to Node 14, 7 with 15, 8 with 16, 10 from 18 on (the images update npm within a line). */
export function bundledNpmMajor(nodeMajor: number): number {
  if (nodeMajor <= 14) return 6;
  if (nodeMajor === 15) return 7;
  if (nodeMajor <= 17) return 8;
  return 10;
}

export type NodePackageManager = 'npm' | 'yarn' | 'pnpm';

/**
 * The flag that makes an install leave dev dependencies out. npm: `--omit=dev` from npm 7 on,
 * `--production` before — and when the npm is unknown, since every npm still accepts it.
 */
export function productionFlag(manager: NodePackageManager, npmMajor: number | null): string {
  if (manager === 'pnpm') return '--prod';
  if (manager === 'yarn') return '--production';
  return npmMajor !== null && npmMajor >= 7 ? '--omit=dev' : '--production';
}

/** The prune that removes dev dependencies from an installed tree, or null (yarn has none). */
export function pruneCommand(manager: NodePackageManager, npmMajor: number | null): string | null {
  if (manager === 'pnpm') return 'pnpm prune --prod';
  if (manager === 'yarn') return null;
  return `npm prune ${productionFlag('npm', npmMajor)}`;
}

/** Whether an install's own words already leave dev dependencies out. */
export function installsProductionOnly(words: readonly string[]): boolean {
  return words.some((w) => /^--(production|prod)(=true)?$/.test(w) || /^--omit=dev$/.test(w) || /^--only=prod(uction)?$/.test(w)) || (words.includes('--omit') && words[words.indexOf('--omit') + 1] === 'dev');
}

/**
 * Why the npm of an image may lack `npm ci` (added in npm 5.7), or null when it has it. Node 8,
 * 9 and 10 releases bundled npm 5 before npm 6 came (Node 8.12 and 10.3 are the first whose npm
 * is certainly 6); a tag of the major alone is its last release, whose npm is 6. Node 7 and
 * older never had it. An image other than `node`, or a tag that does not say, cannot be told.
 */
export function npmCiMissing(ref: ImageRef, globalArgs: ReadonlyMap<string, string | null>): string | null {
  const repo = ref.repository.toLowerCase().replace(/^(docker\.io\/)?(library\/)?/, '');
  if (repo !== 'node') return `the image ${ref.repository} is not the official node image, so which npm it has (and whether it has \`npm ci\`, npm 5.7 and later) cannot be told`;
  const tag = ref.tag ?? 'latest';
  if (/^(latest|lts|current|alpine|slim|bullseye|bookworm|buster|trixie)/.test(tag) && !/^\d/.test(tag)) return null;
  const major = nodeMajor(ref, globalArgs);
  if (major === null) return `the tag node:${tag} does not say which Node, so whether its npm has \`npm ci\` (npm 5.7 and later) cannot be told`;
  if (major <= 7 || major === 9) return `node:${tag} bundles npm ${major <= 7 ? 'older than 5' : '5'}, which has no \`npm ci\` (npm 5.7 and later)`;
  const resolved = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?(.*)$/.exec(tag);
  const written = resolved ? (globalArgs.get(resolved[1]!) ?? '') + resolved[2] : tag;
  const minor = /^v?\d+\.(\d+)/.exec(written)?.[1];
  const firstWithCi: Record<number, number> = { 8: 12, 10: 3 };
  if (minor !== undefined && firstWithCi[major] !== undefined && Number(minor) < firstWithCi[major]!) {
    return `node:${tag} may bundle npm 5 without \`npm ci\` (Node ${major}.${firstWithCi[major]} is the first whose npm is certainly 6)`;
  }
  return null;
}
