// What the user reads: one line per file that needs attention, a summary line that is easy to grep,
// and a JSON document with the same facts for machines.
import { paint } from './diff.js';
import { changeDiff, newFiles } from './file-changes.js';
import type { FileReport, Outcome } from './runner.js';

export type Mode = 'dry-run' | 'write' | 'review';

export interface Summary {
  files: number;
  /** In review mode: files written; elsewhere: files with changes (written with --write). */
  changed: number;
  /** Review mode only: files with changes the reviewer skipped (or never reached after quitting). */
  skipped: number;
  unchanged: number;
  declined: number;
  errors: number;
  fixesByTransform: Record<string, number>;
  withheldUnsafe: number;
  /** New files the changes create (a .dockerignore), counted like the changed files. */
  filesCreated: number;
  elapsedMs: number;
}

export function summarize(reports: readonly FileReport[], elapsedMs: number, reviewed?: ReadonlySet<FileReport>): Summary {
  const summary: Summary = { files: 0, changed: 0, skipped: 0, unchanged: 0, declined: 0, errors: 0, fixesByTransform: {}, withheldUnsafe: 0, filesCreated: 0, elapsedMs };
  const key: Record<Outcome, 'changed' | 'unchanged' | 'declined' | 'errors'> = { changed: 'changed', unchanged: 'unchanged', declined: 'declined', error: 'errors' };
  for (const r of reports) {
    if (r.ignoredByConfig) continue;
    summary.files++;
    if (reviewed && r.outcome === 'changed' && !reviewed.has(r)) {
      summary.skipped++;
      continue;
    }
    summary[key[r.outcome]]++;
    for (const fix of r.engine?.fixes ?? []) summary.fixesByTransform[fix.transform] = (summary.fixesByTransform[fix.transform] ?? 0) + 1;
    summary.withheldUnsafe += r.engine?.withheld.length ?? 0;
    if (r.outcome === 'changed') summary.filesCreated += r.engine?.created.length ?? 0;
  }
  return summary;
}

/** One line, same shape in every mode, so scripts can grep it: `stageopt: N files: ...`. */
export function summaryLine(summary: Summary, mode: Mode): string {
  const changedWord = mode === 'dry-run' ? 'would change' : 'changed';
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  let line =
    `stageopt: ${plural(summary.files, 'file')}: ${summary.changed} ${changedWord}, ${mode === 'review' ? `${summary.skipped} skipped, ` : ''}${summary.unchanged} unchanged, ` +
    `${summary.declined} declined, ${plural(summary.errors, 'error')} (${(summary.elapsedMs / 1000).toFixed(2)}s)`;
  const perTransform = Object.entries(summary.fixesByTransform).map(([id, n]) => `${id} ${n}`);
  if (perTransform.length > 0) line += `; fixes: ${perTransform.join(', ')}`;
  if (summary.filesCreated > 0) line += `; ${plural(summary.filesCreated, 'new file')}${mode === 'dry-run' ? ' to create' : ''}`;
  if (summary.withheldUnsafe > 0) line += `; ${summary.withheldUnsafe} unsafe ${summary.withheldUnsafe === 1 ? 'fix' : 'fixes'} not applied (use --unsafe)`;
  return line;
}

/** Lines about one file for the terminal: nothing for a quiet success. */
export function fileLines(report: FileReport, mode: Mode, color: boolean): string[] {
  const name = paint(report.path, 'bold', color);
  const lines: string[] = [];
  if (report.outcome === 'error') {
    lines.push(`${name}: ${paint('error', 'red', color)}: ${report.error}`);
    return lines;
  }
  const engine = report.engine;
  if (!engine) return lines;
  if (report.outcome === 'changed') {
    const verb = mode === 'dry-run' ? 'would change' : mode === 'write' ? 'changed' : 'has changes';
    lines.push(`${name}: ${verb}`);
    for (const fix of engine.fixes) lines.push(`  ${paint(fix.transform, 'cyan', color)} line ${fix.line}${fix.safety === 'unsafe' ? ' (unsafe)' : ''}: ${fix.message}`);
    for (const file of newFiles(engine)) lines.push(`  ${mode === 'dry-run' ? 'would create' : mode === 'write' ? 'created' : 'creates'} ${file.shown}`);
  }
  for (const d of engine.declines) {
    const where = d.transform ? `${paint(d.transform, 'cyan', color)}${d.line ? ` line ${d.line}` : ''}: ` : '';
    lines.push(`${name}: declined: ${where}${d.message}`);
  }
  for (const w of engine.withheld) lines.push(`${name}: unsafe fix not applied (use --unsafe): ${paint(w.transform, 'cyan', color)} line ${w.line}: ${w.message}`);
  for (const note of engine.notes) lines.push(`${name}: note: ${note}`);
  return lines;
}

export interface JsonFile {
  path: string;
  outcome: Outcome;
  written: boolean;
  fixes: { transform: string; safety: string; unsafeReason?: string; message: string; line: number }[];
  declines: { transform: string | null; message: string; line: number | null }[];
  withheld: { transform: string; unsafeReason: string; message: string; line: number }[];
  notes: string[];
  /** The Dockerfile's diff, then a new-file diff (`--- /dev/null`) per created file. */
  diff: string | null;
  /** Files the change creates, with their full text (paths as shown, like `path`). */
  creates: { path: string; content: string }[];
  error: string | null;
}

export function jsonFile(report: FileReport, written: boolean): JsonFile {
  const engine = report.engine;
  return {
    path: report.path,
    outcome: report.outcome,
    written,
    fixes: (engine?.fixes ?? []).map(({ transform, safety, unsafeReason, message, line }) => ({ transform, safety, ...(unsafeReason ? { unsafeReason } : {}), message, line })),
    declines: engine?.declines ?? [],
    withheld: (engine?.withheld ?? []).map(({ transform, unsafeReason, message, line }) => ({ transform, unsafeReason, message, line })),
    notes: engine?.notes ?? [],
    diff: report.outcome === 'changed' && engine ? changeDiff(report.path, report.original, engine) : null,
    creates: report.outcome === 'changed' && engine ? newFiles(engine).map((f) => ({ path: f.shown, content: f.content })) : [],
    error: report.error,
  };
}
