// One `docker build` with BuildKit's plain progress, timed and read into steps. The rewrite is
// built from memory: its text goes to `docker build -f -` with the original's context, so nothing
// is written next to the user's Dockerfile.
import { buildxMissing, firstLine, type Docker } from './docker.js';
import { countSteps, failedStep, parseBuildLog, tail, type BuildStep, type StepCounts } from './build-log.js';
import { buildFlags, type BuildNetwork } from './isolation.js';
import { VerifyUnavailable } from './problems.js';
import type { VerifyProgress } from './progress.js';

export interface BuildRequest {
  tag: string;
  context: string;
  /** A Dockerfile on disk, or its text. */
  dockerfile: { path: string } | { text: string };
  network: BuildNetwork;
  /** --build-timeout: the client is killed then, and the daemon cancels the build. */
  timeoutMs: number;
  /** Follows the build's steps as BuildKit prints them (the terminal's progress line). */
  progress?: VerifyProgress;
}

export interface BuildResult {
  ok: boolean;
  seconds: number;
  steps: BuildStep[];
  counts: StepCounts;
  /** The failing step ("RUN npm ci") and the last lines of its output, when the build failed. */
  failure: { step: string | null; tail: string[] } | null;
  /** Stopped at the time limit rather than failed by itself. */
  timedOut: boolean;
  log: string;
}

export async function buildImage(docker: Docker, request: BuildRequest): Promise<BuildResult> {
  const args = ['build', '--progress=plain', '-t', request.tag];
  args.push(...buildFlags(request.network));
  args.push('-f', 'path' in request.dockerfile ? request.dockerfile.path : '-', request.context);
  const started = performance.now();
  const run = await docker.run(args, { input: 'text' in request.dockerfile ? request.dockerfile.text : undefined, timeoutMs: request.timeoutMs, onStderr: request.progress && ((chunk) => request.progress!.buildOutput(chunk)) });
  const seconds = (performance.now() - started) / 1000;
  // BuildKit writes its progress to stderr; keep both in order of importance.
  const log = run.stderr + run.stdout;
  if (buildxMissing(log)) {
    throw new VerifyUnavailable(`the docker client "${docker.binary}" cannot build with BuildKit (${firstLine(log)}). Install the buildx plugin, or set STAGEOPT_DOCKER to a client that has BuildKit built in (docker 20.10).`);
  }
  const steps = parseBuildLog(log);
  const ok = run.code === 0;
  let failure: BuildResult['failure'] = null;
  if (!ok) {
    // A build stopped at the time limit has no failed step: the one still running is the culprit.
    const step = failedStep(steps) ?? (run.timedOut ? ([...steps].reverse().find((s) => s.status === 'unfinished') ?? null) : null);
    failure = step ? { step: step.stage ? `[${step.stage}] ${step.name}` : step.name, tail: step.output.slice(-20) } : { step: null, tail: tail(log) };
    if (run.timedOut) failure.tail.push(`(stopped after ${Math.round(seconds)}s)`);
  }
  return { ok, seconds, steps, counts: countSteps(steps), failure, timedOut: run.timedOut, log };
}
