// pipenv and poetry as Dockerfiles call them, read for the split: which commands install the app's
// dependencies and where those land, and which names a lockfile installs (the programs the start
// path may run). Both install into "the Python they are pointed at" — pipenv `--system` into the
// first python on PATH, poetry with `virtualenvs.create false` into $VIRTUAL_ENV, else into the
// Python poetry itself runs with — so the split's virtualenv, first on PATH and named by
// VIRTUAL_ENV in the build stage, receives them as it receives pip's.
import type { BuildContext } from '../../build-context.js';

/** The front-ends a split knows: they install the app, a start path that runs them is declined. */
export const FRONTENDS = new Set(['pipenv', 'poetry', 'poetry-plugin-export']);

/** The distribution name a requirement names (`poetry==1.3.2`, `"pipenv>=2022"`), normalised. */
export function requirementName(spec: string): string {
  return spec.replace(/[\s\[=<>~!;@].*$/, '').toLowerCase().replace(/[-_.]+/g, '-');
}

export type FrontendCommand =
  /** Installs the app's dependencies (and, for poetry without --no-root, the project itself). */
  | { kind: 'install'; tool: 'pipenv' | 'poetry'; dev: boolean; root: boolean }
  /** `poetry config virtualenvs.create false` and other settings that change nothing on disk the runtime reads. */
  | { kind: 'config'; createsVenv?: boolean }
  /** `poetry export … --output requirements.txt`: writes a requirements file for the pip after it. */
  | { kind: 'export'; output: string | null }
  | { kind: 'decline'; reason: string };

/** Reads a pipenv or poetry command; undefined when it is neither. */
export function readFrontend(words: readonly string[]): FrontendCommand | undefined {
  const [cmd, sub] = words;
  const rest = words.slice(2);
  if (cmd === 'pipenv') {
    if (sub !== 'install' && sub !== 'sync') return { kind: 'decline', reason: `runs "pipenv ${sub ?? ''}", which split-stages does not read` };
    if (rest.some((w) => !w.startsWith('-'))) return { kind: 'decline', reason: `runs "pipenv ${sub}" with package names, which changes the Pipfile in the build` };
    if (!rest.includes('--system')) {
      return { kind: 'decline', reason: `runs "pipenv ${sub}" without --system, so pipenv installs into a virtualenv of its own that only pipenv run finds; with --system it installs into the virtualenv the runtime copies` };
    }
    return { kind: 'install', tool: 'pipenv', dev: rest.includes('--dev') || rest.includes('-d'), root: false };
  }
  if (cmd !== 'poetry') return undefined;
  switch (sub) {
    case 'install': {
      const only = optionValues(rest, '--only');
      const without = optionValues(rest, '--without');
      const dev = !rest.includes('--no-dev') && !only.some((g) => g.split(',').every((x) => x === 'main')) && !without.some((g) => g.split(',').includes('dev'));
      return { kind: 'install', tool: 'poetry', dev, root: !rest.includes('--no-root') };
    }
    case 'config': {
      const args = rest.filter((w) => w !== '--local' && w !== '-n' && w !== '--no-interaction' && w !== '--no-ansi');
      if (args.length !== 2 || args[0]!.startsWith('-')) return { kind: 'decline', reason: `runs "poetry config ${rest.join(' ')}", which split-stages does not read` };
      const [key, value] = args as [string, string];
      if (key === 'virtualenvs.create') return { kind: 'config', createsVenv: !isFalse(value) };
      return { kind: 'config' };
    }
    case 'export': {
      const format = optionValue(rest, '--format') ?? optionValue(rest, '-f') ?? 'requirements.txt';
      if (format !== 'requirements.txt') return { kind: 'decline', reason: `runs "poetry export" to ${format}, which split-stages does not read` };
      return { kind: 'export', output: optionValue(rest, '--output') ?? optionValue(rest, '-o') };
    }
    default:
      return { kind: 'decline', reason: `runs "poetry ${sub ?? ''}", which split-stages does not read` };
  }
}

/** Whether an ENV value turns a poetry or pipenv boolean off (`false`, `0`). */
export function isFalse(value: string): boolean {
  return /^(false|0|no|off)$/i.test(value.replace(/^["']|["']$/g, ''));
}

function optionValues(args: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name && i + 1 < args.length) values.push(args[++i]!);
    else if (args[i]!.startsWith(`${name}=`)) values.push(args[i]!.slice(name.length + 1));
  }
  return values;
}

function optionValue(args: readonly string[], name: string): string | null {
  return optionValues(args, name).at(-1) ?? null;
}

/**
 * The distributions a pipenv or poetry install takes from the build context's manifests, and the
 * scripts the project itself installs (poetry's `[tool.poetry.scripts]`): what the start path may
 * run from the virtualenv. Names normalised; empty when the manifests are missing.
 */
export function frontendNames(ctx: BuildContext, install: { tool: 'pipenv' | 'poetry'; dev: boolean; root: boolean }): string[] {
  const names: string[] = [];
  if (install.tool === 'pipenv') {
    const lock = parseJson(ctx.readText('Pipfile.lock'));
    for (const section of install.dev ? ['default', 'develop'] : ['default']) names.push(...Object.keys((lock?.[section] as object | undefined) ?? {}));
    const pipfile = ctx.readText('Pipfile') ?? '';
    for (const section of install.dev ? ['packages', 'dev-packages'] : ['packages']) names.push(...tomlKeys(pipfile, section));
  } else {
    const pyproject = ctx.readText('pyproject.toml') ?? '';
    names.push(...tomlKeys(pyproject, 'tool.poetry.dependencies').filter((n) => n !== 'python'));
    if (install.root) names.push(...tomlKeys(pyproject, 'tool.poetry.scripts'));
    // The lock's packages: what the dependencies pulled in (gunicorn under a framework's extra).
    for (const m of (ctx.readText('poetry.lock') ?? '').matchAll(/^\[\[package\]\]\r?\nname = "([^"]+)"/gm)) names.push(m[1]!);
  }
  return names.map(requirementName);
}

function parseJson(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The keys of one TOML table (`[packages]`), read line by line: enough for the names, not a TOML parser. */
function tomlKeys(text: string, table: string): string[] {
  const keys: string[] = [];
  let inside = false;
  for (const line of text.split(/\r?\n/)) {
    const header = /^\s*\[([^\[\]]+)\]\s*(#.*)?$/.exec(line);
    if (header) {
      inside = header[1]!.trim() === table;
      continue;
    }
    if (/^\s*\[\[/.test(line)) inside = false;
    const key = inside ? /^\s*["']?([A-Za-z0-9][A-Za-z0-9._-]*)["']?\s*=/.exec(line) : null;
    if (key) keys.push(key[1]!);
  }
  return keys;
}
