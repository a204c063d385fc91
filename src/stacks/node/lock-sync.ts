// Whether a Node project's lockfile still agrees with its package.json: `npm ci`, `yarn install
// --frozen-lockfile` / `--immutable` and `pnpm install --frozen-lockfile` stop the build when it
// does not, where a plain install would quietly update the lock. Each reader answers null (they
// agree), or one sentence naming the first package that disagrees, or saying why it cannot tell.
import type { NpmLock } from './lockfile.js';
import type { PackageJson } from './package-json.js';

/** The fields whose entries a lockfile records for the root project, in the order they are compared. */
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'] as const;

/** `name → range` of one field of a manifest; non-string ranges are kept out (npm ignores them too). */
function ranges(manifest: Record<string, any> | undefined, field: string): Map<string, string> {
  const out = new Map<string, string>();
  const entries = manifest?.[field];
  if (entries && typeof entries === 'object') for (const [name, range] of Object.entries(entries)) if (typeof range === 'string') out.set(name, range);
  return out;
}

/**
 * npm: lockfileVersion 2 and 3 record the root's ranges in `packages[""]`, which must equal
 * package.json's; version 1 records only what was installed, whose versions must satisfy the ranges.
 */
export function npmLockDisagreement(pkg: PackageJson, lock: NpmLock, lockName: string): string | null {
  const version = lock.lockfileVersion;
  if (version !== 1 && version !== 2 && version !== 3) return `${lockName} has no lockfileVersion stageopt reads (1, 2 or 3)`;
  if (version !== 1) {
    const root = lock.packages?.[''] as Record<string, any> | undefined;
    if (!root || typeof root !== 'object') return `${lockName} has no root entry (packages[""])`;
    for (const field of DEPENDENCY_FIELDS) {
      const wanted = ranges(pkg, field);
      const locked = ranges(root, field);
      for (const [name, range] of wanted) {
        if (!locked.has(name)) return `${lockName} does not record ${name} (${field} of package.json), so it is out of date`;
        if (locked.get(name) !== range) return `${lockName} records ${name}@${locked.get(name)} but package.json asks for ${range}, so it is out of date`;
      }
      for (const name of locked.keys()) if (!wanted.has(name)) return `${lockName} records ${name} in ${field}, which package.json no longer has, so it is out of date`;
    }
    return null;
  }
  const installed = lock.dependencies ?? {};
  for (const field of DEPENDENCY_FIELDS) {
    if (field === 'peerDependencies') continue; // npm 6 never installs a root's peers: the v1 lock does not hold them
    for (const [name, range] of ranges(pkg, field)) {
      const entry = installed[name];
      const at = typeof entry?.version === 'string' ? entry.version : null;
      if (at === null) {
        if (field === 'optionalDependencies') continue; // an optional package that failed to install is left out of the lock
        return `${lockName} does not hold ${name} (${field} of package.json), so it is out of date`;
      }
      const fits = satisfies(at, range);
      if (fits === null) return `${lockName} (lockfileVersion 1) holds ${name}@${at}, and whether that satisfies ${range} cannot be told`;
      if (!fits) return `${lockName} holds ${name}@${at}, which does not satisfy ${range} in package.json, so it is out of date`;
    }
  }
  return null;
}

/**
 * yarn.lock (classic and 2+): every dependency of package.json needs an entry keyed `name@range`
 * (yarn 2+ writes `name@npm:range`); yarn adds one for a range it has not resolved yet.
 */
export function yarnLockDisagreement(pkg: PackageJson, lockText: string): string | null {
  const keys = new Set<string>();
  for (const line of lockText.split(/\r?\n/)) {
    if (line === '' || /^[\s#]/.test(line) || !line.endsWith(':')) continue;
    for (const key of line.slice(0, -1).split(/,\s*/)) keys.add(key.trim().replace(/^"(.*)"$/, '$1'));
  }
  for (const field of DEPENDENCY_FIELDS) {
    if (field === 'peerDependencies') continue;
    for (const [name, range] of ranges(pkg, field)) {
      if (!keys.has(`${name}@${range}`) && !keys.has(`${name}@npm:${range}`)) return `yarn.lock has no entry for ${name}@${range} (${field} of package.json), so it is out of date`;
    }
  }
  return null;
}

/**
 * pnpm-lock.yaml records the root's ranges: under `importers: .:` as `specifier:` lines (lockfile
 * 6 and later) or in a top-level `specifiers:` map (5.x). Read line by line, as the file is written.
 */
export function pnpmLockDisagreement(pkg: PackageJson, lockText: string): string | null {
  const lines = lockText.split(/\r?\n/);
  const specifiers = new Map<string, string>();
  const unquote = (s: string) => s.trim().replace(/^(['"])(.*)\1$/, '$2');
  const top = lines.indexOf('specifiers:');
  const importers = lines.indexOf('importers:');
  if (top !== -1) {
    for (let i = top + 1; i < lines.length && /^\s+\S/.test(lines[i]!); i++) {
      const m = /^\s{2}(\S.*?):\s*(.+)$/.exec(lines[i]!);
      if (m) specifiers.set(unquote(m[1]!), unquote(m[2]!));
    }
  } else if (importers !== -1) {
    const root = lines.findIndex((l, i) => i > importers && /^\s{2}['"]?\.['"]?:\s*$/.test(l));
    if (root === -1) return 'pnpm-lock.yaml has no entry for the root project (importers: .)';
    let name: string | null = null;
    for (let i = root + 1; i < lines.length && (/^\s{4}/.test(lines[i]!) || lines[i] === ''); i++) {
      const dep = /^\s{6}(\S.*?):\s*$/.exec(lines[i]!);
      if (dep) name = unquote(dep[1]!);
      const spec = /^\s{8}specifier:\s*(.+)$/.exec(lines[i]!);
      if (spec && name !== null) specifiers.set(name, unquote(spec[1]!));
    }
  } else {
    return 'pnpm-lock.yaml records the root project in a form stageopt does not read';
  }
  for (const field of DEPENDENCY_FIELDS) {
    if (field === 'peerDependencies') continue;
    for (const [name, range] of ranges(pkg, field)) {
      if (!specifiers.has(name)) return `pnpm-lock.yaml does not record ${name} (${field} of package.json), so it is out of date`;
      if (specifiers.get(name) !== range) return `pnpm-lock.yaml records ${name}@${specifiers.get(name)} but package.json asks for ${range}, so it is out of date`;
    }
  }
  return null;
}

/**
 * Does a version satisfy a range, for the ranges package.json files mostly hold: exact versions,
 * `^`, `~`, `>=`, `x` wildcards and `*`, joined by `||`. Null when the range is anything else
 * (tags, URLs, aliases, hyphen ranges, several comparators), which the caller declines on.
 */
export function satisfies(version: string, range: string): boolean | null {
  const v = /^(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+.*)?$/.exec(version);
  if (!v) return null;
  if (v[4]) return null; // prereleases have rules of their own
  const have = [Number(v[1]), Number(v[2]), Number(v[3])] as const;
  let any = false;
  for (const part of range.split('||')) {
    const one = satisfiesOne(have, part.trim());
    if (one === null) return null;
    any ||= one;
  }
  return any;
}

function satisfiesOne(have: readonly [number, number, number], range: string): boolean | null {
  if (range === '' || range === '*' || range === 'x' || range === 'latest') return range === 'latest' ? null : true;
  const m = /^(\^|~|>=|=|v)?\s*(\d+|x|\*)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?$/.exec(range);
  if (!m) return null;
  const op = m[1] === '=' || m[1] === 'v' ? '' : (m[1] ?? '');
  const parts = [m[2], m[3], m[4]].map((p) => (p === undefined || p === 'x' || p === '*' ? null : Number(p)));
  const known = parts.findIndex((p) => p === null);
  const fixed = (known === -1 ? parts : parts.slice(0, known)) as number[];
  const cmp = (a: readonly number[], b: readonly number[]) => {
    for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
    return 0;
  };
  const prefix = (n: number) => fixed.slice(0, n).every((p, i) => have[i] === p);
  if (op === '>=') return cmp(have, [fixed[0] ?? 0, fixed[1] ?? 0, fixed[2] ?? 0]) >= 0;
  if (op === '') return prefix(fixed.length); // `1.2.3`, `1.2.x`, `1`
  const floor = [fixed[0] ?? 0, fixed[1] ?? 0, fixed[2] ?? 0];
  if (cmp(have, floor) < 0) return false;
  if (op === '~') return prefix(Math.min(fixed.length, 2) || 1);
  // `^`: the left-most non-zero part is fixed (`^0.2.3` → 0.2.x; `^0.0.3` → 0.0.3 only).
  const firstNonZero = fixed.findIndex((p) => p !== 0);
  return prefix(firstNonZero === -1 ? fixed.length : firstNonZero + 1);
}
