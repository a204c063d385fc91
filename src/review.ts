// The interactive review: for each changed file, its diff and fixes, then apply / skip / apply all
// remaining / pick fixes one by one / quit. Only what the user accepts is written. Loaded only on a
// terminal, so the prompt library never slows down --dry-run.
import { checkbox, expand } from '@inquirer/prompts';
import { colorDiff, paint } from './diff.js';
import type { EngineResult } from './engine.js';
import { changeDiff } from './file-changes.js';
import type { FileReport } from './runner.js';
import type { WriteResult } from './write.js';

export interface ReviewHooks {
  color: boolean;
  print(text: string): void;
  /** Re-runs the engine on a file, applying only the fixes `accept` allows. */
  recompute(report: FileReport, accept: (transformId: string, key: string) => boolean): EngineResult;
  /** Writes the accepted change: the new text and the files it creates. */
  write(report: FileReport, change: EngineResult): WriteResult;
  /** --verify: build the change and print its verification before asking. */
  verify?(report: FileReport): Promise<void>;
}

export interface ReviewResult {
  written: Set<FileReport>;
  failed: Map<FileReport, string>;
}

type Choice = 'apply' | 'skip' | 'all' | 'pick' | 'quit';

export async function review(reports: readonly FileReport[], hooks: ReviewHooks): Promise<ReviewResult> {
  const result: ReviewResult = { written: new Set(), failed: new Map() };
  const changed = reports.filter((r) => r.outcome === 'changed' && r.engine);
  let applyRest = false;
  for (const [i, report] of changed.entries()) {
    const engine = report.engine!;
    let output = engine;
    if (!applyRest) {
      showChange(report, engine, hooks, `(${i + 1}/${changed.length})`);
      await hooks.verify?.(report);
      const choice = await ask(report, engine);
      if (choice === 'quit') break;
      if (choice === 'skip') continue;
      if (choice === 'all') applyRest = true;
      if (choice === 'pick') {
        const picked = await pick(report, engine, hooks);
        if (picked === null) continue;
        output = picked;
      }
    }
    const written = hooks.write(report, output);
    if (written.ok) {
      result.written.add(report);
      hooks.print(`${paint('✔', 'green', hooks.color)} wrote ${report.path}\n`);
    } else {
      result.failed.set(report, written.reason);
      hooks.print(`${paint('✘', 'red', hooks.color)} ${report.path}: ${written.reason}\n`);
    }
  }
  return result;
}

function showChange(report: FileReport, engine: EngineResult, hooks: ReviewHooks, counter: string): void {
  hooks.print(`\n${paint(`${report.path} ${counter}`, 'bold', hooks.color)}\n`);
  hooks.print(colorDiff(changeDiff(report.path, report.original, engine), hooks.color));
  hooks.print(`${engine.fixes.length === 1 ? 'Fix' : 'Fixes'}:\n`);
  for (const [n, fix] of engine.fixes.entries()) {
    hooks.print(`  ${n + 1}. ${paint(fix.transform, 'cyan', hooks.color)} line ${fix.line}: ${fix.message}\n`);
  }
}

async function ask(report: FileReport, engine: EngineResult): Promise<Choice> {
  const choices: { key: 'y' | 'n' | 'a' | 'p' | 'q'; name: string; value: Choice }[] = [
    { key: 'y', name: 'Apply the changes to this file', value: 'apply' },
    { key: 'n', name: 'Skip this file', value: 'skip' },
    { key: 'a', name: 'Apply this and all remaining files', value: 'all' },
  ];
  if (engine.fixes.length > 1) choices.push({ key: 'p', name: 'Pick fixes one by one', value: 'pick' });
  choices.push({ key: 'q', name: 'Quit (keep what was applied so far)', value: 'quit' });
  return expand({ message: `Apply to ${report.path}?`, default: 'y', choices });
}

/** Returns the change with only the chosen fixes, or null when the user ends up choosing nothing. */
async function pick(report: FileReport, engine: EngineResult, hooks: ReviewHooks): Promise<EngineResult | null> {
  const keys = await checkbox({
    message: 'Fixes to apply (space toggles, enter confirms)',
    choices: engine.fixes.map((fix) => ({ name: `${fix.transform} line ${fix.line}: ${fix.message}`, value: `${fix.transform}\0${fix.key}`, checked: true })),
  });
  if (keys.length === 0) return null;
  const accepted = new Set(keys);
  const partial = hooks.recompute(report, (id, key) => accepted.has(`${id}\0${key}`));
  if (partial.status !== 'changed') {
    hooks.print(partial.status === 'error' ? `${report.path}: ${partial.error!.message}\n` : 'Those fixes change nothing on their own; skipped.\n');
    return null;
  }
  if (changeDiff(report.path, report.original, partial) === changeDiff(report.path, report.original, engine)) return partial;
  hooks.print(colorDiff(changeDiff(report.path, report.original, partial), hooks.color));
  const confirm = await expand({
    message: `Apply these ${partial.fixes.length} fix${partial.fixes.length === 1 ? '' : 'es'} to ${report.path}?`,
    default: 'y',
    choices: [
      { key: 'y', name: 'Apply', value: 'apply' },
      { key: 'n', name: 'Skip this file', value: 'skip' },
    ],
  });
  return confirm === 'apply' ? partial : null;
}
