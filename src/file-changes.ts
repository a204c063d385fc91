// A file's whole change: the Dockerfile's new text and the files its fixes create (a
// `.dockerignore` in the build context). One place says how that change is shown (git's new-file
// diff), where the new files go and how the change is written, so the dry run, the review, --write
// and the JSON report agree.
import path from 'node:path';
import { unifiedDiff } from './diff.js';
import type { EngineResult } from './engine.js';
import { repositoryRootOf } from './repo-root.js';
import { displayPath } from './runner.js';
import { createAtomically, writeAtomically, type WriteResult } from './write.js';

export interface NewFile {
  /** Absolute path. */
  abs: string;
  /** As shown to the user (relative to the working directory where that is shorter). */
  shown: string;
  content: string;
}

/** The files an engine result creates, placed in its build context. */
export function newFiles(engine: Pick<EngineResult, 'created' | 'contextRoot'>): NewFile[] {
  if (engine.contextRoot === null) return [];
  const root = engine.contextRoot;
  return engine.created.map((f) => {
    const abs = path.join(root, ...f.path.split('/'));
    return { abs, shown: displayPath(abs), content: f.content };
  });
}

/** The diff of the Dockerfile (when its text changes) followed by a new-file diff per created file. */
export function changeDiff(shownPath: string, original: string, engine: Pick<EngineResult, 'output' | 'created' | 'contextRoot'>): string {
  const parts = engine.output === original ? [] : [unifiedDiff(shownPath, original, engine.output)];
  for (const file of newFiles(engine)) parts.push(newFileDiff(file.shown, file.content));
  return parts.join('');
}

/** A file created from nothing, as git shows it: `--- /dev/null`, `+++ b/<path>`, every line added. */
export function newFileDiff(shownPath: string, content: string): string {
  const name = shownPath.split('\\').join('/').replace(/^\/+/, '');
  const lines = content.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const body = lines.map((l) => (l.endsWith('\n') ? `+${l}` : `+${l}\n\\ No newline at end of file\n`)).join('');
  return `--- /dev/null\n+++ b/${name}\n@@ -0,0 +1,${lines.length} @@\n${body}`;
}

/**
 * Writes a change: the Dockerfile over its old text (when the text changes), then each new file,
 * created only where nothing exists and only inside the Dockerfile's repository. Stops at the
 * first refusal; what was written before it stays (each part is whole on its own: the new files
 * never depend on the Dockerfile's edits, nor the edits on them).
 */
export function writeChange(absPath: string, original: string, bytes: Buffer, engine: Pick<EngineResult, 'output' | 'created' | 'contextRoot'>): WriteResult {
  const repo = repositoryRootOf(absPath);
  if (engine.output !== original) {
    const written = writeAtomically(absPath, engine.output, bytes, repo);
    if (!written.ok) return written;
  }
  for (const file of newFiles(engine)) {
    const created = createAtomically(file.abs, file.content, repo);
    if (!created.ok) return { ok: false, reason: `${file.shown}: ${created.reason}` };
  }
  return { ok: true };
}
