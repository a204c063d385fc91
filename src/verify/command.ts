// `stageopt verify`: the command line of the verification, kept apart from the main CLI so that
// neither grows the other's option table. Exit codes: 0 equivalent, 1 not equivalent or a build
// failed, 2 usage error or verification impossible (no docker, no daemon, a missing base image).
import fs from 'node:fs';
import path from 'node:path';
import yargsParser from 'yargs-parser';
import { contextOption, idList, UsageError } from '../args.js';
import { ConfigError, ConfigResolver } from '../config.js';
import { contextFolder, processFile, type FileReport, type RunSettings } from '../runner.js';
import { TRANSFORMS } from '../../transforms/index.js';
import { VerifyUnavailable } from './problems.js';
import { terminalProgress } from './progress.js';
import { BUILD_NETWORKS, DEFAULT_BUILD_TIMEOUT_SECONDS, DEFAULT_ISOLATION, parseMemory, type BuildNetwork, type Isolation } from './isolation.js';
import { formatTable, toJson } from './report.js';
import { parseHttpSpec, splitCommand, type SmokeSpec } from './smoke.js';
import { verify, type VerifyInput, type VerifyReport } from './verify.js';

export const VERIFY_USAGE = `Usage: stageopt verify [path] [options]

Builds the Dockerfile at path (a file, or a folder holding "Dockerfile") and the rewrite stageopt
would make of it (kept in memory, nothing is written), then compares the two images: builds, final
config, files under WORKDIR, a smoke run, size and layers, and the rebuild after a source edit.
Exit status: 0 equivalent, 1 not equivalent or a build failed, 2 usage error or Docker unavailable.

Building a Dockerfile runs its RUN steps, and the smoke run starts its CMD: verify runs the code of
the repository it is pointed at, with your Docker. Run it only on code you would build yourself.
The smoke containers get no network (--network none) unless --network names one, at most
--memory of memory (no swap beyond it) and --pids-limit processes; builds keep docker's default
network unless --build-network says otherwise. Interrupted (Ctrl-C, SIGTERM: exit 130, 143) or past
a time limit, verify stops its builds and containers and removes its images, containers and
temporary context copies.

Options:
  --against FILE        Compare path with this Dockerfile instead of stageopt's rewrite
  --context DIR         Build context for both builds (default: config "context", else path's folder)
  --smoke "CMD"         Run this command (words, quotes group) instead of the image's CMD
  --http PORT[/PATH]    Start the image's CMD and compare GET http://127.0.0.1:PORT/PATH
  --timeout SECONDS     Smoke run / HTTP probe time limit (default 30)
  --build-timeout SECONDS
                        Each build's time limit, the rebuilds' too (default 1800): the build is
                        stopped and counts as failed
  --env NAME=VALUE      Set a variable in the smoke containers (repeatable), e.g. --env PORT=3000
  --touch FILE          Source file (relative to the context) to edit before the rebuild
  --no-rebuild          Skip the rebuild after a source edit
  --network NAME        The smoke containers' network (default: none); --http needs one, e.g.
                        bridge, or host on an engine without a bridge
  --build-network MODE  The builds' network: default (docker's own, the default), host or none
                        (BuildKit builds know no other)
  --memory SIZE         Memory limit of each smoke container, e.g. 512m, 2g (default 1g)
  --pids-limit N        Process limit of each smoke container (default 512)
  --format text|json    A table (default) or one JSON document on stdout
  -q, --quiet           No progress line on the terminal (it never shows with --format json or
                        when stderr is not a terminal)
  --only IDS, --skip IDS, --unsafe, --trust-config   Transform selection, as for stageopt itself
  --color / --no-color  Colour the table (default: when stdout is a terminal)
  -h, --help            Show this help

Docker: the "docker" client on PATH (or STAGEOPT_DOCKER), DOCKER_HOST honoured, BuildKit on.
`;

export interface VerifyArgs {
  path: string;
  against?: string;
  context?: string;
  smoke: SmokeSpec;
  timeoutSeconds: number;
  buildTimeoutSeconds: number;
  env: string[];
  touch?: string;
  rebuild: boolean;
  isolation: Isolation;
  format: 'text' | 'json';
  only: string[] | null;
  skip: string[];
  unsafe: boolean;
  trustConfig: boolean;
  color?: boolean;
  quiet: boolean;
  help: boolean;
}

const STRINGS = ['against', 'context', 'smoke', 'http', 'touch', 'network', 'build-network', 'memory', 'format', 'only', 'skip', 'env'];
const BOOLEANS = ['rebuild', 'unsafe', 'trust-config', 'color', 'quiet', 'help'];
const NUMBERS = ['timeout', 'build-timeout', 'pids-limit'];
const KNOWN = new Set([...STRINGS, ...BOOLEANS, ...NUMBERS, 'h', 'q']);

export function parseVerifyArgs(argv: readonly string[]): VerifyArgs {
  const parsed = yargsParser([...argv], {
    string: STRINGS,
    boolean: BOOLEANS,
    number: NUMBERS,
    array: ['only', 'skip', 'env'],
    alias: { help: ['h'], quiet: ['q'] },
    configuration: { 'greedy-arrays': false, 'strip-aliased': true, 'camel-case-expansion': false },
  });
  for (const key of Object.keys(parsed)) {
    if (key !== '_' && key !== '--' && !KNOWN.has(key)) throw new UsageError(`unknown option --${key}`);
  }
  const single = (name: string): string | undefined => {
    const value = parsed[name] as unknown;
    if (value === undefined) return undefined;
    if (Array.isArray(value)) throw new UsageError(`--${name} given more than once`);
    if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} needs a value`);
    return value;
  };
  const positionals = parsed._.map(String);
  if (positionals.length > 1) throw new UsageError(`verify takes one Dockerfile (got ${positionals.length}: ${positionals.join(' ')})`);
  const format = single('format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format ${format}: expected text or json`);
  const smokeCommand = single('smoke');
  const http = single('http');
  if (smokeCommand !== undefined && http !== undefined) throw new UsageError('--smoke and --http cannot be combined: pick one smoke test');
  let smoke: SmokeSpec = { kind: 'cmd' };
  if (smokeCommand !== undefined) {
    const argv = splitCommand(smokeCommand);
    if (!argv) throw new UsageError(`--smoke ${JSON.stringify(smokeCommand)}: expected a command (check the quotes)`);
    smoke = { kind: 'command', argv };
  }
  if (http !== undefined) {
    const spec = parseHttpSpec(http);
    if (!spec) throw new UsageError(`--http ${http}: expected PORT or PORT/PATH, e.g. 3000/health`);
    smoke = { kind: 'http', ...spec };
  }
  const timeout = secondsOption(parsed, 'timeout');
  const buildTimeout = secondsOption(parsed, 'build-timeout');
  const network = single('network') ?? DEFAULT_ISOLATION.network;
  if (smoke.kind === 'http' && network === 'none') throw new UsageError(`--http needs a network to reach the server: the smoke containers have none unless --network names one (e.g. --network bridge, or host)`);
  const isolation: Isolation = { network, buildNetwork: buildNetworkOption(single('build-network')), memory: memoryOption(single('memory')), pids: pidsOption(parsed['pids-limit']) };
  const env = ((parsed.env as string[] | undefined) ?? []).map(String);
  for (const e of env) if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(e)) throw new UsageError(`--env ${e}: expected NAME=VALUE`);
  return {
    path: positionals[0] ?? '.',
    env,
    against: single('against'),
    context: single('context'),
    smoke,
    timeoutSeconds: timeout ?? 30,
    buildTimeoutSeconds: buildTimeout ?? DEFAULT_BUILD_TIMEOUT_SECONDS,
    touch: single('touch'),
    rebuild: parsed.rebuild !== false,
    isolation,
    format,
    only: idList(parsed.only, TRANSFORMS),
    skip: idList(parsed.skip, TRANSFORMS) ?? [],
    unsafe: Boolean(parsed.unsafe),
    trustConfig: Boolean(parsed['trust-config']),
    color: parsed.color as boolean | undefined,
    quiet: Boolean(parsed.quiet),
    help: Boolean(parsed.help),
  };
}

function secondsOption(parsed: Record<string, unknown>, name: string): number | undefined {
  const value = parsed[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(Number.isFinite(value) && value > 0)) throw new UsageError(`--${name}: expected a number of seconds above 0`);
  return value;
}

export function buildNetworkOption(value: string | undefined): BuildNetwork {
  if (value === undefined) return DEFAULT_ISOLATION.buildNetwork;
  if (!(BUILD_NETWORKS as readonly string[]).includes(value)) throw new UsageError(`--build-network ${value}: expected default, host or none (BuildKit builds know no other network; --network sets the smoke containers')`);
  return value as BuildNetwork;
}

function memoryOption(value: string | undefined): string {
  if (value === undefined) return DEFAULT_ISOLATION.memory;
  const memory = parseMemory(value);
  if (!memory) throw new UsageError(`--memory ${value}: expected a size of at least 6m, e.g. 512m or 2g`);
  return memory;
}

function pidsOption(value: unknown): number {
  if (value === undefined) return DEFAULT_ISOLATION.pids;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new UsageError(`--pids-limit: expected a whole number of processes above 0`);
  return value;
}

/** A folder means its Dockerfile. */
export function resolveDockerfile(given: string, what: string): string {
  const abs = path.resolve(given);
  const stat = fs.statSync(abs, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`${what} ${given}: no such file or folder`);
  if (!stat.isDirectory()) return abs;
  const inside = path.join(abs, 'Dockerfile');
  if (!fs.statSync(inside, { throwIfNoEntry: false })?.isFile()) throw new UsageError(`${what} ${given}: the folder has no Dockerfile`);
  return inside;
}

export async function verifyMain(argv: readonly string[], version: string): Promise<number> {
  const out = (s: string) => process.stdout.write(s);
  const err = (s: string) => process.stderr.write(`stageopt verify: ${s}\n`);
  let args: VerifyArgs;
  try {
    args = parseVerifyArgs(argv);
    if (args.help) {
      out(VERIFY_USAGE);
      return 0;
    }
    const input = await prepareInput(args);
    if ('nothing' in input) {
      if (args.format === 'json') out(JSON.stringify({ version: 1, tool: { name: 'stageopt', version }, original: input.path, outcome: input.outcome, reason: input.nothing, equivalent: true, problems: [] }, null, 2) + '\n');
      else err(`${input.nothing}: nothing to verify`);
      return 0;
    }
    const progress = args.format === 'text' && !args.quiet ? terminalProgress('stageopt verify: ') : null;
    const report = await verify({ ...input, progress: progress ?? undefined });
    printReport(report, args, version);
    return report.equivalent ? 0 : 1;
  } catch (e) {
    if (e instanceof UsageError || e instanceof ConfigError || e instanceof VerifyUnavailable) {
      err(e.message);
      if (e instanceof UsageError) process.stderr.write('Run "stageopt verify --help" for usage.\n');
      return 2;
    }
    if (e instanceof FileError) {
      err(e.message);
      return 1;
    }
    throw e;
  }
}

/** The Dockerfile cannot be processed (unreadable, not UTF-8, a transform failed): exit 1, as for stageopt itself. */
class FileError extends Error {}

function printReport(report: VerifyReport, args: VerifyArgs, version: string): void {
  if (args.format === 'json') process.stdout.write(JSON.stringify(toJson(report, { version }), null, 2) + '\n');
  else process.stdout.write(formatTable(report, args.color ?? (Boolean(process.stdout.isTTY) && !process.env.NO_COLOR)));
}

type Prepared = VerifyInput | { nothing: string; path: string; outcome: string };

async function prepareInput(args: VerifyArgs): Promise<Prepared> {
  const originalPath = resolveDockerfile(args.path, 'path');
  const context = contextOption(args.context);
  if (args.touch !== undefined && path.isAbsolute(args.touch)) throw new UsageError(`--touch ${args.touch}: give a path relative to the build context`);
  const common = { smoke: args.smoke, env: args.env, touch: args.touch ?? null, rebuild: args.rebuild, isolation: args.isolation, timeoutMs: args.timeoutSeconds * 1000, buildTimeoutMs: args.buildTimeoutSeconds * 1000 };
  if (args.against !== undefined) {
    const againstPath = resolveDockerfile(args.against, '--against');
    const ctx = context ?? path.dirname(originalPath);
    checkTouch(ctx, args.touch);
    return { ...common, context: ctx, original: { path: originalPath, text: fs.readFileSync(originalPath, 'utf8') }, rewrite: { path: againstPath, text: fs.readFileSync(againstPath, 'utf8') } };
  }
  const settings: RunSettings = { registry: TRANSFORMS, only: args.only, skip: args.skip, unsafe: args.unsafe, context };
  const report = await processFile(originalPath, settings, new ConfigResolver(TRANSFORMS, args.trustConfig));
  if (report.configError) throw new UsageError(report.error ?? 'configuration error');
  if (report.outcome === 'error') throw new FileError(`${report.path}: ${report.error}`);
  if (report.outcome !== 'changed') return { nothing: nothingReason(report), path: originalPath, outcome: report.outcome };
  const ctx = contextFolder(originalPath, report.config!, settings);
  checkTouch(ctx, args.touch);
  return { ...common, context: ctx, original: { path: originalPath, text: report.original }, rewrite: { path: null, text: report.engine!.output, creates: report.engine!.created } };
}

function checkTouch(context: string, touch: string | undefined): void {
  if (touch !== undefined && !fs.statSync(path.join(context, touch), { throwIfNoEntry: false })?.isFile()) throw new UsageError(`--touch ${touch}: no such file in the build context ${context}`);
}

function nothingReason(report: FileReport): string {
  if (report.outcome === 'declined') return `${report.path}: declined (${report.engine?.declines.map((d) => d.message).join('; ')})`;
  return `${report.path}: stageopt leaves it unchanged`;
}
