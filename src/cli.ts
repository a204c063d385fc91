#!/usr/bin/env node
// The command line: parse arguments, find files, run each through the engine, then show (dry-run),
// write (--write) or review (a terminal) the results. Exit codes follow Prettier's --check:
// 0 nothing pending and no error, 1 changes pending or a file error, 2 usage or configuration error.
import fs from 'node:fs';
import path from 'node:path';
import tty from 'node:tty';
import { fileURLToPath } from 'node:url';
import { contextOption, idList, parseArgs, STDIN, UsageError, type CliArgs } from './args.js';
import { CONFIG_NAMES, ConfigError, ConfigResolver } from './config.js';
import { colorDiff, unifiedDiff } from './diff.js';
import { discover } from './discover.js';
import { FolderListings } from './folder-listings.js';
import { decodeDockerfile, systemReason } from './input.js';
import { fileLines, jsonFile, summarize, summaryLine, type Mode } from './report.js';
import { contextFor, displayPath, processText, transformText, unsafeAccepted, type FileReport, type RunSettings } from './runner.js';
import { defaultJobs, processAll } from './batch.js';
import { repositoryRootOf } from './repo-root.js';
import { writeOutputFile } from './write.js';
import { changeDiff, writeChange } from './file-changes.js';
import { TRANSFORMS } from '../transforms/index.js';
// Types only (erased): the verify modules load on demand, never on an ordinary run.
import type { InlineResult } from './verify/inline.js';

const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));


// 130 is what a shell reports for a command ended by Ctrl-C (128 + SIGINT).
export const EXIT = { clean: 0, pending: 1, usage: 2, interrupted: 130 } as const;

export function docsPage(id: string): string {
  return path.join(PACKAGE_ROOT, 'docs', 'transforms', `${id}.md`);
}

function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}

export async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'verify') {
    const { verifyMain } = await import('./verify/command.js');
    return verifyMain(argv.slice(1), packageVersion());
  }
  let args: CliArgs;
  try {
    args = await parseArgs(argv, packageVersion());
    if (args.printed) return EXIT.clean; // yargs printed the help or the version
  } catch (err) {
    process.stderr.write(`stageopt: ${(err as Error).message}\nRun "stageopt --help" for usage.\n`);
    return EXIT.usage;
  }
  try {
    return await run(args);
  } catch (err) {
    if (err instanceof UsageError || err instanceof ConfigError) {
      process.stderr.write(`stageopt: ${err.message}\n`);
      return EXIT.usage;
    }
    throw err;
  }
}

async function run(args: CliArgs): Promise<number> {
  const out = (s: string) => process.stdout.write(s);
  const err = (s: string) => process.stderr.write(s);
  if (args.listTransforms) {
    for (const t of TRANSFORMS) out(`${t.id.padEnd(20)} ${t.safety.padEnd(7)} ${t.summary}\n`);
    return EXIT.clean;
  }
  if (args.explain !== undefined) {
    if (!args.explain) throw new UsageError('--explain needs a transform id (see --list-transforms)');
    idList(args.explain, TRANSFORMS);
    out(fs.readFileSync(docsPage(args.explain), 'utf8'));
    return EXIT.clean;
  }

  const context = contextOption(args.context);
  const settings: RunSettings = { registry: TRANSFORMS, only: idList(args.only, TRANSFORMS), skip: idList(args.skip, TRANSFORMS) ?? [], unsafe: Boolean(args.unsafe), context };
  const jobs = args.jobs ?? defaultJobs();
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs ${args.jobs}: expected a whole number of at least 1`);
  const fromFile = args.reposFrom === undefined ? [] : readPathList(args.reposFrom);
  const given = [...(args.paths ?? []), ...fromFile];
  const paths = given.length > 0 ? given : ['.'];
  // Machine formats print one document on stdout and nothing else there; they never prompt.
  const json = args.format === 'json' || args.format === 'sarif';
  // isatty(0) rather than process.stdin.isTTY: creating the stdin stream costs a few ms of every start.
  const interactive = tty.isatty(0) && Boolean(process.stdout.isTTY);
  const mode: Mode = args.write ? 'write' : args.dryRun || json || !interactive ? 'dry-run' : 'review';
  settings.review = mode === 'review';
  const color = args.color ?? (Boolean(process.stdout.isTTY) && !process.env.NO_COLOR);
  const started = performance.now();
  if (args.verify && mode === 'write') throw new UsageError('--verify goes with --dry-run or the review, not --write');
  const verifyChange = args.verify ? (await import('./verify/inline.js')).verifyChange : null;
  const verified = new Map<FileReport, InlineResult>();
  const verifyOne = async (report: FileReport) => {
    const result = await verifyChange!(report, settings, { network: args.network, buildNetwork: args.buildNetwork, color, progress: !args.quiet && !json });
    verified.set(report, result);
    return result;
  };

  if (paths.includes(STDIN)) {
    if (paths.length > 1) throw new UsageError('"-" (stdin) cannot be combined with other paths');
    if (args.report !== undefined) throw new UsageError('--report describes files on disk, not "-" (stdin)');
    return runStdin(args, settings, new ConfigResolver(TRANSFORMS, Boolean(args.trustConfig)), mode, json);
  }

  const listings = new FolderListings(CONFIG_NAMES);
  const found = discover(paths, args.ignore ?? [], listings);
  let exit: number = EXIT.clean;
  for (const problem of found.problems) {
    if (problem.kind === 'loop' || problem.kind === 'outside') {
      if (!args.quiet && !json) err(`${problem.path}: note: ${problem.reason}\n`);
      continue;
    }
    err(`${problem.path}: error: ${problem.reason}\n`);
    exit = Math.max(exit, problem.kind === 'missing' ? EXIT.usage : EXIT.pending);
  }

  const progress = !args.quiet && !json && process.stderr.isTTY ? progressLine(found.files.length) : null;
  const batch = await processAll(found.files, { jobs, settings, trustConfig: Boolean(args.trustConfig), registry: TRANSFORMS, listings, onProgress: progress?.update });
  progress?.done();
  const reports = batch.reports.filter((r) => !r.ignoredByConfig);
  for (const warning of batch.warnings) if (!json) err(`stageopt: ${warning}\n`);
  const written = new Set<FileReport>();
  let interrupted = false;

  if (mode === 'review') {
    const { review } = await import('./review.js');
    const result = await review(reports, {
      color,
      print: out,
      verify: verifyChange ? async (report) => void out((await verifyOne(report)).text) : undefined,
      // The v key: the verify modules load only when it is pressed.
      verifyOnDemand: async (report, output) => {
        const { verifyChange: verifyNow } = await import('./verify/inline.js');
        const proposal = { ...report, engine: { ...report.engine!, output } };
        return (await verifyNow(proposal, settings, { network: args.network, buildNetwork: args.buildNetwork, color, progress: !args.quiet })).text;
      },
      unsafeAccepted: (report) => unsafeAccepted(settings, report.config!),
      recompute: (report, accept) => transformText(report.original, report.path, report.config!, settings, contextFor(report.absPath!, report.config!, settings), accept),
      write: (report, applied) => {
        // Recorded here, not from review()'s result, so files written before a Ctrl-C still count.
        const result = writeChange(report.absPath!, report.original, report.bytes!, applied);
        if (result.ok) {
          written.add(report);
          // What was written, not what was proposed: --patch-dir and --report describe the fixes picked.
          Object.assign(report, { engine: applied });
        }
        return result;
      },
    }).catch((e: unknown) => {
      // Ctrl-C or a closed terminal at a prompt: stop asking, keep what was written.
      if (e instanceof Error && e.name === 'ExitPromptError') {
        interrupted = true;
        return null;
      }
      throw e;
    });
    if (result) {
      for (const [r, reason] of result.failed) Object.assign(r, { outcome: 'error', error: reason });
    }
  } else if (mode === 'write') {
    // Ctrl-C while writing: the file being written is finished (each write is one synchronous
    // step), then the run stops; the files not reached stay as they were.
    const onInterrupt = () => {
      interrupted = true;
    };
    process.on('SIGINT', onInterrupt);
    for (const report of reports) {
      if (report.outcome !== 'changed') continue;
      await new Promise((resolve) => setImmediate(resolve)); // lets a pending SIGINT be seen between files
      if (interrupted) break;
      const result = writeChange(report.absPath!, report.original, report.bytes!, report.engine!);
      if (result.ok) written.add(report);
      else Object.assign(report, { outcome: 'error', error: result.reason });
    }
    process.off('SIGINT', onInterrupt);
    if (interrupted) err(`stageopt: interrupted: ${written.size} file${written.size === 1 ? '' : 's'} written, the others left as they were\n`);
  }

  const summary = summarize(reports, performance.now() - started, mode === 'review' || interrupted ? written : undefined);
  if (args.patchDir !== undefined) {
    // In review only what the reviewer accepted; elsewhere every pending change.
    const patched = mode === 'review' ? reports.filter((r) => written.has(r)) : reports;
    const { patchRootOf, writePatches } = await import('./patches.js');
    const { written: patches } = writePatches(patched, path.resolve(args.patchDir), patchRootOf);
    if (!args.quiet && !json) err(`stageopt: wrote ${patches.length} patch${patches.length === 1 ? '' : 'es'} to ${args.patchDir}\n`);
  }
  if (verifyChange && mode === 'dry-run') {
    for (const report of reports) if (report.outcome === 'changed') await verifyOne(report);
  }
  if (args.report !== undefined) {
    const { markdownReport } = await import('./markdown-report.js');
    const markdown = markdownReport({ reports, mode, written, verified, repoRootOf: repositoryRootOf, registry: TRANSFORMS, version: packageVersion(), showPath: (abs) => (abs === process.cwd() ? '.' : displayPath(abs)) });
    const result = writeOutputFile(path.resolve(args.report), markdown);
    if (!result.ok) {
      err(`stageopt: --report ${args.report}: ${result.reason}\n`);
      exit = Math.max(exit, EXIT.pending);
    } else if (!args.quiet && !json) err(`stageopt: wrote the report to ${args.report}\n`);
  }
  if (args.format === 'sarif') {
    const { toSarif } = await import('./sarif.js');
    out(JSON.stringify(toSarif(reports, { version: packageVersion(), transforms: TRANSFORMS }), null, 2) + '\n');
  } else if (json) {
    out(JSON.stringify({ version: 1, tool: { name: 'stageopt', version: packageVersion() }, mode, files: reports.map((r) => withVerify(jsonFile(r, written.has(r)), verified.get(r))), summary }, null, 2) + '\n');
  } else {
    for (const report of reports) {
      if (report.outcome === 'error') err(fileLines(report, mode, color && Boolean(process.stderr.isTTY)).join('\n') + '\n');
      if (args.quiet || report.outcome === 'error') continue;
      if (mode === 'dry-run' && report.outcome === 'changed') out(colorDiff(changeDiff(report.path, report.original, report.engine!), color));
      if (mode === 'dry-run' && verified.has(report)) out(`\n${verified.get(report)!.text}\n`);
      const lines = mode === 'review' && report.outcome === 'changed' ? [] : fileLines(report, mode, color && Boolean(process.stderr.isTTY));
      if (lines.length) err(lines.join('\n') + '\n');
    }
    if (!args.quiet) err(summaryLine(summary, mode) + '\n');
  }

  if (reports.some((r) => r.configError)) exit = Math.max(exit, EXIT.usage);
  if (summary.errors > 0) exit = Math.max(exit, EXIT.pending);
  if (mode === 'dry-run' && summary.changed > 0) exit = Math.max(exit, EXIT.pending);
  // A change that could not be verified (no docker) is a setup problem, like a usage error.
  if ([...verified.values()].some((v) => v.equivalent === null)) exit = Math.max(exit, EXIT.usage);
  return interrupted ? EXIT.interrupted : exit;
}

/** The file's JSON entry, plus its verification when --verify ran one. */
function withVerify(file: object, result: InlineResult | undefined): object {
  if (!result) return file;
  return { ...file, verify: result.report ?? { error: result.text.trim() } };
}

/** Paths listed one per line; blank lines and `#` comments are skipped. */
function readPathList(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--repos-from ${file}: ${systemReason(e)}`);
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** A one-line progress bar on stderr, redrawn at most ten times a second; only worth it for many files. */
function progressLine(total: number): { update: (done: number, total: number) => void; done: () => void } | null {
  if (total < 50) return null;
  let last = 0;
  const draw = (done: number) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(`\rstageopt: [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} files`);
  };
  return {
    update(done) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      draw(done);
    },
    done() {
      process.stderr.write('\r\x1b[K');
    },
  };
}

async function runStdin(args: CliArgs, settings: RunSettings, configs: ConfigResolver, mode: Mode, json: boolean): Promise<number> {
  const bytes = fs.readFileSync(0);
  const label = args.stdinFilepath ?? '<stdin>';
  const decoded = decodeDockerfile(bytes);
  if (!decoded.ok) {
    process.stderr.write(`${label}: error: ${decoded.reason}\n`);
    process.stdout.write(bytes);
    return EXIT.pending;
  }
  const config = await configs.forFile(path.resolve(args.stdinFilepath ?? 'Dockerfile'));
  const report = processText(decoded.raw, label, config, settings, args.stdinFilepath ? path.resolve(args.stdinFilepath) : null);
  const output = report.engine?.output ?? decoded.raw;
  if (json) {
    process.stdout.write(JSON.stringify({ version: 1, mode, files: [jsonFile(report, false)], summary: summarize([report], 0) }, null, 2) + '\n');
  } else if (mode === 'dry-run' && args.dryRun) {
    if (report.outcome === 'changed') process.stdout.write(unifiedDiff(label, decoded.raw, output));
  } else {
    // A filter always prints the whole text, changed or not, so `stageopt - < a > b` never loses a file.
    process.stdout.write(output);
  }
  if (!json && !args.quiet) {
    const lines = fileLines(report, 'write', false).filter((l) => !/: (changed|would change)$/.test(l));
    if (lines.length) process.stderr.write(lines.join('\n') + '\n');
  } else if (report.outcome === 'error') process.stderr.write(`${label}: error: ${report.error}\n`);
  if (report.outcome === 'error') return EXIT.pending;
  return args.dryRun && report.outcome === 'changed' ? EXIT.pending : EXIT.clean;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`stageopt: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = EXIT.pending;
  },
);
