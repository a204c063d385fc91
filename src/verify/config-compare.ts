// The final image configs of the original and the rewrite, field by field. Everything that decides
// how a container starts must be equal. Env and Labels need a policy, because a multi-stage rewrite
// usually changes the base image of the final stage (node:20 → node:20-slim): what the Dockerfile
// itself sets must be equal; what came from a different base image is only reported.
import { isDeepStrictEqual } from 'node:util';
import type { DockerfileFacts } from './dockerfile-facts.js';
import type { Severity } from './problems.js';

/** The part of `docker image inspect`'s `.Config` that is compared. */
export interface ImageConfig {
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  Env?: string[] | null;
  WorkingDir?: string;
  User?: string;
  ExposedPorts?: Record<string, object> | null;
  Labels?: Record<string, string> | null;
  Healthcheck?: { Test?: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number } | null;
  StopSignal?: string;
  Volumes?: Record<string, object> | null;
}

export interface ConfigDifference {
  field: string;
  /** The variable or label name, for Env and Labels. */
  key?: string;
  severity: Severity;
  original: unknown;
  rewrite: unknown;
  message: string;
}

const PLAIN_FIELDS = ['Cmd', 'Entrypoint', 'WorkingDir', 'ExposedPorts', 'Healthcheck', 'StopSignal', 'Volumes'] as const;

export function compareConfigs(original: ImageConfig, rewrite: ImageConfig, facts: Pick<DockerfileFacts, 'envKeys' | 'labelKeys'>): ConfigDifference[] {
  const out: ConfigDifference[] = [];
  for (const field of PLAIN_FIELDS) {
    const a = emptyToNull(original[field]);
    const b = emptyToNull(rewrite[field]);
    if (!isDeepStrictEqual(a, b)) out.push({ field, severity: 'fail', original: a, rewrite: b, message: `${field} differs: ${show(a)} → ${show(b)}` });
  }
  if (normalUser(original.User) !== normalUser(rewrite.User)) {
    out.push({ field: 'User', severity: 'fail', original: original.User ?? '', rewrite: rewrite.User ?? '', message: `User differs: ${show(original.User || 'root')} → ${show(rewrite.User || 'root')}` });
  }
  out.push(...compareEnv(envMap(original.Env), envMap(rewrite.Env), facts.envKeys));
  out.push(...compareKeyed('Labels', new Map(Object.entries(original.Labels ?? {})), new Map(Object.entries(rewrite.Labels ?? {})), facts.labelKeys));
  return out;
}

function compareEnv(a: Map<string, string>, b: Map<string, string>, own: ReadonlySet<string>): ConfigDifference[] {
  const out: ConfigDifference[] = [];
  const pathA = a.get('PATH');
  const pathB = b.get('PATH');
  if (pathA !== undefined && pathB !== undefined && pathA !== pathB && prependsOnly(pathA, pathB)) {
    // A Python rewrite puts /opt/venv/bin first: the same commands resolve, plus the venv's.
    const added = pathB.slice(0, pathB.length - pathA.length).replace(/:$/, '');
    out.push({ field: 'Env', key: 'PATH', severity: 'note', original: pathA, rewrite: pathB, message: `PATH: the rewrite puts ${added} in front` });
    a = new Map(a);
    a.delete('PATH');
    b = new Map(b);
    b.delete('PATH');
  }
  return [...out, ...compareKeyed('Env', a, b, own)];
}

/** Keys the Dockerfile sets must match exactly; the rest came from the base image and only warn. */
function compareKeyed(field: 'Env' | 'Labels', a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>, own: ReadonlySet<string>): ConfigDifference[] {
  const out: ConfigDifference[] = [];
  for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(key);
    const y = b.get(key);
    if (x === y) continue;
    const set = own.has(key);
    const what = x === undefined ? 'only in the rewrite' : y === undefined ? 'missing in the rewrite' : `${show(x)} → ${show(y)}`;
    const origin = set ? 'set by the Dockerfile' : x === undefined ? 'not in the original' : 'from the base image';
    out.push({ field, key, severity: set ? 'fail' : 'warn', original: x ?? null, rewrite: y ?? null, message: `${field === 'Env' ? 'Env' : 'Label'} ${key} (${origin}): ${what}` });
  }
  return out;
}

/** True when `after` is `before` with one or more directories put in front of it. */
export function prependsOnly(before: string, after: string): boolean {
  return after.length > before.length && after.endsWith(`:${before}`) && after.slice(0, -before.length - 1).split(':').every(Boolean);
}

export function envMap(env: readonly string[] | null | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of env ?? []) {
    const eq = entry.indexOf('=');
    if (eq === -1) map.set(entry, '');
    else map.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return map;
}

/** "", "0", "root", "0:0" and "root:root" all run as root. */
function normalUser(user: string | undefined): string {
  const u = (user ?? '').trim();
  return /^(|0|root)(:(0|root))?$/.test(u) ? 'root' : u;
}

/** Docker writes an empty list or map as null in some versions and as [] / {} in others. */
function emptyToNull(value: unknown): unknown {
  if (value === undefined || value === null || value === '') return null;
  if (Array.isArray(value) && value.length === 0) return null;
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return null;
  return value;
}

function show(value: unknown): string {
  return value === null || value === undefined ? '(none)' : JSON.stringify(value);
}
