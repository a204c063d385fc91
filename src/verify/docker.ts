// The docker command-line client, as the user has it. Verification drives the CLI rather than the
// Engine API so that whatever the user's `docker` is configured for — DOCKER_HOST, contexts, TLS —
// applies unchanged. STAGEOPT_DOCKER picks another client binary (the e2e tier needs Debian's 20.10
// client because a newer one on PATH lacks buildx). BuildKit is always on: it is what users build with.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { VerifyUnavailable } from './problems.js';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  input?: string;
  timeoutMs?: number;
  /** Receives stdout as it arrives instead of collecting it (for `docker export`). */
  onStdout?: (chunk: Buffer) => void;
  /** Sees stderr as it arrives; it is collected all the same (a build's progress, for the progress line). */
  onStderr?: (chunk: Buffer) => void;
  /** Still runs after stop(): the removal of what verify made. */
  cleanup?: boolean;
}

export class Docker {
  readonly binary: string;
  readonly env: NodeJS.ProcessEnv;
  /** The clients running now: a build among them goes on in the daemon for as long as its client lives. */
  private readonly children = new Set<ChildProcess>();
  private stopped = false;

  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.binary = env.STAGEOPT_DOCKER || 'docker';
    this.env = { ...env, DOCKER_BUILDKIT: '1' };
  }

  run(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    // After stop() the process is about to exit: a verification step that was waiting on a stopped
    // client must not go on to start the next build or container, so its call never returns.
    if (this.stopped && !options.cleanup) return new Promise(() => {});
    return new Promise((resolve, reject) => {
      // A process group of its own, killed as a whole: a newer client runs `docker build` in its
      // buildx plugin, a child process that would outlive a kill of the client alone, go on with
      // the build and keep our pipes open.
      const child = spawn(this.binary, args, { env: this.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
      this.children.add(child);
      child.on('close', () => this.children.delete(child));
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timedOut = false;
      const timer = options.timeoutMs ? setTimeout(() => ((timedOut = true), killGroup(child)), options.timeoutMs) : null;
      child.stdout.on('data', (chunk: Buffer) => (options.onStdout ? options.onStdout(chunk) : out.push(chunk)));
      child.stderr.on('data', (chunk: Buffer) => {
        err.push(chunk);
        options.onStderr?.(chunk);
      });
      child.on('error', (e: NodeJS.ErrnoException) => {
        if (timer) clearTimeout(timer);
        reject(e.code === 'ENOENT' ? new VerifyUnavailable(missingClientMessage(this.binary)) : e);
      });
      child.on('close', (code) => {
        if (timer) clearTimeout(timer);
        resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
      });
      child.stdin.on('error', () => {}); // the client may exit before reading all of stdin
      child.stdin.end(options.input ?? '');
    });
  }

  /**
   * Kills every running client and waits for them to end. Killing a `docker build` client makes the
   * daemon cancel the build (its RUN step's processes go within a second or two; checked in the e2e
   * tier); a `docker run` client's container keeps running until it is removed. SIGKILL rather than
   * SIGTERM: an attached `docker run` forwards SIGTERM to the container and waits for it.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    const ending = [...this.children].map((child) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('close', () => resolve()))));
    for (const child of this.children) killGroup(child);
    await Promise.all(ending);
  }

  /** stop() for an exit handler, where nothing asynchronous runs any more: the kill, without the wait. */
  stopSync(): void {
    this.stopped = true;
    for (const child of this.children) killGroup(child);
  }

  /** Synchronous, for cleanup in an exit handler, where nothing asynchronous runs any more. */
  runSync(args: readonly string[]): void {
    spawnSync(this.binary, args, { env: this.env, stdio: 'ignore', timeout: 30_000 });
  }

  /** Throws VerifyUnavailable with what is missing and how to get it. */
  async ensureReady(): Promise<void> {
    const version = await this.run(['version', '--format', '{{.Server.Version}}'], { timeoutMs: 30_000 });
    if (version.code !== 0 || !version.stdout.trim()) {
      const where = this.env.DOCKER_HOST ? `DOCKER_HOST=${this.env.DOCKER_HOST}` : 'the default socket';
      throw new VerifyUnavailable(
        `cannot reach a Docker daemon through ${where} (${firstLine(version.stderr) || 'no answer'}). Start Docker (e.g. "sudo systemctl start docker"), or point DOCKER_HOST at a running daemon.`,
      );
    }
  }

  async imageExists(ref: string): Promise<boolean> {
    return (await this.run(['image', 'inspect', '--format', '{{.Id}}', ref], { timeoutMs: 30_000 })).code === 0;
  }
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    child.kill('SIGKILL'); // the group is gone already, or the client never started
  }
}

function missingClientMessage(binary: string): string {
  return `the docker client "${binary}" was not found. Install Docker (https://docs.docker.com/engine/install/), or set STAGEOPT_DOCKER to the path of a docker client.`;
}

export function firstLine(text: string): string {
  return text.trim().split(/\r?\n/)[0] ?? '';
}

/** BuildKit refused by a client without the buildx plugin: a setup problem, not a failed build. */
export function buildxMissing(log: string): boolean {
  return /buildx component is missing or broken|BuildKit is enabled but the buildx/i.test(log);
}

/** A build that failed because a base image could not be fetched. */
export function pullFailure(log: string): string | null {
  const m = /^.*(failed to resolve source metadata|pull access denied|failed to do request|no such host|manifest unknown|repository does not exist|not found: not found).*$/m.exec(log);
  return m ? m[0].replace(/^#\d+ /, '').trim() : null;
}
