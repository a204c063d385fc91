// Text edits on offsets of the original text, and the one place they are applied.
import type { Span } from './source.js';

export interface TextEdit extends Span {
  text: string;
}

export function replaceSpan(span: Span, text: string): TextEdit {
  return { start: span.start, end: span.end, text };
}

export function insertAt(offset: number, text: string): TextEdit {
  return { start: offset, end: offset, text };
}

export function sortEdits(edits: readonly TextEdit[]): TextEdit[] {
  return [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
}

/**
 * Two edits conflict when their ranges meet, touching ends included: applying both would make the
 * result depend on the order (two insertions at one point) or edit text the other one replaced.
 * Being conservative costs nothing: a fix that waits runs again in the next pass.
 */
export function editsConflict(a: Span, b: Span): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** Throws when a single fix's own edits overlap: that is a bug in the transform, not a conflict. */
export function assertDisjoint(edits: readonly TextEdit[], who: string): TextEdit[] {
  const sorted = sortEdits(edits);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.start < prev.end || (cur.start === prev.start && cur.start === cur.end && prev.start === prev.end)) {
      throw new Error(`${who}: a fix has overlapping edits at offsets ${prev.start}-${prev.end} and ${cur.start}-${cur.end}`);
    }
  }
  for (const e of sorted) {
    if (!(e.start >= 0 && e.end >= e.start)) throw new Error(`${who}: a fix has an invalid edit range ${e.start}-${e.end}`);
  }
  return sorted;
}

/** Applies sorted, disjoint edits; everything outside them is copied byte for byte. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = sortEdits(edits);
  let out = '';
  let pos = 0;
  for (const e of sorted) {
    if (e.start < pos || e.end > text.length) throw new Error(`edit ${e.start}-${e.end} overlaps or is out of range`);
    out += text.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + text.slice(pos);
}
