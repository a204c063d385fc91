// A worker thread of the batch runner: processes the chunks of files it is sent and posts the
// reports back. Each worker resolves configs itself (and caches them), so nothing is shared.
import { parentPort, workerData } from 'node:worker_threads';
import { TRANSFORMS } from '../transforms/index.js';
import { slim, type WorkerInit } from './batch.js';
import { ConfigResolver } from './config.js';
import { FolderListings } from './folder-listings.js';
import { processFileSafely, type RunSettings } from './runner.js';

const init = workerData as WorkerInit;
const settings: RunSettings = { registry: TRANSFORMS, only: init.only, skip: init.skip, unsafe: init.unsafe, review: init.review, context: init.context };
const configs = new ConfigResolver(TRANSFORMS, init.trustConfig, init.listings ? FolderListings.decode(init.listings) : undefined);

async function processChunk(msg: { start: number; files: string[] }): Promise<void> {
  const reports = [];
  for (const file of msg.files) reports.push(slim(await processFileSafely(file, settings, configs)));
  parentPort!.postMessage({ start: msg.start, reports, warnings: configs.warnings.splice(0) });
}

// One chunk after the other: the next chunk arrives while one is in work, and would otherwise start
// whenever this one waits (reading a config file), its config warnings then sent with this chunk's,
// out of path order.
let working = Promise.resolve();
parentPort!.on('message', (msg: { start: number; files: string[] }) => {
  working = working.then(() => processChunk(msg));
});
