// One Dockerfile from disk (or stdin) to an outcome: read it, find its config, pick the transforms,
// run the engine. Nothing here writes; the CLI decides what to do with the result.
import path from 'node:path';
import type { Ignore } from 'ignore';
import { folderContext, NO_CONTEXT, type BuildContext } from './build-context.js';
import { ConfigError, type ConfigResolver, type ProjectConfig } from './config.js';
import { toPosix } from './discover.js';
import { runEngine, type ActiveTransform, type EngineResult } from './engine.js';
import { readDockerfile } from './input.js';
import { ignoreMatcher } from './lazy.js';
import { resolveOptions } from './options.js';
import type { Transform } from './transform.js';

export type Outcome = 'changed' | 'unchanged' | 'declined' | 'error';

export interface RunSettings {
  registry: readonly Transform[];
  /** --only / --skip from the command line; they win over the config's lists. */
  only: readonly string[] | null;
  skip: readonly string[];
  unsafe: boolean;
  /** The interactive review: unsafe fixes are proposed (for a human to accept one by one) unless the config says reviewUnsafe: false. */
  review?: boolean;
  /** --context: the build context for every file, or null (config `context`, else the Dockerfile's folder). */
  context: string | null;
}

export interface FileReport {
  /** Path as shown to the user (relative to the working directory where that is shorter). */
  path: string;
  absPath: string | null;
  outcome: Outcome;
  original: string;
  /** The bytes read, to detect a change on disk before writing. */
  bytes: Buffer | null;
  engine: EngineResult | null;
  error: string | null;
  /** True when the error is in configuration (exit code 2), not in the file. */
  configError: boolean;
  /** True when a config `ignore` pattern excludes the file: it is not reported at all. */
  ignoredByConfig: boolean;
  /** The config that applied, kept so a review can re-run the engine with the same settings. */
  config: ProjectConfig | null;
}

export function displayPath(abs: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

export function activeTransforms(settings: RunSettings, config: ProjectConfig): ActiveTransform[] {
  const only = settings.only ?? config.only;
  return settings.registry
    .filter((t) => (only ? only.includes(t.id) : config.transforms.get(t.id)?.enabled !== false))
    .filter((t) => !settings.skip.includes(t.id) && !config.skip.includes(t.id))
    .map((t) => {
      const own = config.transforms.get(t.id);
      return {
        transform: t,
        options: own?.options ?? resolveOptions(t.options, undefined, `transforms.${t.id}.options`),
        ...(own?.safety ? { safetyOverride: own.safety } : {}),
      };
    });
}

/** --unsafe or the config's `unsafe: true`: unsafe fixes are applied like safe ones. */
export function unsafeAccepted(settings: RunSettings, config: ProjectConfig): boolean {
  return settings.unsafe || config.unsafe;
}

/** Runs the engine on one file's text; `accept` restricts fixes when a reviewer picks them. */
export function transformText(
  raw: string,
  file: string,
  config: ProjectConfig,
  settings: RunSettings,
  buildContext: BuildContext,
  accept?: (transformId: string, key: string) => boolean,
  noFileCreation?: string,
): EngineResult {
  const result = runEngine(raw, {
    transforms: activeTransforms(settings, config),
    allowUnsafe: unsafeAccepted(settings, config) || (Boolean(settings.review) && config.reviewUnsafe),
    buildContext,
    file,
    accept,
    ...(noFileCreation !== undefined ? { noFileCreation } : {}),
  });
  // A context file that was refused (too large, an unusable .dockerignore) is named once, as a note:
  // the declines it causes then have their reason beside them.
  for (const note of buildContext.notes) if (!result.notes.includes(note)) result.notes.push(note);
  return result;
}

function blankReport(shownPath: string, absPath: string | null): FileReport {
  return {
    path: shownPath,
    absPath,
    outcome: 'error',
    original: '',
    bytes: null,
    engine: null,
    error: null,
    configError: false,
    ignoredByConfig: false,
    config: null,
  };
}

// One matcher per config file, not per Dockerfile.
const ignoreMatchers = new WeakMap<ProjectConfig, Ignore>();

function ignoredByConfig(config: ProjectConfig, absPath: string): boolean {
  if (!config.file || config.ignore.length === 0) return false;
  let matcher = ignoreMatchers.get(config);
  if (!matcher) ignoreMatchers.set(config, (matcher = ignoreMatcher().add(config.ignore)));
  const rel = toPosix(path.relative(path.dirname(config.file), absPath));
  return !rel.startsWith('..') && matcher.ignores(rel);
}

export async function processFile(absPath: string, settings: RunSettings, configs: ConfigResolver): Promise<FileReport> {
  const report = blankReport(displayPath(absPath), absPath);
  let config: ProjectConfig;
  try {
    config = await configs.forFile(absPath);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return { ...report, error: `configuration error: ${err.message}`, configError: true };
  }
  if (ignoredByConfig(config, absPath)) return { ...report, outcome: 'unchanged', ignoredByConfig: true };
  const read = readDockerfile(absPath);
  if (!read.ok) return { ...report, error: read.reason };
  return finish({ ...report, config, original: read.raw, bytes: read.bytes }, transformText(read.raw, report.path, config, settings, contextFor(absPath, config, settings)));
}

/**
 * processFile, but a bug (an exception nobody expected) becomes an error line for this one file
 * instead of ending a run over thousands of files.
 */
export async function processFileSafely(absPath: string, settings: RunSettings, configs: ConfigResolver): Promise<FileReport> {
  try {
    return await processFile(absPath, settings, configs);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return { ...blankReport(displayPath(absPath), absPath), error: `internal error: ${detail} (please report this file)` };
  }
}

/** The folder a Dockerfile is built from: --context, else the config's `context`, else its own folder. */
export function contextFolder(absPath: string, config: ProjectConfig, settings: RunSettings): string {
  return path.resolve(settings.context ?? config.context ?? path.dirname(absPath));
}

export function contextFor(absPath: string, config: ProjectConfig, settings: RunSettings): BuildContext {
  return folderContext(contextFolder(absPath, config, settings), absPath);
}

/** stdin: the build context is known only when --stdin-filepath or --context says where the file lives. */
export function processText(raw: string, label: string, config: ProjectConfig, settings: RunSettings, stdinPath: string | null): FileReport {
  const context = stdinPath ? contextFor(stdinPath, config, settings) : settings.context ? folderContext(settings.context) : NO_CONTEXT;
  // A filter prints one text: a fix that would create a file (a .dockerignore) cannot travel with it.
  const engine = transformText(raw, label, config, settings, context, undefined, 'stdin mode cannot create files (run stageopt on the file itself)');
  return finish({ ...blankReport(label, null), config, original: raw }, engine);
}

function finish(report: FileReport, engine: EngineResult): FileReport {
  if (engine.status === 'error') return { ...report, engine, outcome: 'error', error: engine.error!.message };
  return { ...report, engine, outcome: engine.status };
}
