// The interactive review: for each changed file, its diff and fixes, then apply / skip / apply all
// remaining / pick fixes one by one / verify / quit. Only what the user accepts is written. Loaded
// only on a terminal, so the prompt library never slows down --dry-run.
//
// Unsafe fixes are offered here too (unless the project turns it off), marked with the reason the
// transform gives. Like ESLint's suggestions they are never applied wholesale: a file whose only
// fix is unsafe is applied by answering for that one fix; where a file has several fixes, the
// unsafe ones start unticked in the picker and `y` applies the safe ones alone.
import { checkbox } from '@inquirer/prompts';
import { colorDiff, paint } from './diff.js';
import { changeDiff } from './file-changes.js';
import type { EngineResult, FixRecord } from './engine.js';
import { keyPrompt, type KeyChoice } from './key-prompt.js';
import type { FileReport } from './runner.js';
import type { WriteResult } from './write.js';

export interface ReviewHooks {
  color: boolean;
  print(text: string): void;
  /** Re-runs the engine on a file, applying only the fixes `accept` allows. */
  recompute(report: FileReport, accept: (transformId: string, key: string) => boolean): EngineResult;
  /** Writes what the reviewer accepted — the whole proposal, or the engine's result for the fixes picked: the new text and the files it creates. */
  write(report: FileReport, applied: EngineResult): WriteResult;
  /** --verify: build the change and print its verification before asking. */
  verify?(report: FileReport): Promise<void>;
  /** The `v` key: build the proposed output of this file and return the verification to print. */
  verifyOnDemand?(report: FileReport, output: string): Promise<string>;
  /** --unsafe (or the config's `unsafe: true`) for this file: its unsafe fixes count as accepted. */
  unsafeAccepted?(report: FileReport): boolean;
}

export interface ReviewResult {
  written: Set<FileReport>;
  failed: Map<FileReport, string>;
}

type Choice = 'apply' | 'skip' | 'all' | 'pick' | 'verify' | 'quit';

const fixId = (fix: FixRecord) => `${fix.transform}\0${fix.key}`;

export async function review(reports: readonly FileReport[], hooks: ReviewHooks): Promise<ReviewResult> {
  const result: ReviewResult = { written: new Set(), failed: new Map() };
  const changed = reports.filter((r) => r.outcome === 'changed' && r.engine);
  let applyRest = false;
  for (const [i, report] of changed.entries()) {
    const engine = report.engine!;
    const unsafe = hooks.unsafeAccepted?.(report) ? [] : engine.fixes.filter((f) => f.safety === 'unsafe');
    // What `y` (and `a`) applies: everything, unless unsafe fixes sit beside others.
    const needsHand = unsafe.length > 0 && engine.fixes.length > 1;
    let applied: EngineResult | null = needsHand ? safeOnly(report, engine, hooks) : engine;
    if (applyRest) {
      if (applied === null) {
        hooks.print(`${paint('–', 'yellow', hooks.color)} ${report.path}: skipped, its fixes are unsafe (each needs a yes of its own)\n`);
        continue;
      }
    } else {
      showChange(report, engine, hooks, `(${i + 1}/${changed.length})`);
      await hooks.verify?.(report);
      let choice: Choice;
      for (;;) {
        choice = await ask(report, engine, applied !== null, needsHand, Boolean(hooks.verifyOnDemand));
        if (choice !== 'verify') break;
        hooks.print(await hooks.verifyOnDemand!(report, engine.output));
      }
      if (choice === 'quit') break;
      if (choice === 'skip') continue;
      if (choice === 'all') applyRest = true;
      if (choice === 'pick') applied = await pick(report, engine, hooks);
      if (applied === null) continue;
    }
    const written = hooks.write(report, applied);
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

/** The file with its safe fixes only, or null when they change nothing on their own. */
function safeOnly(report: FileReport, engine: EngineResult, hooks: ReviewHooks): EngineResult | null {
  const safe = new Set(engine.fixes.filter((f) => f.safety === 'safe').map(fixId));
  if (safe.size === 0) return null;
  const partial = hooks.recompute(report, (id, key) => safe.has(`${id}\0${key}`));
  return partial.status === 'changed' ? partial : null;
}

function fixLine(fix: FixRecord, color: boolean): string {
  const mark = fix.safety === 'unsafe' ? ` ${paint('[unsafe]', 'yellow', color)}` : '';
  return `${paint(fix.transform, 'cyan', color)}${mark} line ${fix.line}: ${fix.message}`;
}

function showChange(report: FileReport, engine: EngineResult, hooks: ReviewHooks, counter: string): void {
  hooks.print(`\n${paint(`${report.path} ${counter}`, 'bold', hooks.color)}\n`);
  hooks.print(colorDiff(changeDiff(report.path, report.original, engine), hooks.color));
  hooks.print(`${engine.fixes.length === 1 ? 'Fix' : 'Fixes'}:\n`);
  for (const [n, fix] of engine.fixes.entries()) {
    hooks.print(`  ${n + 1}. ${fixLine(fix, hooks.color)}\n`);
    if (fix.safety === 'unsafe') hooks.print(`     ${paint('unsafe:', 'yellow', hooks.color)} ${fix.unsafeReason}\n`);
  }
}

async function ask(report: FileReport, engine: EngineResult, canApply: boolean, needsHand: boolean, canVerify: boolean): Promise<Choice> {
  const safeCount = engine.fixes.filter((f) => f.safety === 'safe').length;
  const choices: KeyChoice<Choice>[] = [];
  if (canApply) {
    const onlyUnsafe = engine.fixes.length === 1 && engine.fixes[0]!.safety === 'unsafe';
    const name = needsHand ? `Apply the ${safeCount} safe fix${safeCount === 1 ? '' : 'es'} only (pick with p to add unsafe ones)` : onlyUnsafe ? 'Apply this unsafe fix' : 'Apply the changes to this file';
    choices.push({ key: 'y', name, value: 'apply' });
  }
  choices.push({ key: 'n', name: 'Skip this file', value: 'skip' });
  choices.push({ key: 'a', name: needsHand || !canApply ? 'Apply this and all remaining files (safe fixes only where unsafe ones sit beside them)' : 'Apply this and all remaining files', value: 'all' });
  if (engine.fixes.length > 1) choices.push({ key: 'p', name: needsHand ? 'Pick fixes one by one (unsafe ones start unticked)' : 'Pick fixes one by one', value: 'pick' });
  if (canVerify) choices.push({ key: 'v', name: 'Verify: build the original and this change with Docker and compare them', value: 'verify' });
  choices.push({ key: 'q', name: 'Quit (keep what was applied so far)', value: 'quit' });
  return keyPrompt({ message: `Apply to ${report.path}?`, default: canApply ? 'y' : 'p', choices });
}

/** Returns the engine's result with only the chosen fixes, or null when the user ends up choosing nothing. */
async function pick(report: FileReport, engine: EngineResult, hooks: ReviewHooks): Promise<EngineResult | null> {
  const keys = await checkbox({
    message: 'Fixes to apply (space toggles, enter confirms)',
    choices: engine.fixes.map((fix) => ({ name: fixLine(fix, false), value: fixId(fix), checked: fix.safety === 'safe' })),
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
  const confirm = await keyPrompt({
    message: `Apply these ${partial.fixes.length} fix${partial.fixes.length === 1 ? '' : 'es'} to ${report.path}?`,
    default: 'y',
    choices: [
      { key: 'y', name: 'Apply', value: 'apply' },
      { key: 'n', name: 'Skip this file', value: 'skip' },
    ],
  });
  return confirm === 'apply' ? partial : null;
}
