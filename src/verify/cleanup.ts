// Everything verification creates — images, containers, temporary build contexts — is registered
// here the moment it exists and removed at the end, also when the run is interrupted (Ctrl-C,
// SIGTERM) or ends by an exception. Names carry a per-run id so leftovers from a killed process
// can still be found: `docker ps -a --filter label=org.stageopt.verify`, `docker images 'stageopt-verify-*'`.
//
// On a signal the running docker clients are stopped first: a build whose client lives on goes on
// in the daemon and tags its image after the cleanup ran (a `RUN sleep 300` would leave one five
// minutes later). Then the same removal as at the end runs, and the process exits 130 (SIGINT) or
// 143 (SIGTERM). A second signal while that runs does what it can at once and exits.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type { Docker } from './docker.js';

export const LABEL = 'org.stageopt.verify';

export class Resources {
  readonly runId = crypto.randomBytes(5).toString('hex');
  private readonly containers = new Set<string>();
  private readonly images = new Set<string>();
  private readonly dirs = new Set<string>();
  private interrupted = false;
  private releasing: Promise<void> | null = null;
  private readonly onSignal = (signal: NodeJS.Signals) => {
    const code = signal === 'SIGINT' ? 130 : 143;
    if (this.interrupted) {
      this.releaseSync();
      process.exit(code);
    }
    this.interrupted = true;
    this.beforeInterruptMessage();
    process.stderr.write(`stageopt verify: interrupted (${signal}): stopping docker and removing what verify made (${signal === 'SIGINT' ? 'Ctrl-C' : 'a second signal'} again quits at once)\n`);
    void this.docker
      .stop()
      .then(() => this.release())
      .finally(() => process.exit(code));
  };
  private readonly onExit = () => this.releaseSync();

  /** beforeInterruptMessage: clears what is drawn on the terminal (the progress line) before the message. */
  constructor(
    private readonly docker: Docker,
    private readonly beforeInterruptMessage: () => void = () => {},
  ) {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
    process.on('exit', this.onExit);
  }

  /** A unique image tag for this run ("stageopt-verify-1a2b3c4d5e:original"). */
  imageTag(role: string): string {
    const tag = `stageopt-verify-${this.runId}:${role}`;
    this.images.add(tag);
    return tag;
  }

  containerName(role: string): string {
    const name = `stageopt-verify-${this.runId}-${role}-${crypto.randomBytes(3).toString('hex')}`;
    this.containers.add(name);
    return name;
  }

  /** `docker run`/`create` flags that name and label a container so cleanup finds it. */
  containerFlags(name: string): string[] {
    return ['--name', name, '--label', `${LABEL}=${this.runId}`];
  }

  tempDir(dir: string): string {
    this.dirs.add(dir);
    return dir;
  }

  async removeContainer(name: string): Promise<void> {
    await this.docker.run(['rm', '-f', name], { timeoutMs: 60_000, cleanup: true });
    this.containers.delete(name);
  }

  /** Removes everything; the end of a run and a signal may both ask, and share one removal. */
  release(): Promise<void> {
    return (this.releasing ??= this.removeAll());
  }

  private async removeAll(): Promise<void> {
    for (const name of [...this.containers]) await this.removeContainer(name);
    if (this.images.size) await this.docker.run(['rmi', '-f', ...this.images], { timeoutMs: 120_000, cleanup: true });
    this.images.clear();
    this.removeDirs();
    this.detach();
  }

  private releaseSync(): void {
    this.docker.stopSync();
    for (const name of this.containers) this.docker.runSync(['rm', '-f', name]);
    if (this.images.size) this.docker.runSync(['rmi', '-f', ...this.images]);
    this.containers.clear();
    this.images.clear();
    this.removeDirs();
    this.detach();
  }

  private removeDirs(): void {
    for (const dir of this.dirs) fs.rmSync(dir, { recursive: true, force: true });
    this.dirs.clear();
  }

  private detach(): void {
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    process.off('exit', this.onExit);
  }
}
