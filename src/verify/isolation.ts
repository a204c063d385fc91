// What verify lets the code it builds and starts reach. Builds run the Dockerfile's RUN steps and
// the smoke run starts its CMD: on a repository the user did not write that is someone else's code,
// so the smoke containers get no network unless one is named, and bounded memory and processes.
// Builds keep docker's default network (they usually fetch packages); BuildKit knows only three
// build networks, so a name of the user's own (bridge, a custom network) cannot apply to a build.

export const BUILD_NETWORKS = ['default', 'host', 'none'] as const;
export type BuildNetwork = (typeof BUILD_NETWORKS)[number];

export interface Isolation {
  /** The smoke containers' network: "none" unless --network names one. */
  network: string;
  /** The builds' network (--build-network): "default" leaves docker's own. */
  buildNetwork: BuildNetwork;
  /** --memory for smoke containers, in docker's notation ("1g"); swap is capped at the same figure. */
  memory: string;
  /** --pids-limit for smoke containers: a fork bomb stops there. */
  pids: number;
}

/** Builds install dependencies and compile: minutes, not the smoke run's seconds. */
export const DEFAULT_BUILD_TIMEOUT_SECONDS = 30 * 60;

export const DEFAULT_ISOLATION: Isolation = { network: 'none', buildNetwork: 'default', memory: '1g', pids: 512 };

/** `docker run` flags for a smoke container. --memory-swap equal to --memory: no swap beyond the limit. */
export function runFlags(isolation: Isolation): string[] {
  return ['--network', isolation.network, '--memory', isolation.memory, '--memory-swap', isolation.memory, '--pids-limit', String(isolation.pids)];
}

/** `docker build` flags: none for docker's default network. */
export function buildFlags(network: BuildNetwork): string[] {
  return network === 'default' ? [] : ['--network', network];
}

/** Docker's memory notation: a whole number with an optional b/k/m/g unit; at least docker's 6 MB minimum. */
export function parseMemory(value: string): string | null {
  const m = /^(\d+)([bkmg]?)$/i.exec(value.trim());
  if (!m) return null;
  const unit = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'b' | 'k' | 'm' | 'g'];
  return Number(m[1]) * unit >= 6 * 1024 ** 2 ? m[1]! + m[2]!.toLowerCase() : null;
}
