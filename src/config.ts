// Project configuration, resolved per Dockerfile: the nearest config file found by walking up from
// the Dockerfile's folder, stopping at the repository root (the folder holding `.git`). In a batch
// over many repos each repo's own config applies, and nothing is read from global locations, so a
// result does not depend on whose machine ran it. JavaScript config is code: it runs only with
// --trust-config, because a batch over other people's repos must not execute their code.
import fs from 'node:fs';
import path from 'node:path';
import type * as Cosmiconfig from 'cosmiconfig';
import type { FolderListings } from './folder-listings.js';
import { formatSize } from './input.js';
import { lazy } from './lazy.js';
import { describe, OptionError, resolveOptions } from './options.js';
import { isWithin, repositoryRootOf } from './repo-root.js';
import type { Safety, Transform } from './transform.js';

export interface TransformSettings {
  enabled?: boolean;
  safety?: Safety;
  options: unknown;
}

export interface ProjectConfig {
  /** The config file, or null when none was found (all defaults). */
  file: string | null;
  only: string[] | null;
  skip: string[];
  unsafe: boolean;
  /** The interactive review offers unsafe fixes, each for a human to accept (default true). */
  reviewUnsafe: boolean;
  /** gitignore-style patterns, relative to the config file's folder. */
  ignore: string[];
  /** The build context folder, absolute (resolved from the config file's folder), or null: the Dockerfile's folder. */
  context: string | null;
  transforms: Map<string, TransformSettings>;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
  }
}

const DATA_PLACES = ['package.json', '.stageoptrc', '.stageoptrc.json', '.stageoptrc.yaml', '.stageoptrc.yml'];
const CODE_PLACES = ['.stageoptrc.js', '.stageoptrc.cjs', '.stageoptrc.mjs', 'stageopt.config.js', 'stageopt.config.cjs', 'stageopt.config.mjs'];
/** Every name the lookup asks a folder about: discovery keeps these from the folders it lists. */
export const CONFIG_NAMES: ReadonlySet<string> = new Set([...DATA_PLACES, ...CODE_PLACES, '.git']);
const TOP_KEYS = ['only', 'skip', 'unsafe', 'reviewUnsafe', 'ignore', 'context', 'transforms'];
const TRANSFORM_KEYS = ['enabled', 'safety', 'options'];

export const EMPTY_CONFIG: ProjectConfig = { file: null, only: null, skip: [], unsafe: false, reviewUnsafe: true, ignore: [], context: null, transforms: new Map() };

const cosmiconfigLib = lazy<typeof Cosmiconfig>('cosmiconfig');

/**
 * A config file (or a file it `$import`s) larger than this is refused: real configs are a few
 * lines, and the YAML parser took minutes over a 40 MB one. package.json may be larger for its own
 * reasons; it is only looked into up to the build context's limit.
 */
export const MAX_CONFIG_BYTES = 1024 * 1024;
const MAX_PACKAGE_JSON_BYTES = 16 * 1024 * 1024;

export class ConfigResolver {
  private explorerInstance: ReturnType<typeof Cosmiconfig.cosmiconfig> | null = null;
  private readonly byDir = new Map<string, Promise<ProjectConfig>>();
  readonly warnings: string[] = [];

  /**
   * `known`: folders discovery has listed already. The others (ancestors above the folders the
   * user named, the folder of a file named on its own) are listed here.
   */
  constructor(
    private readonly registry: readonly Transform[],
    private readonly trustConfig: boolean,
    private readonly known?: FolderListings,
  ) {
    for (const name of CONFIG_NAMES) {
      // A listing without one of the names would silently skip a config file.
      if (known && !known.wanted.has(name)) throw new Error(`the known folder listings leave out ${name}`);
    }
  }

  /** Built when the first config file is found: most folders of a batch have none. */
  private get explorer() {
    if (this.explorerInstance) return this.explorerInstance;
    const refuseCode: Cosmiconfig.Loader = (file) => {
      throw new ConfigError(file, 'is JavaScript; config code runs only with --trust-config');
    };
    const lib = cosmiconfigLib();
    const data = (load: Cosmiconfig.Loader): Cosmiconfig.Loader => async (file, content) => checkImports(file, await load(file, content));
    return (this.explorerInstance = lib.cosmiconfig('stageopt', {
      searchPlaces: this.trustConfig ? [...DATA_PLACES, ...CODE_PLACES] : DATA_PLACES,
      searchStrategy: 'none',
      loaders: {
        '.json': data(lib.defaultLoaders['.json']),
        '.yaml': data(lib.defaultLoaders['.yaml']),
        '.yml': data(lib.defaultLoaders['.yml']),
        noExt: data(lib.defaultLoaders.noExt),
        // Also guards `$import` of a JavaScript file from a data config.
        ...(this.trustConfig ? {} : { '.js': refuseCode, '.cjs': refuseCode, '.mjs': refuseCode, '.ts': refuseCode }),
      },
    }));
  }

  /** The config that applies to a Dockerfile. Rejects with ConfigError for an invalid config file. */
  forFile(absFile: string): Promise<ProjectConfig> {
    return this.forDir(path.dirname(absFile));
  }

  private forDir(dir: string): Promise<ProjectConfig> {
    let config = this.byDir.get(dir);
    if (!config) {
      // Cached as a promise, so files of one folder that are resolved together search it once.
      const names = this.known?.get(dir) ?? listing(dir);
      config = this.searchDir(dir, names).then((found) => {
        const parent = path.dirname(dir);
        if (found) return found;
        if (names.has('.git') || parent === dir) return EMPTY_CONFIG;
        return this.forDir(parent);
      });
      this.byDir.set(dir, config);
    }
    return config;
  }

  /**
   * One directory listing answers every question about a folder (which config names exist, is it
   * a repo root), instead of one failing open() per candidate name: in a batch over thousands of
   * folders that is most of the cost of finding configs.
   */
  private async searchDir(dir: string, names: ReadonlySet<string>): Promise<ProjectConfig | null> {
    if (!this.trustConfig) {
      for (const name of CODE_PLACES) {
        if (names.has(name)) this.warnings.push(`${path.join(dir, name)}: ignored; JavaScript config runs only with --trust-config`);
      }
    }
    const places = this.trustConfig ? [...DATA_PLACES, ...CODE_PLACES] : DATA_PLACES;
    for (const name of places) {
      if (!names.has(name)) continue;
      const file = path.join(dir, name);
      if (name === 'package.json') {
        const has = packageJsonHasConfig(file);
        if (typeof has === 'string') this.warnings.push(`${file}: ${has}; not looked into for a stageopt config`);
        if (has !== true) continue;
      } else {
        checkConfigFile(file);
      }
      let result;
      try {
        result = await this.explorer.load(file);
      } catch (err) {
        if (err instanceof ConfigError) throw err;
        throw new ConfigError(file, `cannot be read: ${loadFailure(err)}`);
      }
      if (!result || result.isEmpty) continue;
      return parseConfig(result.config, result.filepath, this.registry);
    }
    return null;
  }
}

function listing(dir: string): ReadonlySet<string> {
  try {
    return new Set(fs.readdirSync(dir));
  } catch {
    return new Set();
  }
}

/**
 * package.json is a config only when it has a "stageopt" key; most do not. A string: why it was
 * not looked into (too large, not a regular file), for a warning.
 */
function packageJsonHasConfig(file: string): boolean | string {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return 'not a regular file';
    if (stat.size > MAX_PACKAGE_JSON_BYTES) return `too large (${formatSize(stat.size)}; the limit is ${formatSize(MAX_PACKAGE_JSON_BYTES)})`;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return typeof pkg === 'object' && pkg !== null && 'stageopt' in pkg;
  } catch {
    return false; // an unreadable package.json is not ours to report
  }
}

/**
 * Refuses a config file before it is read: a FIFO would block the read forever, and a huge file
 * would hold the run in the YAML parser for minutes.
 */
function checkConfigFile(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return; // gone, or unreadable: the loader says so
  }
  if (!stat.isFile()) throw new ConfigError(file, 'is not a regular file');
  if (stat.size > MAX_CONFIG_BYTES) throw new ConfigError(file, `is too large (${formatSize(stat.size)}; the limit is ${formatSize(MAX_CONFIG_BYTES)})`);
}

/**
 * cosmiconfig follows `$import` to any path, `/etc/passwd` included, and merges what it finds
 * into the config, whose error messages then quote it. A config may import only files of its own
 * repository (through links too), each checked like a config file before cosmiconfig reads it.
 */
function checkImports(file: string, loaded: unknown): unknown {
  if (typeof loaded !== 'object' || loaded === null || !Object.hasOwn(loaded, '$import')) return loaded;
  const imports = (loaded as { $import: unknown }).$import;
  const root = realOr(repositoryRootOf(file));
  for (const target of Array.isArray(imports) ? imports : [imports]) {
    if (typeof target !== 'string') continue; // cosmiconfig rejects it with its own message
    const abs = path.resolve(path.dirname(file), target);
    if (!isWithin(realOr(abs), root)) throw new ConfigError(file, '$import names a file outside the repository; not read');
    checkConfigFile(abs);
  }
  return loaded;
}

function realOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/**
 * Why a data config did not load, in one line that quotes none of it: the parsers' messages end
 * with a frame of the file's lines (YAML) or the whole text (JSON).
 */
function loadFailure(err: unknown): string {
  const e = err as { reason?: unknown; mark?: { line?: unknown; column?: unknown }; message?: unknown };
  if (typeof e.reason === 'string' && typeof e.mark?.line === 'number' && typeof e.mark.column === 'number') {
    const reason = e.reason.length > 60 ? `${e.reason.slice(0, 60)}…` : e.reason;
    return `not valid YAML: ${reason} (line ${e.mark.line + 1}, column ${e.mark.column + 1})`;
  }
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (message.startsWith('JSON Error in ')) return 'not valid JSON';
  const first = message.split('\n')[0]!.replace(/:$/, ''); // "Circular import detected:" + the list
  return first.length > 120 ? `${first.slice(0, 120)}…` : first;
}

/** Checks a loaded config object; every error names the file, the key and what was expected. */
export function parseConfig(raw: unknown, file: string, registry: readonly Transform[]): ProjectConfig {
  const fail = (key: string, expected: string, got: unknown): never => {
    throw new ConfigError(file, `${key}: expected ${expected}, got ${describe(got)}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('(top level)', 'an object', raw);
  const obj = raw as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    if (!TOP_KEYS.includes(key)) fail(key, `one of the keys ${TOP_KEYS.join(', ')}`, obj[key]);
  }
  const ids = registry.map((t) => t.id);
  const idList = (key: string): string[] | null => {
    const value = obj[key];
    if (value === undefined) return null;
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) return fail(key, 'a list of transform ids', value);
    for (const id of value as string[]) if (!ids.includes(id)) fail(key, `transform ids (${ids.join(', ')})`, id);
    return value as string[];
  };
  const config: ProjectConfig = {
    file,
    only: idList('only'),
    skip: idList('skip') ?? [],
    unsafe: false,
    reviewUnsafe: true,
    ignore: [],
    context: null,
    transforms: new Map(),
  };
  if (obj.context !== undefined) {
    if (typeof obj.context !== 'string' || obj.context === '') fail('context', 'a folder path (relative to the config file)', obj.context);
    config.context = path.resolve(path.dirname(file), obj.context as string);
  }
  if (obj.unsafe !== undefined) {
    if (typeof obj.unsafe !== 'boolean') fail('unsafe', 'true or false', obj.unsafe);
    config.unsafe = obj.unsafe as boolean;
  }
  if (obj.reviewUnsafe !== undefined) {
    if (typeof obj.reviewUnsafe !== 'boolean') fail('reviewUnsafe', 'true or false', obj.reviewUnsafe);
    config.reviewUnsafe = obj.reviewUnsafe as boolean;
  }
  if (obj.ignore !== undefined) {
    if (!Array.isArray(obj.ignore) || !obj.ignore.every((v) => typeof v === 'string')) fail('ignore', 'a list of glob patterns', obj.ignore);
    config.ignore = obj.ignore as string[];
  }
  if (obj.transforms !== undefined) {
    const transforms = obj.transforms;
    if (typeof transforms !== 'object' || transforms === null || Array.isArray(transforms)) fail('transforms', 'an object keyed by transform id', transforms);
    for (const [id, value] of Object.entries(transforms as Record<string, unknown>)) {
      const transform = registry.find((t) => t.id === id);
      if (!transform) fail(`transforms.${id}`, `a transform id (${ids.join(', ')})`, id);
      config.transforms.set(id, parseTransformSettings(value, `transforms.${id}`, transform!, fail));
    }
  }
  return config;
}

function parseTransformSettings(
  value: unknown,
  prefix: string,
  transform: Transform,
  fail: (key: string, expected: string, got: unknown) => never,
): TransformSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail(prefix, 'an object with enabled, safety, options', value);
  const obj = value as Record<string, unknown>;
  for (const key of Object.keys(obj)) if (!TRANSFORM_KEYS.includes(key)) fail(`${prefix}.${key}`, `one of ${TRANSFORM_KEYS.join(', ')}`, obj[key]);
  const settings: TransformSettings = { options: undefined };
  if (obj.enabled !== undefined) {
    if (typeof obj.enabled !== 'boolean') fail(`${prefix}.enabled`, 'true or false', obj.enabled);
    settings.enabled = obj.enabled as boolean;
  }
  if (obj.safety !== undefined) {
    if (obj.safety !== 'safe' && obj.safety !== 'unsafe') fail(`${prefix}.safety`, '"safe" or "unsafe"', obj.safety);
    settings.safety = obj.safety as Safety;
  }
  try {
    settings.options = resolveOptions(transform.options, obj.options, `${prefix}.options`);
  } catch (err) {
    if (err instanceof OptionError) fail(err.key, err.expected, err.got);
    throw err;
  }
  return settings;
}
