// Verification of one rewrite, start to end: build both Dockerfiles, then compare their final
// configs, the files under WORKDIR, what the containers do, size and layers, and the rebuild after
// a source edit. Each check adds Problems; the rewrite is equivalent when none is a failure.
// Everything created on the way is removed before this returns (see cleanup.ts).
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import path from 'node:path/posix';
import type { CreatedFile } from '../transform.js';
import { ignoreMatcher } from '../lazy.js';
import { buildImage, type BuildResult } from './build.js';
import { classifyMissing, missingPythonDistributions, type MissingEntry, type NodeManifests } from './classify.js';
import { Resources } from './cleanup.js';
import { compareConfigs, type ConfigDifference } from './config-compare.js';
import { Docker, pullFailure } from './docker.js';
import { dockerfileFacts } from './dockerfile-facts.js';
import { inspectImage, listImageFiles, type ImageFacts } from './image.js';
import type { Isolation } from './isolation.js';
import { VerifyUnavailable, type Problem } from './problems.js';
import { defaultTouchFile, rebuildAfterEdit, round, type RebuildReport } from './rebuild.js';
import { missingReferences, references, type Reference } from './references.js';
import { smoke, type SmokeReport, type SmokeSpec } from './smoke.js';
import { ownerDifferences, type OwnerDifference } from './owners.js';
import { servedDifferences, servesWithNginx, type ServedDifference } from './served.js';
import { NGINX_ROOTS } from '../stacks/static/nginx-paths.js';
import type { Listing } from './tar-list.js';
import type { VerifyProgress } from './progress.js';

export interface VerifyInput {
  /** The original Dockerfile on disk (absolute) and its text. */
  original: { path: string; text: string };
  /**
   * The rewrite: a file (--against) or the engine's output held in memory (path null), and the
   * files the rewrite creates in the build context (a .dockerignore), relative to its root.
   */
  rewrite: { path: string | null; text: string; creates?: readonly CreatedFile[] };
  /** The build context folder, used for both builds. */
  context: string;
  smoke: SmokeSpec;
  /** NAME=VALUE variables for the smoke containers (--env). */
  env: string[];
  /** --touch, relative to the context; null picks a source file. */
  touch: string | null;
  rebuild: boolean;
  /** The networks of builds and smoke containers, and the smoke containers' limits. */
  isolation: Isolation;
  /** The smoke run's or HTTP probe's time limit (--timeout). */
  timeoutMs: number;
  /** Each build's time limit (--build-timeout), the rebuilds' too. */
  buildTimeoutMs: number;
  /** The terminal's progress line; verify stops it (clears it) when done or interrupted. */
  progress?: VerifyProgress;
}

export interface BuildSummary {
  ok: boolean;
  seconds: number;
  executed: number;
  cached: number;
  failedStep?: string | null;
  logTail?: string[];
  /** Present when the build was stopped at --build-timeout. */
  timedOut?: true;
}

export interface FilesReport {
  workdir: string;
  /**
   * False when WORKDIR is / and the base image cannot be listed (a FROM of variables): the whole
   * system would be compared, so only referenced paths are. With the base listed, what the build
   * added to it is compared.
   */
  listed: boolean;
  missing: MissingEntry[];
  /** Files both images have there whose owner, group or mode differ. */
  owners: OwnerDifference[];
  missingReferences: Reference[];
  missingPythonDistributions: string[];
  /** When the original serves with nginx: where its configuration and sites differ (null: not a site). */
  served: ServedDifference[] | null;
}

export interface VerifyReport {
  original: string;
  rewrite: string;
  context: string;
  equivalent: boolean;
  builds: { original: BuildSummary; rewrite: BuildSummary };
  config: ConfigDifference[] | null;
  files: FilesReport | null;
  smoke: SmokeReport | null;
  size: { original: { bytes: number; layers: number }; rewrite: { bytes: number; layers: number }; ratio: number } | null;
  rebuild: RebuildReport | { skipped: string } | null;
  problems: Problem[];
}

export async function verify(input: VerifyInput, docker = new Docker()): Promise<VerifyReport> {
  const progress = input.progress;
  try {
    progress?.phase('checking docker');
    await docker.ensureReady();
    const resources = new Resources(docker, () => progress?.stop());
    try {
      return await verifyWith(docker, resources, input);
    } finally {
      progress?.phase('removing the images and containers verify made');
      await resources.release();
    }
  } finally {
    progress?.stop();
  }
}

async function verifyWith(docker: Docker, resources: Resources, input: VerifyInput): Promise<VerifyReport> {
  const say = (label: string) => input.progress?.phase(label);
  const tags = { original: resources.imageTag('original'), rewrite: resources.imageTag('rewrite') };
  const report: VerifyReport = {
    original: input.original.path,
    rewrite: input.rewrite.path ?? `${input.original.path} (rewritten in memory)`,
    context: input.context,
    equivalent: false,
    builds: { original: { ok: false, seconds: 0, executed: 0, cached: 0 }, rewrite: { ok: false, seconds: 0, executed: 0, cached: 0 } },
    config: null,
    files: null,
    smoke: null,
    size: null,
    rebuild: null,
    problems: [],
  };
  const problems = report.problems;

  say('building the original');
  const original = await buildImage(docker, { tag: tags.original, context: input.context, dockerfile: { path: input.original.path }, network: input.isolation.buildNetwork, timeoutMs: input.buildTimeoutMs, progress: input.progress });
  report.builds.original = await summarizeBuild(docker, original, input.original.text);
  say('building the rewrite');
  const rewriteContext = contextWithCreated(resources, input.context, input.rewrite.creates ?? []);
  const rewrite = await buildImage(docker, { tag: tags.rewrite, context: rewriteContext, dockerfile: input.rewrite.path ? { path: input.rewrite.path } : { text: input.rewrite.text }, network: input.isolation.buildNetwork, timeoutMs: input.buildTimeoutMs, progress: input.progress });
  report.builds.rewrite = await summarizeBuild(docker, rewrite, input.rewrite.text);
  for (const [role, build] of [['original', original], ['rewrite', rewrite]] as const) {
    if (build.timedOut) problems.push({ check: 'build', severity: 'fail', message: `the ${role} does not build: stopped after --build-timeout ${seconds(input.buildTimeoutMs)}s${build.failure?.step ? ` (${build.failure.step} was running)` : ''}` });
    else if (!build.ok) problems.push({ check: 'build', severity: 'fail', message: `the ${role} does not build${build.failure?.step ? `: ${build.failure.step} failed` : ''}` });
  }
  if (!original.ok || !rewrite.ok) return finish(report);

  const facts = { original: await inspectImage(docker, tags.original), rewrite: await inspectImage(docker, tags.rewrite) };
  report.size = sizeOf(facts.original, facts.rewrite);
  report.config = compareConfigs(facts.original.config, facts.rewrite.config, dockerfileFacts(input.original.text));
  for (const d of report.config) problems.push({ check: 'config', severity: d.severity, message: d.message });

  say("listing the images' files");
  report.files = await compareFiles(docker, resources, tags, facts, dockerfileFacts(input.original.text).finalBase, newIgnoreMatcher(input.rewrite.creates ?? []));
  problems.push(...fileProblems(report.files));

  say(`running the smoke test (${input.smoke.kind})`);
  report.smoke = await smoke(docker, resources, tags, input.smoke, { isolation: input.isolation, timeoutMs: input.timeoutMs, env: input.env });
  if (report.smoke.severity !== 'ok') problems.push({ check: 'smoke', severity: report.smoke.severity, message: report.smoke.message });

  if (!input.rebuild) report.rebuild = { skipped: '--no-rebuild' };
  else {
    const touch = input.touch ?? defaultTouchFile(input.context, input.original.path, facts.original.config);
    if (!touch) report.rebuild = { skipped: 'no source file found in the context (name one with --touch)' };
    else {
      report.rebuild = await rebuildAfterEdit(docker, resources, { context: input.context, rewriteContext, originalDockerfile: input.original.path, rewriteText: input.rewrite.text, touch, network: input.isolation.buildNetwork, timeoutMs: input.buildTimeoutMs, progress: input.progress });
      for (const [role, side] of [['original', report.rebuild.original], ['rewrite', report.rebuild.rewrite]] as const) {
        if (!side.ok) problems.push({ check: 'rebuild', severity: 'fail', message: `the ${role} does not rebuild after an edit of ${touch}${side.timedOut ? `: stopped after --build-timeout ${seconds(input.buildTimeoutMs)}s` : ''}` });
      }
    }
  }
  return finish(report);
}

/**
 * The rewrite's build context: the context itself, or, when the rewrite creates files there (a
 * .dockerignore), a temporary copy with them. Built from the user's folder, the proof would
 * prove nothing: the new .dockerignore is what changes what the rewrite's build sees.
 */
function contextWithCreated(resources: Resources, context: string, creates: readonly CreatedFile[]): string {
  if (creates.length === 0) return context;
  const copy = resources.tempDir(fs.mkdtempSync(nodePath.join(os.tmpdir(), `stageopt-verify-${resources.runId}-rewrite-context-`)));
  fs.cpSync(context, copy, { recursive: true, verbatimSymlinks: true });
  for (const file of creates) {
    const target = nodePath.join(copy, ...file.path.split('/'));
    fs.mkdirSync(nodePath.dirname(target), { recursive: true });
    fs.writeFileSync(target, file.content, { flag: 'wx' });
  }
  return copy;
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

function finish(report: VerifyReport): VerifyReport {
  report.equivalent = report.builds.original.ok && report.builds.rewrite.ok && !report.problems.some((p) => p.severity === 'fail');
  return report;
}

/** A failed build caused by an unreachable base image is a setup problem (exit 2), not a verdict. */
async function summarizeBuild(docker: Docker, build: BuildResult, text: string): Promise<BuildSummary> {
  const summary: BuildSummary = { ok: build.ok, seconds: round(build.seconds), ...build.counts };
  if (build.ok) return summary;
  const pull = pullFailure(build.log);
  if (pull) {
    for (const image of dockerfileFacts(text).baseImages) {
      if (!(await docker.imageExists(image))) {
        throw new VerifyUnavailable(`the base image ${image} is not available: it is not in the local engine and could not be pulled (${pull}). Pull it ("docker pull ${image}"), load it ("docker load"), or build it locally under that name.`);
      }
    }
  }
  return { ...summary, failedStep: build.failure?.step ?? null, logTail: build.failure?.tail ?? [], ...(build.timedOut ? { timedOut: true as const } : {}) };
}

function sizeOf(a: ImageFacts, b: ImageFacts): VerifyReport['size'] {
  return { original: { bytes: a.sizeBytes, layers: a.layers }, rewrite: { bytes: b.sizeBytes, layers: b.layers }, ratio: Math.round((b.sizeBytes / a.sizeBytes) * 1000) / 1000 };
}

/**
 * The .dockerignore the rewrite creates, as a matcher (undefined when it creates none): what it
 * excludes is missing from the rewrite by design, and the dockerignore transform has already kept
 * every path the build or the start path names out of it.
 */
function newIgnoreMatcher(creates: readonly CreatedFile[]): ((rel: string) => boolean) | undefined {
  const file = creates.find((c) => c.path === '.dockerignore');
  if (file === undefined) return undefined;
  const matcher = ignoreMatcher().add(file.content);
  return (rel) => matcher.ignores(rel);
}

async function compareFiles(docker: Docker, resources: Resources, tags: { original: string; rewrite: string }, facts: { original: ImageFacts; rewrite: ImageFacts }, base: string | null, newlyIgnored?: (rel: string) => boolean): Promise<FilesReport> {
  const workdir = path.resolve('/', facts.original.config.WorkingDir || '/');
  const manifests = new Set([path.join(workdir, 'package.json'), path.join(workdir, 'package-lock.json')]);
  const original = await listImageFiles(docker, resources, tags.original, 'original', (p) => manifests.has(p));
  const rewrite = await listImageFiles(docker, resources, tags.rewrite, 'rewrite', () => false);
  const refs = references(facts.original.config, original);
  const considered = await appPaths(docker, resources, workdir, base);
  const listed = considered !== null;
  return {
    workdir,
    listed,
    missing: considered ? classifyMissing({ workdir, considered, original, rewrite, referenced: new Set(refs.map((r) => r.path)), node: nodeManifests(original, workdir), newlyIgnored }) : [],
    owners: considered ? ownerDifferences(original, rewrite, considered) : [],
    missingReferences: missingReferences(refs, facts.rewrite.config, rewrite),
    missingPythonDistributions: missingPythonDistributions(original, rewrite),
    served: servesWithNginx(facts.original.config) ? servedDifferences(original, rewrite) : null,
  };
}

/**
 * Which paths of the original are the app's: those under WORKDIR; at the image root (no WORKDIR,
 * where the system lives too) those the build added to its base image, listed from the local
 * engine, which built from it just now. Null when the base cannot be listed.
 */
async function appPaths(docker: Docker, resources: Resources, workdir: string, base: string | null): Promise<((p: string) => boolean) | null> {
  if (workdir !== '/') return (p) => p === workdir || p.startsWith(`${workdir}/`);
  if (base === null || !(await docker.imageExists(base))) return null;
  const listing = await listImageFiles(docker, resources, base, 'base', () => false);
  return (p) => !listing.entries.has(p);
}

function nodeManifests(listing: Listing, workdir: string): NodeManifests {
  const read = (name: string): unknown => {
    const bytes = listing.captured.get(path.join(workdir, name));
    try {
      return bytes ? JSON.parse(bytes.toString('utf8')) : null;
    } catch {
      return null; // an unreadable manifest places no package; they fall back to "possibly needed"
    }
  };
  const lock = read('package-lock.json') as { packages?: NodeManifests['lockPackages'] } | null;
  return { pkg: read('package.json') as NodeManifests['pkg'], lockPackages: lock?.packages ?? null };
}

export function fileProblems(files: FilesReport): Problem[] {
  const out: Problem[] = [];
  for (const ref of files.missingReferences) out.push({ check: 'files', severity: 'fail', message: `the start command names ${ref.word} (${ref.path}), which the rewrite lacks` });
  for (const name of files.missingPythonDistributions) out.push({ check: 'files', severity: 'fail', message: `Python package ${name} (site-packages) is missing in the rewrite` });
  const referencedPaths = new Set(files.missingReferences.map((r) => r.path));
  for (const m of files.missing) {
    if (m.severity === 'note' || (m.class === 'referenced' && referencedPaths.has(path.join(files.workdir, m.path)))) continue;
    out.push({ check: 'files', severity: m.severity, message: `${path.join(files.workdir, m.path)}${m.files > 1 ? ` (${m.files} files)` : ''} missing in the rewrite: ${m.reason}` });
  }
  const buildOnly = files.missing.filter((m) => m.severity === 'note');
  if (buildOnly.length) {
    const count = buildOnly.reduce((n, m) => n + m.files, 0);
    out.push({ check: 'files', severity: 'note', message: `${count} build-only file${count === 1 ? '' : 's'} not in the rewrite (${buildOnly.map((m) => m.path).slice(0, 6).join(', ')}${buildOnly.length > 6 ? ', …' : ''})` });
  }
  for (const d of files.served ?? []) {
    out.push({ check: 'files', severity: 'fail', message: `${d.path}${d.files > 1 ? ` and ${d.files - 1} more` : ''}: ${d.change}, where nginx reads (${NGINX_ROOTS.join(', ')})` });
  }
  for (const o of files.owners) {
    out.push({ check: 'files', severity: 'fail', message: `${o.path}${o.files > 1 ? ` and ${o.files - 1} more` : ''}: owner and mode ${o.original} in the original, ${o.rewrite} in the rewrite` });
  }
  if (!files.listed) out.push({ check: 'files', severity: 'note', message: 'WORKDIR is / and the base image cannot be listed: only the paths the start command names were compared' });
  return out;
}
