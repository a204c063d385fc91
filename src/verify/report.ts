// How a verification is shown: a table for people, and one JSON document for machines (its shape
// is documented in docs/verify.md and docs/verify-report.schema.json, which test/verify-cli.test.ts checks).
import { paint } from '../diff.js';
import type { Problem } from './problems.js';
import type { VerifyReport } from './verify.js';

export const JSON_VERSION = 1;

export function toJson(report: VerifyReport, tool: { version: string }): object {
  return { version: JSON_VERSION, tool: { name: 'stageopt', version: tool.version }, ...report };
}

export function formatTable(report: VerifyReport, color = false): string {
  const rows: [string, string, string, string][] = [['check', 'original', 'rewrite', 'result']];
  const b = report.builds;
  const build = (s: typeof b.original) => (s.ok ? `ok ${s.seconds}s` : s.timedOut ? `TIMED OUT after ${s.seconds}s` : `FAILED${s.failedStep ? ` at ${s.failedStep}` : ''}`);
  rows.push(['build', build(b.original), build(b.rewrite), b.original.ok && b.rewrite.ok ? 'ok' : 'failed']);
  if (report.config) rows.push(['config', '', '', verdict(report.problems, 'config', 'same')]);
  if (report.files) {
    const counts = countBy(report.files.missing.map((m) => m.class));
    const parts = Object.entries(counts).map(([k, n]) => `${n} ${k}`);
    rows.push(['files', `under ${report.files.workdir}`, parts.length ? `missing: ${parts.join(', ')}` : 'nothing missing', verdict(report.problems, 'files', 'ok')]);
  }
  if (report.smoke) {
    const s = report.smoke;
    const show = (o: typeof s.original) => (o.error !== undefined ? (s.kind === 'http' ? 'no answer' : 'not started') : o.status !== undefined ? `HTTP ${o.status}` : o.stillRunning ? 'running' : `exit ${o.exitCode}`);
    rows.push([`smoke`, show(s.original), show(s.rewrite), s.severity === 'ok' ? 'same' : s.severity === 'note' ? 'note' : 'DIFFERENT']);
  }
  if (report.size) {
    const z = report.size;
    rows.push(['size', `${megabytes(z.original.bytes)}, ${z.original.layers} layers`, `${megabytes(z.rewrite.bytes)}, ${z.rewrite.layers} layers`, `${z.ratio.toFixed(2)}x`]);
  }
  if (report.rebuild && 'touched' in report.rebuild) {
    const r = report.rebuild;
    const side = (s: typeof r.original) => (s.ok ? `${s.seconds}s, ${s.executed} run, ${s.cached} cached` : s.timedOut ? 'TIMED OUT' : 'FAILED');
    rows.push(['rebuild', side(r.original), side(r.rewrite), `after editing ${r.touched}`]);
  } else if (report.rebuild) rows.push(['rebuild', '', '', `skipped: ${report.rebuild.skipped}`]);

  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = [`stageopt verify: ${report.original} → ${report.rewrite}`, `context: ${report.context}`, ''];
  for (const [i, row] of rows.entries()) {
    const text = `  ${row.map((c, j) => (j < 3 ? c.padEnd(widths[j]!) : c)).join('  ')}`.trimEnd();
    lines.push(i === 0 ? paint(text, 'bold', color) : text);
  }
  for (const [role, s] of [['original', b.original], ['rewrite', b.rewrite]] as const) {
    if (s.ok || !s.logTail?.length) continue;
    lines.push('', `The ${role}'s build failed${s.failedStep ? ` at ${s.failedStep}` : ''}; last lines:`, ...s.logTail.map((l) => `    ${l}`));
  }
  if (report.problems.length) {
    lines.push('');
    for (const p of report.problems) {
      const label = p.severity === 'fail' ? paint('FAIL', 'red', color) : p.severity === 'warn' ? paint('warn', 'yellow', color) : 'note';
      lines.push(`  ${label} ${p.check}: ${p.message}`);
    }
  }
  const failures = report.problems.filter((p) => p.severity === 'fail').length;
  lines.push('', report.equivalent ? paint('Result: equivalent', 'green', color) : paint(`Result: NOT equivalent (${failures} failure${failures === 1 ? '' : 's'})`, 'red', color));
  return lines.join('\n') + '\n';
}

function verdict(problems: readonly Problem[], check: Problem['check'], good: string): string {
  const mine = problems.filter((p) => p.check === check);
  const fails = mine.filter((p) => p.severity === 'fail').length;
  const warns = mine.filter((p) => p.severity === 'warn').length;
  const notes = mine.filter((p) => p.severity === 'note').length;
  if (fails) return `DIFFERENT (${fails})`;
  const extra = [warns && `${warns} warning${warns === 1 ? '' : 's'}`, notes && `${notes} note${notes === 1 ? '' : 's'}`].filter(Boolean);
  return extra.length ? `${good} (${extra.join(', ')})` : good;
}

function countBy(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(bytes < 10_000_000 ? 1 : 0)} MB`;
}
