// Many files at once: worker threads and the main thread take small chunks of the sorted file list
// from a shared queue (so one slow repository does not hold a whole slice of the list back), and
// the results go back into their original places, so output order never depends on scheduling.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { ConfigResolver } from './config.js';
import type { EncodedListings, FolderListings } from './folder-listings.js';
import { processFileSafely, type FileReport, type RunSettings } from './runner.js';
import type { Transform } from './transform.js';

export interface BatchOptions {
  jobs: number;
  settings: RunSettings;
  trustConfig: boolean;
  registry: readonly Transform[];
  /** The folders discovery listed, so config lookup does not list them again. */
  listings?: FolderListings;
  onProgress?: (done: number, total: number) => void;
}

export interface BatchResult {
  reports: FileReport[];
  /** Config warnings (ignored JavaScript configs), each once. */
  warnings: string[];
}

/** What crosses the thread boundary: settings without the registry, whose functions cannot be cloned. */
export interface WorkerInit {
  only: readonly string[] | null;
  skip: readonly string[];
  unsafe: boolean;
  review: boolean;
  context: string | null;
  trustConfig: boolean;
  listings: EncodedListings | null;
}

const CHUNK = 16;
// Chunks each worker holds at once: while it works on one, the next is already there, so it never
// waits for the main thread, which is busy with files of its own.
const IN_FLIGHT = 2;
// Starting a worker costs about as much as processing a few dozen files: small runs stay in-process.
const FILES_PER_WORKER = 64;

export function defaultJobs(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

export async function processAll(files: readonly string[], options: BatchOptions): Promise<BatchResult> {
  const threads = Math.min(options.jobs, Math.ceil(files.length / FILES_PER_WORKER));
  return threads <= 1 ? inProcess(files, options) : inThreads(files, options, threads - 1);
}

/**
 * Only a changed file needs its texts later (for the diff, the write, the patch). Dropping them
 * for the others keeps a 10,000-file run's memory proportional to what changes.
 */
export function slim(report: FileReport): FileReport {
  if (report.outcome === 'changed') return report;
  return { ...report, original: '', bytes: null, engine: report.engine && { ...report.engine, output: '' } };
}

async function inProcess(files: readonly string[], options: BatchOptions): Promise<BatchResult> {
  const configs = new ConfigResolver(options.registry, options.trustConfig, options.listings);
  const reports: FileReport[] = [];
  for (const file of files) {
    reports.push(slim(await processFileSafely(file, options.settings, configs)));
    options.onProgress?.(reports.length, files.length);
  }
  return { reports, warnings: [...new Set(configs.warnings)] };
}

/** A run of consecutive files of the sorted list. */
interface Chunk {
  start: number;
  end: number;
}

/**
 * The sorted file list as a queue of chunks. Chunks shrink towards the end, so the threads finish
 * at about the same time instead of one of them still working through a whole chunk alone.
 */
function chunkQueue(total: number, threads: number): () => Chunk | null {
  let next = 0;
  return () => {
    if (next >= total) return null;
    const size = Math.max(1, Math.min(CHUNK, Math.floor((total - next) / (threads * IN_FLIGHT))));
    const chunk = { start: next, end: next + size };
    next = chunk.end;
    return chunk;
  };
}

/**
 * Config warnings in the order a single thread would give them: each thread reports a config
 * folder at the first of its chunks that reaches it, so the earliest chunk to report a warning
 * is the first chunk of all that reaches the folder.
 */
class WarningsInFileOrder {
  private readonly byChunk: { start: number; warnings: string[] }[] = [];

  add(start: number, warnings: string[]): void {
    if (warnings.length > 0) this.byChunk.push({ start, warnings });
  }

  list(): string[] {
    return [...new Set(this.byChunk.sort((a, b) => a.start - b.start).flatMap((c) => c.warnings))];
  }
}

/**
 * `workers` worker threads and the main thread share the queue. The main thread has loaded the
 * engine already and would otherwise only wait, so with --jobs 2 one worker is started, not two:
 * one thread, heap and set of loaded modules fewer.
 */
function inThreads(files: readonly string[], options: BatchOptions, workers: number): Promise<BatchResult> {
  const init: WorkerInit = {
    only: options.settings.only,
    skip: options.settings.skip,
    unsafe: options.settings.unsafe,
    review: Boolean(options.settings.review),
    context: options.settings.context,
    trustConfig: options.trustConfig,
    listings: options.listings?.encode() ?? null,
  };
  const reports: FileReport[] = new Array(files.length);
  const warnings = new WarningsInFileOrder();
  const take = chunkQueue(files.length, workers + 1);
  let done = 0;
  const progress = (count: number) => {
    done += count;
    options.onProgress?.(done, files.length);
  };
  const pool: Worker[] = [];
  let failure: Error | null = null;

  const workersDone = new Promise<void>((resolve, reject) => {
    let finished = 0;
    const fail = (err: unknown) => {
      failure ??= err instanceof Error ? err : new Error(String(err));
      for (const w of pool) void w.terminate();
      reject(failure);
    };
    for (let i = 0; i < workers; i++) {
      const worker = new Worker(new URL('./batch-worker.js', import.meta.url), { workerData: init });
      pool.push(worker);
      let pending = 0;
      let stopped = false;
      const feed = () => {
        const chunk = take();
        if (chunk) {
          pending++;
          worker.postMessage({ start: chunk.start, files: files.slice(chunk.start, chunk.end) });
        } else if (pending === 0 && !stopped) {
          stopped = true;
          void worker.terminate();
          if (++finished === workers) resolve();
        }
      };
      worker.on('message', (msg: { start: number; reports: FileReport[]; warnings: string[] }) => {
        pending--;
        msg.reports.forEach((report, i) => {
          // Structured clone turns a Buffer into a plain Uint8Array; writing compares Buffers.
          if (report.bytes) report.bytes = Buffer.from(report.bytes.buffer, report.bytes.byteOffset, report.bytes.byteLength);
          reports[msg.start + i] = report;
        });
        warnings.add(msg.start, msg.warnings);
        progress(msg.reports.length);
        feed();
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (!stopped && failure === null) fail(new Error(`a worker stopped with exit code ${code}`));
      });
      for (let k = 0; k < IN_FLIGHT; k++) feed();
    }
  });
  // Until a worker rejects, nobody awaits workersDone: keep an early rejection from being "unhandled".
  workersDone.catch(() => {});

  const mainThread = async () => {
    const configs = new ConfigResolver(options.registry, options.trustConfig, options.listings);
    for (let chunk = take(); chunk && failure === null; chunk = take()) {
      for (let i = chunk.start; i < chunk.end; i++) {
        reports[i] = slim(await processFileSafely(files[i]!, options.settings, configs));
        progress(1);
        // Lets the workers' messages in between files: they are waiting for their next chunk.
        await new Promise((resolve) => setImmediate(resolve));
      }
      warnings.add(chunk.start, configs.warnings.splice(0));
    }
  };

  return mainThread()
    .then(() => workersDone)
    .then(() => ({ reports, warnings: warnings.list() }));
}
