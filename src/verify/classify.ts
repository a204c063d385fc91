// Files the original image has under WORKDIR and the rewrite lacks, sorted into what only the build
// needed (compiled sources, dev dependencies, build and test configuration, docs, VCS data) and what
// the running container may still need. A missing path the start command names, or a missing
// production dependency, makes the rewrite not equivalent; other possibly-needed files only warn.
import { pathExists, type Listing } from './tar-list.js';
import type { Severity } from './problems.js';

export type FileClass = 'referenced' | 'production-dependency' | 'possibly-needed' | 'build-only';

export interface MissingEntry {
  /** Path relative to WORKDIR; a folder when everything under it is missing (or a whole package). */
  path: string;
  files: number;
  class: FileClass;
  severity: Severity;
  reason: string;
}

export interface NodeManifests {
  /** The root package.json, parsed. */
  pkg: { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; optionalDependencies?: Record<string, string> } | null;
  /** package-lock.json v2/v3 `packages`, keyed "node_modules/a", "node_modules/a/node_modules/b", "packages/x". */
  lockPackages: Record<string, { dev?: boolean; devOptional?: boolean; optional?: boolean; link?: boolean }> | null;
}

export interface ClassifyInput {
  workdir: string;
  /** The paths compared: under WORKDIR, or (WORKDIR `/`) those the build added to its base image. */
  considered: (path: string) => boolean;
  original: Listing;
  rewrite: Listing;
  /** Absolute paths the CMD, ENTRYPOINT or HEALTHCHECK name. */
  referenced: ReadonlySet<string>;
  node: NodeManifests;
  /**
   * Whether a path relative to WORKDIR is one the .dockerignore the rewrite creates keeps out of
   * the build context (read as if WORKDIR held the context's root, as `COPY . .` makes it).
   */
  newlyIgnored?: (rel: string) => boolean;
}

const SEVERITY: Record<FileClass, Severity> = { referenced: 'fail', 'production-dependency': 'fail', 'possibly-needed': 'warn', 'build-only': 'note' };
const RANK: Record<FileClass, number> = { 'build-only': 0, 'possibly-needed': 1, 'production-dependency': 2, referenced: 3 };

/** Every file (not folder) under WORKDIR in the original that does not exist in the rewrite. */
export function missingUnderWorkdir(input: Pick<ClassifyInput, 'workdir' | 'original' | 'rewrite' | 'considered'>): string[] {
  const prefix = input.workdir === '/' ? '/' : `${input.workdir}/`;
  const out: string[] = [];
  for (const [p, entry] of input.original.entries) {
    if (!p.startsWith(prefix) || entry.kind === 'dir' || !input.considered(p)) continue;
    if (!input.rewrite.entries.has(p) && !pathExists(input.rewrite, p)) out.push(p.slice(prefix.length));
  }
  return out.sort();
}

export function classifyMissing(input: ClassifyInput): MissingEntry[] {
  const missing = missingUnderWorkdir(input);
  const prefix = input.workdir === '/' ? '/' : `${input.workdir}/`;
  const keptDirs = foldersWithKeptFiles(input.original, prefix, new Set(missing));
  const compiledJs = hasJsOutput(input.rewrite, prefix);
  const units = new Map<string, { files: number; class: FileClass; reason: string }>();
  for (const rel of missing) {
    const verdict = input.referenced.has(prefix + rel)
      ? { class: 'referenced' as const, reason: 'named by CMD/ENTRYPOINT/HEALTHCHECK' }
      : input.newlyIgnored?.(rel)
        ? { class: 'build-only' as const, reason: "kept out of the build context by the rewrite's new .dockerignore" }
        : classifyFile(rel, input.node, compiledJs);
    const unit = unitOf(rel, keptDirs);
    const seen = units.get(unit);
    if (!seen) units.set(unit, { files: 1, ...verdict });
    else {
      seen.files++;
      if (RANK[verdict.class] > RANK[seen.class]) Object.assign(seen, verdict);
    }
  }
  // A referenced folder (CMD ["node", "dist"]) counts like a referenced file.
  for (const [unit, seen] of units) {
    if (input.referenced.has(prefix + unit)) Object.assign(seen, { class: 'referenced', reason: 'named by CMD/ENTRYPOINT/HEALTHCHECK' });
  }
  return [...units].map(([p, u]) => ({ path: p, files: u.files, class: u.class, severity: SEVERITY[u.class], reason: u.reason }));
}

/**
 * What a missing file is reported as: a node_modules package (one line per package), else the
 * top-most folder of which nothing is left in the rewrite, else the file itself.
 */
function unitOf(rel: string, keptDirs: ReadonlySet<string>): string {
  const pkg = nodePackageDir(rel);
  if (pkg) return pkg;
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const dir = parts.slice(0, i).join('/');
    if (!keptDirs.has(dir)) return dir;
  }
  return rel;
}

/** Folders under WORKDIR (relative) that still hold at least one of the original's files in the rewrite. */
function foldersWithKeptFiles(original: Listing, prefix: string, missing: ReadonlySet<string>): Set<string> {
  const kept = new Set<string>();
  for (const [p, entry] of original.entries) {
    if (!p.startsWith(prefix) || entry.kind === 'dir') continue;
    const rel = p.slice(prefix.length);
    if (missing.has(rel)) continue;
    for (let at = rel.lastIndexOf('/'); at > 0; at = rel.lastIndexOf('/', at - 1)) {
      const dir = rel.slice(0, at);
      if (kept.has(dir)) break;
      kept.add(dir);
    }
  }
  return kept;
}

/** "node_modules/@s/a/lib/x.js" → "node_modules/@s/a"; nested node_modules give the innermost package. */
export function nodePackageDir(rel: string): string | null {
  const parts = rel.split('/');
  let end = -1;
  for (let i = 0; i < parts.length - 1; i++) {
    if (parts[i] !== 'node_modules') continue;
    const name = parts[i + 1]!;
    if (name.startsWith('.')) continue; // .bin, .package-lock.json, .cache
    end = name.startsWith('@') ? i + 2 : i + 1;
    if (end >= parts.length) return null;
    i = end;
  }
  return end === -1 ? null : parts.slice(0, end + 1).join('/');
}

function hasJsOutput(listing: Listing, prefix: string): boolean {
  for (const p of listing.entries.keys()) {
    if (p.startsWith(prefix) && /\.(c|m)?js$/.test(p) && !p.includes('/node_modules/')) return true;
  }
  return false;
}

const BUILD_CONFIG = [
  /^tsconfig(\..*)?\.json$/,
  /^(jest|vitest|vite|webpack|rollup|babel|esbuild|tsup|playwright|cypress|karma|postcss|tailwind|svelte|next|nuxt|astro)\.config\.[cm]?[jt]s$/,
  /^eslint\.config\.[cm]?[jt]s$/,
  /^\.eslintrc(\..*)?$/,
  /^\.eslintignore$/,
  /^\.prettierrc(\..*)?$/,
  /^prettier\.config\.[cm]?[jt]s$/,
  /^\.prettierignore$/,
  /^\.babelrc(\..*)?$/,
  /^\.mocharc(\..*)?$/,
  /^\.nvmrc$/,
  /^\.npmrc$/,
  /^\.editorconfig$/,
  /^\.gitignore$/,
  /^\.gitattributes$/,
  /^\.dockerignore$/,
  /^(Dockerfile|Containerfile)(\..*)?$/,
  /^.*\.(Dockerfile|dockerfile)$/,
  /^Makefile$/,
  /^(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lockb)$/,
  /^(go\.mod|go\.sum|go\.work|go\.work\.sum)$/,
  /^(requirements.*\.txt|Pipfile|Pipfile\.lock|poetry\.lock|uv\.lock|setup\.cfg|tox\.ini|\.coveragerc|pytest\.ini)$/,
];
const VCS_OR_EDITOR = new Set(['.git', '.github', '.gitlab', '.vscode', '.idea', '.husky', '.circleci']);
const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'spec', '__fixtures__', '__mocks__', 'e2e', 'coverage']);
const DOC_DIRS = new Set(['docs', 'doc']);

export function classifyFile(rel: string, node: NodeManifests, compiledJs: boolean): { class: FileClass; reason: string } {
  const parts = rel.split('/');
  const base = parts[parts.length - 1]!;
  const buildOnly = (reason: string) => ({ class: 'build-only' as const, reason });

  const nm = parts.indexOf('node_modules');
  if (nm !== -1) {
    const pkg = nodePackageDir(rel);
    if (!pkg) return buildOnly('npm metadata (node_modules/.bin, .package-lock.json, caches)');
    return nodePackage(pkg, node);
  }
  if (parts.some((p) => VCS_OR_EDITOR.has(p))) return buildOnly('version control or editor data');
  if (parts.slice(0, -1).some((p) => TEST_DIRS.has(p)) || /\.(test|spec)\.[cm]?[jt]sx?$/.test(base) || /_test\.go$/.test(base) || /^test_.*\.py$/.test(base)) return buildOnly('tests');
  if (parts.slice(0, -1).some((p) => DOC_DIRS.has(p)) || /\.(md|markdown|rst|adoc)$/i.test(base) || /^(LICEN[CS]E|COPYING|CHANGELOG|AUTHORS|NOTICE)(\..*)?$/i.test(base)) return buildOnly('documentation');
  if (BUILD_CONFIG.some((re) => re.test(base))) return buildOnly('build, test or install configuration');
  if (/\.go$/.test(base)) return buildOnly('Go source (compiled into the binary)');
  if (/\.(c|cc|cpp|h|hpp|rs)$/.test(base)) return buildOnly('compiled source');
  if (/\.d\.[cm]?ts$/.test(base) || (/\.[cm]?tsx?$/.test(base) && compiledJs)) return buildOnly('TypeScript source (the rewrite has the compiled .js)');
  if (parts.includes('__pycache__') || /\.py[co]$/.test(base)) return buildOnly('Python bytecode cache (rebuilt on import)');
  return { class: 'possibly-needed', reason: 'not recognised as build-only' };
}

function nodePackage(pkgDir: string, node: NodeManifests): { class: FileClass; reason: string } {
  const entry = node.lockPackages?.[pkgDir];
  if (entry) {
    if (entry.dev || entry.devOptional) return { class: 'build-only', reason: 'dev dependency (package-lock.json)' };
    if (entry.optional) return { class: 'possibly-needed', reason: 'optional dependency (package-lock.json)' };
    return { class: 'production-dependency', reason: 'production dependency (package-lock.json)' };
  }
  // No lockfile entry: only a top-level package can be placed, by the root package.json.
  const name = pkgDir.replace(/^node_modules\//, '');
  if (name.includes('/node_modules/') || !node.pkg) return { class: 'possibly-needed', reason: 'dependency not in a lockfile' };
  if (node.pkg.dependencies?.[name] !== undefined) return { class: 'production-dependency', reason: 'in package.json dependencies' };
  if (node.pkg.devDependencies?.[name] !== undefined) return { class: 'build-only', reason: 'in package.json devDependencies' };
  return { class: 'possibly-needed', reason: 'dependency not in package.json or a lockfile' };
}

/** Python distributions (`*.dist-info` in any site-packages) the original has and the rewrite lacks. */
export function missingPythonDistributions(original: Listing, rewrite: Listing): string[] {
  const names = (listing: Listing) => {
    const out = new Set<string>();
    for (const p of listing.entries.keys()) {
      const m = /\/site-packages\/([^/]+)-[^/-]+\.dist-info$/.exec(p);
      if (m) out.add(m[1]!.toLowerCase().replace(/[-_.]+/g, '_'));
    }
    return out;
  };
  const have = names(rewrite);
  return [...names(original)].filter((n) => !have.has(n)).sort();
}
