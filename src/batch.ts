// Many files at once: worker threads take small chunks of the sorted file list from a shared
// queue (so one slow repository does not hold a whole slice of the list back), and the results
// go back into their original places, so output order never depends on scheduling.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { ConfigResolver } from './config.js';
import { processFileSafely, type FileReport, type RunSettings } from './runner.js';
import type { Transform } from './transform.js';

export interface BatchOptions {
  jobs: number;
  settings: RunSettings;
  trustConfig: boolean;
  registry: readonly Transform[];
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
  context: string | null;
  trustConfig: boolean;
}

const CHUNK = 16;
// Starting a worker costs about as much as processing a few dozen files: small runs stay in-process.
const FILES_PER_WORKER = 64;

export function defaultJobs(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

export async function processAll(files: readonly string[], options: BatchOptions): Promise<BatchResult> {
  const workers = Math.min(options.jobs, Math.ceil(files.length / FILES_PER_WORKER));
  return workers <= 1 ? inProcess(files, options) : inWorkers(files, options, workers);
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
  const configs = new ConfigResolver(options.registry, options.trustConfig);
  const reports: FileReport[] = [];
  for (const file of files) {
    reports.push(slim(await processFileSafely(file, options.settings, configs)));
    options.onProgress?.(reports.length, files.length);
  }
  return { reports, warnings: [...new Set(configs.warnings)] };
}

function inWorkers(files: readonly string[], options: BatchOptions, count: number): Promise<BatchResult> {
  const init: WorkerInit = {
    only: options.settings.only,
    skip: options.settings.skip,
    unsafe: options.settings.unsafe,
    context: options.settings.context,
    trustConfig: options.trustConfig,
  };
  const reports: FileReport[] = new Array(files.length);
  const warnings = new Set<string>();
  let next = 0;
  let done = 0;
  return new Promise((resolve, reject) => {
    const pool: Worker[] = [];
    let finished = 0;
    const fail = (err: unknown) => {
      for (const w of pool) void w.terminate();
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    const feed = (worker: Worker) => {
      if (next >= files.length) {
        void worker.terminate();
        if (++finished === pool.length) resolve({ reports, warnings: [...warnings] });
        return;
      }
      const start = next;
      next = Math.min(files.length, next + CHUNK);
      worker.postMessage({ start, files: files.slice(start, next) });
    };
    for (let i = 0; i < count; i++) {
      const worker = new Worker(new URL('./batch-worker.js', import.meta.url), { workerData: init });
      pool.push(worker);
      worker.on('message', (msg: { start: number; reports: FileReport[]; warnings: string[] }) => {
        msg.reports.forEach((report, i) => {
          // Structured clone turns a Buffer into a plain Uint8Array; writing compares Buffers.
          if (report.bytes) report.bytes = Buffer.from(report.bytes.buffer, report.bytes.byteOffset, report.bytes.byteLength);
          reports[msg.start + i] = report;
        });
        for (const w of msg.warnings) warnings.add(w);
        done += msg.reports.length;
        options.onProgress?.(done, files.length);
        feed(worker);
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (code !== 0 && next < files.length) fail(new Error(`a worker stopped with exit code ${code}`));
      });
      feed(worker);
    }
  });
}
