// What a split is expected to save, from what the stacks know without building anything: the
// usual sizes of the two base images, and rough weights for what the runtime leaves behind (dev
// dependencies, build-only OS packages). An estimate decides only whether a split is worth
// offering; `stageopt verify` measures what it really saves.
import { approxImageMB } from '../runtime-images.js';
import type { Saving } from './split.js';

/** An installed npm package weighs about this much on average (dev tools weigh more, small libraries less). */
export const PACKAGE_MB = 0.5;

// Compilers and toolchains weigh tens of MB; a header package a few.
const HEAVY_BUILD_PACKAGES = new Set(['build-essential', 'gcc', 'g++', 'cmake', 'cargo', 'rustc', 'gfortran', 'python3-dev', 'python-dev', 'python3', 'git']);

export interface Dropped {
  mb: number;
  note: string;
}

/** Estimated build-only OS packages' weight, as a dropped item (null when there are none). */
export function droppedPackages(packages: readonly string[]): Dropped | null {
  if (packages.length === 0) return null;
  const mb = packages.reduce((sum, p) => sum + (HEAVY_BUILD_PACKAGES.has(p) ? 30 : 5), 0);
  return { mb, note: `build-only OS packages left behind (${packages.join(', ')})` };
}

/**
 * The saving of running on `runtimeImage` instead of `buildImage`, with `sharedMB` of app and
 * dependencies in both and `dropped` only in the original.
 */
export function estimateSaving(buildImage: string, runtimeImage: string, sharedMB: number, dropped: readonly (Dropped | null)[]): Saving {
  const before = approxImageMB(buildImage);
  const after = approxImageMB(runtimeImage);
  const notes: string[] = [];
  const items = dropped.filter((d): d is Dropped => d !== null && d.mb > 0);
  // An image whose size is not known: only the dropped weight can be told, on a base of some 200 MB.
  const known = before !== null && after !== null;
  const droppedMB = items.reduce((s, d) => s + d.mb, 0);
  const beforeMB = (known ? before : 200) + sharedMB + droppedMB;
  const afterMB = (known ? after : 200) + sharedMB;
  if (!known) notes.push(runtimeImage === buildImage ? `the same base (${buildImage})` : `${runtimeImage} instead of ${buildImage} (sizes not known)`);
  else notes.push(before === after ? `a base of the same size (${runtimeImage})` : `${runtimeImage} (≈${mb(after)}) instead of ${buildImage} (≈${mb(before)})`);
  for (const item of items) notes.push(item.note);
  return { beforeMB, afterMB, notes };
}

/** The saving as a whole percentage of the original image. */
export function savedPercent(saving: Saving): number {
  return saving.beforeMB <= 0 ? 0 : Math.round(((saving.beforeMB - saving.afterMB) / saving.beforeMB) * 100);
}

function mb(n: number): string {
  return `${n.toLocaleString('en-US')} MB`;
}
