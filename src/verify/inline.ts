// `--verify` with --dry-run or in the review: verify each changed file right under its diff, with
// default settings (the image's CMD as smoke test, a source file found in the context to edit).
import { contextFolder, type FileReport, type RunSettings } from '../runner.js';
import { DEFAULT_BUILD_TIMEOUT_SECONDS, DEFAULT_ISOLATION, type BuildNetwork } from './isolation.js';
import { VerifyUnavailable } from './problems.js';
import { terminalProgress } from './progress.js';
import { formatTable } from './report.js';
import { verify, type VerifyReport } from './verify.js';

export interface InlineResult {
  /** The table to print, or the reason verification could not run. */
  text: string;
  report: VerifyReport | null;
  /** False when not equivalent; null when verification could not run. */
  equivalent: boolean | null;
}

export async function verifyChange(report: FileReport, settings: RunSettings, options: { network?: string; buildNetwork?: BuildNetwork; color: boolean; progress?: boolean }): Promise<InlineResult> {
  if (!report.absPath || !report.engine) return { text: `${report.path}: verify needs a file on disk\n`, report: null, equivalent: null };
  try {
    const result = await verify({
      original: { path: report.absPath, text: report.original },
      rewrite: { path: null, text: report.engine.output, creates: report.engine.created },
      // A changed file always has its config (the engine ran with it).
      context: contextFolder(report.absPath, report.config!, settings),
      smoke: { kind: 'cmd' },
      env: [],
      touch: null,
      rebuild: true,
      isolation: { ...DEFAULT_ISOLATION, network: options.network ?? DEFAULT_ISOLATION.network, buildNetwork: options.buildNetwork ?? DEFAULT_ISOLATION.buildNetwork },
      timeoutMs: 30_000,
      buildTimeoutMs: DEFAULT_BUILD_TIMEOUT_SECONDS * 1000,
      // On a terminal only; the caller says no for --quiet and the machine formats.
      progress: (options.progress && terminalProgress(`stageopt: verifying ${report.path}: `)) || undefined,
    });
    return { text: formatTable(result, options.color), report: result, equivalent: result.equivalent };
  } catch (e) {
    if (e instanceof VerifyUnavailable) return { text: `${report.path}: cannot verify: ${e.message}\n`, report: null, equivalent: null };
    throw e;
  }
}
