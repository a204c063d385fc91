// `--report FILE.md`: the run as Markdown, the text a platform team pastes into the pull request it
// opens with --patch-dir. One section per repository (the folder holding .git, as for patches),
// and in it: a table of its files with their outcomes, each changed file's fixes (transform id,
// safety and, for an unsafe fix, why), the declines grouped by reason, the unsafe fixes left out,
// the errors, and with --verify what the builds measured.
//
// There is no public documentation site to link to: each transform is named with the command that
// prints its page (`stageopt --explain <id>`) and the page's path in the stageopt package, in one
// "Transforms" list at the end, which the fixes link to by its headings.
//
// Paths and messages come from other people's repositories: everything is escaped, so a `|` or a
// backtick in a file name cannot break a table or a code span.
import path from 'node:path';
import type { Mode } from './report.js';
import type { FileReport } from './runner.js';
import type { Transform } from './transform.js';
import type { VerifyReport } from './verify/verify.js';
import { megabytes } from './verify/report.js';

export interface MarkdownInput {
  reports: readonly FileReport[];
  mode: Mode;
  /** Review mode: the files the reviewer accepted (and that were written). */
  written: ReadonlySet<FileReport>;
  /** --verify: each verified file's report, or why it could not be verified. */
  verified: ReadonlyMap<FileReport, { report: VerifyReport | null; text: string }>;
  repoRootOf: (absPath: string) => string;
  registry: readonly Pick<Transform, 'id' | 'summary' | 'safety'>[];
  version: string;
  /** How roots are shown (relative to the working folder where shorter). */
  showPath: (abs: string) => string;
}

/** Text with Markdown's punctuation escaped, on one line. */
export function text(s: string): string {
  return oneLine(s).replace(/[\\`*_[\]<>|~&]/g, (c) => (c === '&' ? '&amp;' : `\\${c}`));
}

/** A code span that holds any text: a fence longer than the longest run of backticks inside. */
export function code(s: string): string {
  const t = oneLine(s);
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = t.startsWith('`') || t.endsWith('`') || (t.startsWith(' ') && t.endsWith(' ') && t.trim()) ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

/** A table cell: a `|`, even inside a code span, ends the cell unless escaped (GitHub's rule). */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function oneLine(s: string): string {
  return s.replace(/\s*[\r\n]+\s*/g, ' ');
}

/** The heading of a transform in the "Transforms" list, and the link to it. */
function transformLink(id: string): string {
  return `[${code(id)}](#${anchor(`transform ${id}`)})`;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to dashes. */
export function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

export function markdownReport(input: MarkdownInput): string {
  const reports = input.reports.filter((r) => !r.ignoredByConfig);
  const groups = byRepository(reports, input.repoRootOf);
  const used = new Set<string>();
  const out: string[] = ['# stageopt report', ''];
  const repos = groups.length === 1 ? '1 repository' : `${groups.length} repositories`;
  out.push(`${reports.length} Dockerfile${reports.length === 1 ? '' : 's'} in ${repos}, ${modeWords(input.mode)}; stageopt ${text(input.version)}.`, '');

  for (const group of groups) {
    out.push(`## ${text(group.root === null ? 'Without a file on disk' : input.showPath(group.root))}`, '');
    out.push('| File | Outcome | Fixes |', '| --- | --- | --- |');
    for (const { rel, report } of group.files) {
      const fixes = (report.engine && report.outcome === 'changed' && accepted(report, input) ? report.engine.fixes : []).map((f) => `${code(f.transform)} (${f.safety})`);
      out.push(`| ${cell(code(rel))} | ${cell(outcome(report, input))} | ${cell(fixes.join(', ') || '–')} |`);
    }
    out.push('');
    for (const { rel, report } of group.files) {
      if (report.outcome !== 'changed' || !report.engine || !accepted(report, input)) continue;
      out.push(`### ${code(rel)}`, '');
      for (const fix of report.engine.fixes) {
        used.add(fix.transform);
        const safety = fix.safety === 'unsafe' ? `**unsafe**${fix.unsafeReason ? ` (${text(fix.unsafeReason)})` : ''}` : 'safe';
        out.push(`- ${transformLink(fix.transform)}, ${safety}, line ${fix.line}: ${text(fix.message)}`);
      }
      const verified = input.verified.get(report);
      if (verified) out.push('', ...verificationLines(verified));
      out.push('');
    }
    const declines = declineGroups(group.files);
    if (declines.length) {
      out.push('### Declined', '', 'stageopt could not prove these changes safe and left the files as they are:', '');
      for (const d of declines) {
        if (d.transform) used.add(d.transform);
        out.push(`- ${d.transform ? `${transformLink(d.transform)}: ` : ''}${text(d.message)} — ${d.files.map(({ rel, line }) => `${code(rel)}${line ? ` line ${line}` : ''}`).join(', ')}`);
      }
      out.push('');
    }
    const withheld = group.files.flatMap(({ rel, report }) => (report.engine?.withheld ?? []).map((w) => ({ rel, w })));
    if (withheld.length) {
      out.push('### Unsafe fixes not applied', '', 'Offered only with --unsafe (or accepted one by one in the review):', '');
      for (const { rel, w } of withheld) {
        used.add(w.transform);
        out.push(`- ${code(rel)} line ${w.line}, ${transformLink(w.transform)}: ${text(w.message)}. Unsafe because ${text(w.unsafeReason)}`);
      }
      out.push('');
    }
    const errors = group.files.filter(({ report }) => report.outcome === 'error');
    if (errors.length) {
      out.push('### Errors', '');
      for (const { rel, report } of errors) out.push(`- ${code(rel)}: ${text(report.error ?? 'error')}`);
      out.push('');
    }
  }

  if (used.size) {
    out.push('## Transforms', '', 'What each transform does, why, and when it declines: `stageopt --explain <id>` prints its page, which is also `docs/transforms/<id>.md` in the stageopt package.', '');
    for (const id of [...used].sort()) {
      const t = input.registry.find((r) => r.id === id);
      out.push(`### transform ${id}`, '', `${t ? `${text(t.summary)} ` : ''}Safety: ${t?.safety ?? 'unknown'}. Docs: ${code(`stageopt --explain ${id}`)}, ${code(`docs/transforms/${id}.md`)}.`, '');
    }
  }
  return out.join('\n').replace(/\n+$/, '\n');
}

/** In review only what the reviewer accepted counts as a change; elsewhere every pending change. */
function accepted(report: FileReport, input: MarkdownInput): boolean {
  return input.mode !== 'review' || input.written.has(report);
}

function modeWords(mode: Mode): string {
  if (mode === 'review') return 'reviewed: the changes below are those the reviewer accepted';
  if (mode === 'write') return 'written';
  return 'proposed (nothing written)';
}

function outcome(report: FileReport, input: MarkdownInput): string {
  if (report.outcome === 'changed') {
    if (input.mode === 'review') return input.written.has(report) ? 'changed (accepted in the review)' : 'not accepted in the review';
    const verified = input.verified.get(report);
    const verdict = verified ? (verified.report ? (verified.report.equivalent ? ', verified equivalent' : ', NOT equivalent') : ', not verified') : '';
    return `${input.mode === 'write' ? 'changed' : 'would change'}${verdict}`;
  }
  return report.outcome;
}

function verificationLines(v: { report: VerifyReport | null; text: string }): string[] {
  if (!v.report) return [`Verification: could not run: ${text(v.text.trim())}`];
  const r = v.report;
  const lines = [`Verification (stageopt verify): **${r.equivalent ? 'equivalent' : 'NOT equivalent'}**.`, ''];
  const rows: string[] = [];
  const b = r.builds;
  rows.push(`| build | ${b.original.ok ? `ok, ${b.original.seconds}s` : 'failed'} | ${b.rewrite.ok ? `ok, ${b.rewrite.seconds}s` : 'failed'} |`);
  if (r.size) rows.push(`| image size | ${megabytes(r.size.original.bytes)}, ${r.size.original.layers} layers | ${megabytes(r.size.rewrite.bytes)}, ${r.size.rewrite.layers} layers (${r.size.ratio.toFixed(2)}×) |`);
  if (r.rebuild && 'touched' in r.rebuild) {
    const side = (s: typeof r.rebuild.original) => (s.ok ? `${s.seconds}s, ${s.executed} step${s.executed === 1 ? '' : 's'} run, ${s.cached} cached` : 'failed');
    rows.push(`| ${cell(`rebuild after editing ${code(r.rebuild.touched)}`)} | ${side(r.rebuild.original)} | ${side(r.rebuild.rewrite)} |`);
  } else if (r.rebuild) rows.push(`| rebuild | ${cell(text(`skipped: ${r.rebuild.skipped}`))} | |`);
  lines.push('| | before | after |', '| --- | --- | --- |', ...rows);
  const failures = r.problems.filter((p) => p.severity === 'fail');
  if (failures.length) lines.push('', ...failures.map((p) => `- ${text(`${p.check}: ${p.message}`)}`));
  return lines;
}

interface RepoGroup {
  root: string | null;
  files: { rel: string; report: FileReport }[];
}

function byRepository(reports: readonly FileReport[], repoRootOf: (absPath: string) => string): RepoGroup[] {
  const groups = new Map<string | null, RepoGroup>();
  for (const report of reports) {
    const root = report.absPath ? repoRootOf(report.absPath) : null;
    let group = groups.get(root);
    if (!group) groups.set(root, (group = { root, files: [] }));
    const rel = report.absPath && root ? path.relative(root, report.absPath).split(path.sep).join('/') : report.path;
    group.files.push({ rel, report });
  }
  const order = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  for (const g of groups.values()) g.files.sort((a, b) => order(a.rel, b.rel));
  return [...groups.values()].sort((a, b) => (a.root === null ? 1 : b.root === null ? -1 : order(a.root, b.root)));
}

/** The same reason (transform and message) in several files: one entry listing them. */
function declineGroups(files: RepoGroup['files']): { transform: string | null; message: string; files: { rel: string; line: number | null }[] }[] {
  const groups = new Map<string, { transform: string | null; message: string; files: { rel: string; line: number | null }[] }>();
  for (const { rel, report } of files) {
    for (const d of report.engine?.declines ?? []) {
      const key = `${d.transform ?? ''}\0${d.message}`;
      let group = groups.get(key);
      if (!group) groups.set(key, (group = { transform: d.transform, message: d.message, files: [] }));
      group.files.push({ rel, line: d.line });
    }
  }
  return [...groups.values()];
}
