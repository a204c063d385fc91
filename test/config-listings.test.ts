// Config lookup takes what discovery saw in the folders it walked instead of listing them again,
// in the main thread and in every worker; folders discovery never listed are still listed.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { processAll } from '../src/batch.js';
import { CONFIG_NAMES, ConfigResolver } from '../src/config.js';
import { discover } from '../src/discover.js';
import { FolderListings } from '../src/folder-listings.js';
import { TRANSFORMS } from '../transforms/index.js';
import { CLEAN, DEFAULT_SETTINGS, makeTree } from './helpers.js';

const FINAL_APP = JSON.stringify({ transforms: { 'name-stages': { options: { finalName: 'app' } } } });
const OFF = JSON.stringify({ transforms: { 'name-stages': { enabled: false } } });

/** The folders fs.readdirSync is asked for while `run` runs (config.ts calls it through the fs object). */
async function foldersListedDuring(run: () => Promise<unknown>): Promise<string[]> {
  const listed: string[] = [];
  const original = fs.readdirSync;
  fs.readdirSync = ((dir: fs.PathLike, ...rest: unknown[]) => {
    listed.push(String(dir));
    return (original as (...a: unknown[]) => unknown)(dir, ...rest);
  }) as typeof fs.readdirSync;
  try {
    await run();
  } finally {
    fs.readdirSync = original;
  }
  return listed;
}

/** A repo whose config sits above the folder the user names (`apps`), and one folder with its own. */
function repoWithApps(): string {
  return makeTree({
    'repo/.git/HEAD': 'ref: refs/heads/main\n',
    'repo/.stageoptrc.json': FINAL_APP,
    'repo/apps/a/Dockerfile': CLEAN,
    'repo/apps/b/.stageoptrc.yaml': 'transforms:\n  name-stages:\n    enabled: false\n',
    'repo/apps/b/Dockerfile': CLEAN,
    'repo/apps/c/d/Dockerfile': CLEAN,
  });
}

test('the folders discovery walked are not listed again to find their config', async () => {
  const repo = path.join(repoWithApps(), 'repo');
  const listings = new FolderListings(CONFIG_NAMES);
  const found = discover([path.join(repo, 'apps')], [], listings);
  assert.is(found.files.length, 3);
  const configs = new ConfigResolver(TRANSFORMS, false, listings);
  const chosen: (string | null)[] = [];
  const listed = await foldersListedDuring(async () => {
    for (const file of found.files) chosen.push((await configs.forFile(file)).file);
  });
  // Only the repo folder, above the walked root: it holds .git, so the walk up stops there.
  assert.equal(listed, [repo]);
  assert.equal(chosen, [path.join(repo, '.stageoptrc.json'), path.join(repo, 'apps/b/.stageoptrc.yaml'), path.join(repo, '.stageoptrc.json')]);
});

test('a folder discovery did not list (above the root, or a file named alone) still finds its config', async () => {
  const repo = path.join(repoWithApps(), 'repo');
  const file = path.join(repo, 'apps/c/d/Dockerfile');
  const listings = new FolderListings(CONFIG_NAMES);
  assert.equal(discover([file], [], listings).files, [file]);
  assert.is(listings.size, 0, 'a file named alone lists no folder');
  const configs = new ConfigResolver(TRANSFORMS, false, listings);
  let chosen: string | null = null;
  const listed = await foldersListedDuring(async () => void (chosen = (await configs.forFile(file)).file));
  assert.equal(listed, ['apps/c/d', 'apps/c', 'apps', ''].map((rel) => path.join(repo, rel)));
  assert.is(chosen, path.join(repo, '.stageoptrc.json'));
});

test('batch: the main thread and the workers decide by discovery\'s listings, not by a later readdir', async () => {
  // Enough files for a worker (64 a thread). A config written into every folder after discovery
  // would decide if any thread listed those folders again; discovery saw only the repo's config.
  const files: Record<string, string> = { '.git/HEAD': '', '.stageoptrc.json': FINAL_APP };
  for (let i = 0; i < 150; i++) files[`svc${String(i).padStart(3, '0')}/Dockerfile`] = CLEAN;
  const repo = makeTree(files);
  const listings = new FolderListings(CONFIG_NAMES);
  const found = discover([repo], [], listings);
  for (const file of found.files) fs.writeFileSync(path.join(path.dirname(file), '.stageoptrc.json'), OFF);
  const batch = await processAll(found.files, { jobs: 2, settings: DEFAULT_SETTINGS, trustConfig: false, registry: TRANSFORMS, listings });
  assert.is(batch.reports.length, 150);
  for (const report of batch.reports) assert.is(report.config?.file, path.join(repo, '.stageoptrc.json'), report.path);
  // Without the listings each folder's own (later) config is found: the test above tells them apart.
  const fresh = await processAll(found.files.slice(0, 2), { jobs: 1, settings: DEFAULT_SETTINGS, trustConfig: false, registry: TRANSFORMS });
  assert.equal(fresh.reports.map((r) => r.config?.file), found.files.slice(0, 2).map((f) => path.join(path.dirname(f), '.stageoptrc.json')));
});

test('listings cross to a worker as one string and come back the same', () => {
  const listings = new FolderListings(CONFIG_NAMES);
  listings.record(path.resolve('/'), ['etc', '.git']);
  listings.record(path.resolve('/srv/a'), ['Dockerfile', 'src']);
  listings.record(path.resolve('/srv/b'), ['package.json', '.stageoptrc.cjs', 'README.md']);
  listings.record(path.resolve('/srv/c'), []);
  const encoded = listings.encode();
  assert.type(encoded.folders, 'string');
  const back = FolderListings.decode(structuredClone(encoded));
  assert.is(back.size, 4);
  assert.equal(back.wanted, CONFIG_NAMES);
  for (const dir of ['/', '/srv/a', '/srv/b', '/srv/c']) assert.equal(back.get(path.resolve(dir)), listings.get(path.resolve(dir)), dir);
  assert.equal([...back.get(path.resolve('/srv/b'))!].sort(), ['.stageoptrc.cjs', 'package.json']);
  assert.equal([...back.get(path.resolve('/'))!], ['.git']);
  assert.is(back.get(path.resolve('/srv')), undefined, 'a folder not listed is unknown, not empty');
  assert.is(FolderListings.decode(new FolderListings(CONFIG_NAMES).encode()).size, 0);
});

test('a resolver refuses listings that leave out a config name', () => {
  assert.throws(() => new ConfigResolver(TRANSFORMS, false, new FolderListings(new Set(['.git']))), /leave out package\.json/);
});

test.run();
