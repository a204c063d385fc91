// The cost of the everyday edit: change one source file in a temporary copy of the build context,
// rebuild both Dockerfiles with the cache of the first builds, and count which steps ran again.
// A good rewrite keeps the dependency install cached; the original usually re-runs it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { folderContext } from '../build-context.js';
import { buildImage, type BuildResult } from './build.js';
import { executedSteps } from './build-log.js';
import type { Docker } from './docker.js';
import type { Resources } from './cleanup.js';
import { commandWords } from './references.js';
import type { ImageConfig } from './config-compare.js';
import type { BuildNetwork } from './isolation.js';
import type { VerifyProgress } from './progress.js';

export interface RebuildSide {
  ok: boolean;
  /** Wall time of the whole build, BuildKit's start-up and context transfer included. */
  seconds: number;
  /** The executed steps' own seconds, added up: the work the edit caused, without the build's fixed costs. */
  stepSeconds: number;
  executed: number;
  cached: number;
  /** The steps that ran again ("RUN npm ci"), in build order. */
  executedSteps: string[];
  /** Present when the rebuild was stopped at --build-timeout. */
  timedOut?: true;
}

export interface RebuildReport {
  /** The edited file, relative to the context. */
  touched: string;
  original: RebuildSide;
  rewrite: RebuildSide;
}

const SOURCE = /\.(js|mjs|cjs|ts|mts|tsx|jsx|go|py)$/;
const SKIP_DIRS = new Set(['node_modules', '.git', 'vendor', 'dist', 'build', 'test', 'tests', '__tests__', '__pycache__']);

/** The file to edit: the one the CMD runs when it comes from the context, else the shallowest source file. */
export function defaultTouchFile(context: string, dockerfilePath: string, config: ImageConfig): string | null {
  const ctx = folderContext(context, dockerfilePath);
  for (const word of commandWords(config)) {
    const rel = word.replace(/^\.\//, '');
    if (SOURCE.test(rel) && !path.isAbsolute(rel) && ctx.has(rel) && !ctx.isDirectory(rel)) return rel;
  }
  // Breadth first, so a top-level server.js wins over a file deep in a package.
  let level = [''];
  while (level.length) {
    const next: string[] = [];
    for (const dir of level) {
      const entries = ctx.list(dir) ?? [];
      for (const name of entries) {
        const rel = dir ? `${dir}/${name}` : name;
        if (ctx.isDirectory(rel)) {
          if (!SKIP_DIRS.has(name) && !name.startsWith('.')) next.push(rel);
        } else if (SOURCE.test(name) && !/\.(test|spec)\.|\.d\.ts$|_test\.go$/.test(name)) return rel;
      }
    }
    level = next;
  }
  return null;
}

/** An edit that changes the bytes without changing what the file does. */
export function touchText(file: string, text: string, marker: string): string {
  const ext = path.extname(file).toLowerCase();
  const sep = text.endsWith('\n') || text === '' ? '' : '\n';
  if (/^\.(js|mjs|cjs|ts|mts|cts|tsx|jsx|go|c|h|cc|cpp|java|kt|rs|swift|scss|less)$/.test(ext)) return `${text}${sep}// ${marker}\n`;
  if (ext === '.css') return `${text}${sep}/* ${marker} */\n`;
  if (/^\.(html?|xml|svg|md)$/.test(ext)) return `${text}${sep}<!-- ${marker} -->\n`;
  // JSON has no comments; trailing white space is allowed. It spells the marker's hash in spaces and
  // tabs, so that every run's edit differs: white space that followed only the marker's length was
  // the same in every run, and a later run's rebuild found an earlier one's layers in the cache
  // (a package.json edit measured 0 s).
  if (ext === '.json') return `${text}${sep}${whitespaceOf(marker)}\n`;
  return `${text}${sep}# ${marker}\n`;
}

function whitespaceOf(marker: string): string {
  const hash = crypto.createHash('sha256').update(marker).digest();
  return Array.from({ length: 32 }, (_, i) => ((hash[i >> 3]! >> (i & 7)) & 1 ? '\t' : ' ')).join('');
}

export interface RebuildRequest {
  context: string;
  /** The rewrite's context when it differs (a copy holding the files the rewrite creates). */
  rewriteContext?: string;
  originalDockerfile: string;
  rewriteText: string;
  touch: string;
  network: BuildNetwork;
  timeoutMs: number;
  progress?: VerifyProgress;
}

export async function rebuildAfterEdit(docker: Docker, resources: Resources, request: RebuildRequest): Promise<RebuildReport> {
  // Each side rebuilds from a copy of its own with an edit of its own: with one shared edit, a
  // rewrite whose build stage repeats the original's instructions would find the layers the
  // original's rebuild had just made in the cache, and look as if its build took no time.
  const original = await rebuildSide(docker, resources, request, 'original');
  const rewrite = await rebuildSide(docker, resources, request, 'rewrite');
  return { touched: request.touch, original: side(original), rewrite: side(rewrite) };
}

async function rebuildSide(docker: Docker, resources: Resources, request: RebuildRequest, which: 'original' | 'rewrite'): Promise<BuildResult> {
  const copy = resources.tempDir(fs.mkdtempSync(path.join(os.tmpdir(), `stageopt-verify-${resources.runId}-${which}-`)));
  fs.cpSync(which === 'rewrite' ? (request.rewriteContext ?? request.context) : request.context, copy, { recursive: true, verbatimSymlinks: true });
  const target = path.join(copy, request.touch);
  fs.writeFileSync(target, touchText(request.touch, fs.readFileSync(target, 'utf8'), `stageopt verify edit ${resources.runId} ${which}`));
  const tag = resources.imageTag(`${which}-rebuild`);
  request.progress?.phase(`rebuilding the ${which} after an edit of ${request.touch}`);
  const common = { tag, context: copy, network: request.network, timeoutMs: request.timeoutMs, progress: request.progress };
  if (which === 'rewrite') return buildImage(docker, { ...common, dockerfile: { text: request.rewriteText } });
  // The original Dockerfile is built from the copy when it lives in the context, so a
  // <Dockerfile>.dockerignore next to it keeps applying.
  const rel = path.relative(request.context, request.originalDockerfile);
  const originalFile = rel.startsWith('..') || path.isAbsolute(rel) ? request.originalDockerfile : path.join(copy, rel);
  return buildImage(docker, { ...common, dockerfile: { path: originalFile } });
}

function side(build: BuildResult): RebuildSide {
  return {
    ok: build.ok,
    seconds: round(build.seconds),
    stepSeconds: round(executedSteps(build.steps).reduce((sum, step) => sum + (step.seconds ?? 0), 0)),
    ...build.counts,
    executedSteps: executedSteps(build.steps).map((s) => s.name),
    ...(build.timedOut ? { timedOut: true as const } : {}),
  };
}

export function round(seconds: number): number {
  return Math.round(seconds * 10) / 10;
}
