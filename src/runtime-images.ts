// Which slim image can run what a full toolchain image built, and what that slim image lacks.
// The runtime of a split must be the same distribution family as the builder (same libc, same
// Debian release), or native modules and shared libraries compiled in the builder break.

import { parseImage, type ImageRef } from './stages.js';

export type Family = 'node' | 'python' | 'go' | 'nginx';

/** The official images whose builds split-stages understands, by the image name. */
export function familyOf(ref: ImageRef): Family | null {
  // Only Docker Hub's official images (or a mirror keeping their name): a private `acme/node`
  // may be anything.
  const path = ref.repository.toLowerCase().replace(/^(docker\.io\/|index\.docker\.io\/)/, '').replace(/^library\//, '');
  if (path === 'node') return 'node';
  if (path === 'python') return 'python';
  if (path === 'golang') return 'go';
  if (path === 'nginx') return 'nginx';
  return null;
}

export type SlimChoice = { ok: true; image: string; alreadySlim: boolean } | { ok: false; reason: string };

/**
 * The slim variant of a Node or Python image: `node:20` → `node:20-slim`, `node:20-bookworm` →
 * `node:20-bookworm-slim`, `python:3.12-bookworm` → `python:3.12-slim-bookworm` (each project
 * names its variants its own way). Alpine and slim images are their own runtime.
 */
export function slimVariant(ref: ImageRef, family: 'node' | 'python', globalArgs: ReadonlyMap<string, string | null> = new Map()): SlimChoice {
  if (ref.digest) return { ok: false, reason: `the base image is pinned by digest (${ref.repository}@${ref.digest.slice(0, 19)}…); its slim variant's digest cannot be known` };
  const tag = ref.tag ?? 'latest';
  if (tag.includes('$')) {
    // `node:${NODE_VERSION}` with `ARG NODE_VERSION=20` before FROM: the suffix goes after the
    // variable. Only when its default is a bare version, so the result is a real tag by default.
    const variable = /^(?:[0-9.]*)\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(tag)?.[1];
    const fallback = variable === undefined ? undefined : globalArgs.get(variable);
    if (!fallback || !/^\d+(\.\d+)*$/.test(fallback)) {
      return { ok: false, reason: `the base image tag "${tag}" is a variable without a version as its default; its slim variant cannot be known` };
    }
    return { ok: true, image: `${ref.repository}:${tag}-slim`, alreadySlim: false };
  }
  if (/(^|-)(slim|alpine)/.test(tag)) return { ok: true, image: `${ref.repository}:${tag}`, alreadySlim: true };
  if (/(^|-)(windowsservercore|nanoserver)/.test(tag)) return { ok: false, reason: `"${tag}" is a Windows image` };
  const release = /^(.*?)-?(bookworm|bullseye|buster|trixie)$/.exec(tag);
  if (tag === 'latest') return { ok: true, image: `${ref.repository}:slim`, alreadySlim: false };
  if (release) {
    const [, version, codename] = release;
    const slimTag = family === 'node' ? `${version ? `${version}-` : ''}${codename}-slim` : `${version ? `${version}-` : ''}slim-${codename}`;
    return { ok: true, image: `${ref.repository}:${slimTag}`, alreadySlim: false };
  }
  return { ok: true, image: `${ref.repository}:${tag}-slim`, alreadySlim: false };
}

/** The Debian slim image of a Node image's release ('' when unknown): Node 18 and later default to bookworm. */
export function debianSlimOf(ref: ImageRef): string {
  const tag = ref.tag ?? 'latest';
  const release = /(bookworm|bullseye|buster|trixie)/.exec(tag)?.[1];
  if (release) return `debian:${release}-slim`;
  if (/alpine|slim/.test(tag) || tag.includes('$')) return '';
  const major = Number(/^(\d+)/.exec(tag)?.[1] ?? NaN);
  if (major >= 18 && major <= 23) return 'debian:bookworm-slim';
  if (major >= 24) return 'debian:trixie-slim';
  return '';
}

export function isAlpine(image: string): boolean {
  return /alpine/.test(parseImage(image).tag ?? '');
}

/** Images without a shell or package manager: nothing can be installed in them. */
export function isDistroless(image: string): boolean {
  return /(^|\/)distroless\//.test(image) || /^(scratch|chainguard\/static)/.test(image);
}

/**
 * Programs every Debian or Alpine slim image has (coreutils, the shell and its builtins): a CMD or
 * HEALTHCHECK calling only these, plus the family's own tools, needs nothing installed.
 */
const BASE_PROGRAMS = new Set(
  ('sh bash dash exec exit true false test [ echo printf cat ls cp mv rm mkdir rmdir ln chmod chown touch env sleep kill ' +
    'set export cd pwd trap wait read eval . source head tail grep sed awk sort uniq wc tr cut date id whoami ' +
    'hostname uname tee xargs find basename dirname readlink realpath stat sync timeout nohup nice su').split(' '),
);

const FAMILY_PROGRAMS: Record<Family, Set<string>> = {
  node: new Set(['node', 'nodejs', 'npm', 'npx', 'yarn', 'yarnpkg', 'corepack']),
  python: new Set(['python', 'python3', 'pip', 'pip3', 'pydoc', 'python3.8', 'python3.9', 'python3.10', 'python3.11', 'python3.12', 'python3.13']),
  go: new Set(),
  // The official nginx images (Debian and Alpine) bring curl and gettext's envsubst besides nginx.
  nginx: new Set(['nginx', 'nginx-debug', '/docker-entrypoint.sh', 'docker-entrypoint.sh', 'envsubst', 'curl']),
};

/** Debian packages (Alpine's are named alike) of programs full images have and slim ones lack. */
const PACKAGE_OF: Record<string, string> = {
  curl: 'curl',
  wget: 'wget',
  git: 'git',
  ps: 'procps',
  pgrep: 'procps',
  pkill: 'procps',
  nc: 'netcat-openbsd',
  tini: 'tini',
  'dumb-init': 'dumb-init',
  gosu: 'gosu',
  jq: 'jq',
  openssl: 'openssl',
  ssh: 'openssh-client',
  unzip: 'unzip',
  zip: 'zip',
};

// Of those, the ones the full images lack too (buildpack-deps has no init wrappers or jq): a final
// command calling one works only if a RUN installed it, and the runtime installs it again then.
const ONLY_IF_INSTALLED = new Set(['tini', 'dumb-init', 'gosu', 'jq']);

/** Whether the runtime needs `program` installed only because the build stage installed it (its package is among `installed`). */
export function installedByBuildOnly(program: string): boolean {
  return ONLY_IF_INSTALLED.has(program.slice(program.lastIndexOf('/') + 1));
}

export type ProgramNeed = { kind: 'present' } | { kind: 'package'; name: string } | { kind: 'unknown' };

export function programNeed(program: string, family: Family): ProgramNeed {
  const base = program.slice(program.lastIndexOf('/') + 1);
  if (BASE_PROGRAMS.has(base) || FAMILY_PROGRAMS[family].has(base)) return { kind: 'present' };
  const pkg = PACKAGE_OF[base];
  return pkg ? { kind: 'package', name: pkg } : { kind: 'unknown' };
}

/**
 * The usual size of an official image, in MB (amd64, uncompressed, as `docker image ls` shows it),
 * for estimating what a split saves; null when the image is not one of these. Rough by design: the
 * figures move with every release, and `stageopt verify` measures the real ones.
 */
export function approxImageMB(image: string): number | null {
  const ref = parseImage(image);
  const name = ref.repository.replace(/^(docker\.io\/)?(library\/)?/, '');
  const tag = ref.tag ?? 'latest';
  const variant = /alpine/.test(tag) ? 'alpine' : /slim/.test(tag) ? 'slim' : 'full';
  const sizes: Record<string, Record<string, number>> = {
    node: { full: 1100, slim: 240, alpine: 170 },
    python: { full: 1000, slim: 150, alpine: 60 },
    golang: { full: 850, slim: 850, alpine: 300 },
    debian: { full: 120, slim: 75, alpine: 75 },
    nginx: { full: 190, slim: 190, alpine: 50 },
  };
  if (sizes[name]) return sizes[name]![variant]!;
  if (isDistroless(image)) return 2;
  return null;
}
