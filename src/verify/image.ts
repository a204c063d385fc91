// What an image is, as far as verification compares it: its config, its size and layer count
// (`docker image inspect`), and the files it holds (`docker export` of a created, never started
// container, read as a tar stream — works for distroless images that have no shell or `ls`).
import type { ImageConfig } from './config-compare.js';
import type { Docker } from './docker.js';
import type { Resources } from './cleanup.js';
import { TarLister, type Listing } from './tar-list.js';

export interface ImageFacts {
  config: ImageConfig;
  sizeBytes: number;
  layers: number;
}

export async function inspectImage(docker: Docker, tag: string): Promise<ImageFacts> {
  const r = await docker.run(['image', 'inspect', tag], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`docker image inspect ${tag} failed: ${r.stderr.trim()}`);
  const [info] = JSON.parse(r.stdout) as [{ Config: ImageConfig; Size: number; RootFS?: { Layers?: string[] } }];
  return { config: info.Config ?? {}, sizeBytes: info.Size, layers: info.RootFS?.Layers?.length ?? 0 };
}

export async function listImageFiles(docker: Docker, resources: Resources, tag: string, role: string, capture: (path: string) => boolean): Promise<Listing> {
  const name = resources.containerName(`${role}-files`);
  // An entrypoint that need not exist: `docker create` refuses an image without CMD/ENTRYPOINT otherwise.
  const created = await docker.run(['create', ...resources.containerFlags(name), '--entrypoint', '/stageopt-verify-never-started', tag], { timeoutMs: 60_000 });
  if (created.code !== 0) throw new Error(`docker create ${tag} failed: ${created.stderr.trim()}`);
  try {
    const lister = new TarLister(capture);
    const exported = await docker.run(['export', name], { onStdout: (chunk) => lister.push(chunk), timeoutMs: 10 * 60_000 });
    if (exported.code !== 0) throw new Error(`docker export ${tag} failed: ${exported.stderr.trim()}`);
    return lister.listing;
  } finally {
    await resources.removeContainer(name);
  }
}
