// A Dockerfile's text as the engine sees it: parsed once, with every fact an edit must preserve
// (BOM, line endings, final newline, escape character) recorded up front.
import { DockerfileParser, type Dockerfile } from 'dockerfile-ast';
import './ast-memo.js';

export interface Span {
  start: number;
  end: number;
}

export interface Position {
  line: number;
  character: number;
}

export type Eol = '\n' | '\r\n' | '\r';

const BOM = '\uFEFF';

export class Source {
  /** The text without its BOM: all offsets refer to this string. */
  readonly text: string;
  readonly bom: boolean;
  /** The line ending new lines are written with: the one the file mostly uses. */
  readonly eol: Eol;
  readonly finalNewline: boolean;
  readonly dockerfile: Dockerfile;
  readonly escapeChar: string;
  private readonly lineStarts: number[];

  private constructor(text: string, bom: boolean) {
    this.text = text;
    this.bom = bom;
    this.lineStarts = computeLineStarts(text);
    this.eol = dominantEol(text);
    this.finalNewline = /\r?\n$|\r$/.test(text);
    // dockerfile-ast counts a BOM as a character of line 0, so it is parsed without one.
    this.dockerfile = DockerfileParser.parse(text);
    this.escapeChar = this.dockerfile.getEscapeCharacter();
  }

  static fromText(raw: string): Source {
    return raw.startsWith(BOM) ? new Source(raw.slice(1), true) : new Source(raw, false);
  }

  /** The same file with other text: the BOM decision stays the original's. */
  withText(text: string): Source {
    return new Source(text, this.bom);
  }

  /** The file's content as it is written back. */
  toString(): string {
    return this.bom ? BOM + this.text : this.text;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Converts a parser position (line, UTF-16 column) to an offset into `text`. */
  offsetAt(pos: Position): number {
    if (pos.line >= this.lineStarts.length) return this.text.length;
    const lineStart = this.lineStarts[pos.line]!;
    const lineEnd = this.lineEndAt(pos.line);
    return Math.min(lineStart + pos.character, lineEnd);
  }

  positionAt(offset: number): Position {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.lineStarts[lo]! };
  }

  /** One-based line number of an offset, for messages. */
  lineNumberAt(offset: number): number {
    return this.positionAt(offset).line + 1;
  }

  span(range: { start: Position; end: Position }): Span {
    return { start: this.offsetAt(range.start), end: this.offsetAt(range.end) };
  }

  slice(span: Span): string {
    return this.text.slice(span.start, span.end);
  }

  lineStart(line: number): number {
    return this.lineStarts[Math.min(line, this.lineStarts.length - 1)]!;
  }

  /** Offset just past the last content character of a line, before its line break. */
  lineEndAt(line: number): number {
    const next = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1]! : this.text.length;
    let end = next;
    if (end > this.lineStarts[line]! && this.text[end - 1] === '\n') end--;
    if (end > this.lineStarts[line]! && this.text[end - 1] === '\r') end--;
    return end;
  }

  /** Offset of the start of the line after the one holding `offset` (or the end of the text). */
  nextLineStart(offset: number): number {
    const line = this.positionAt(offset).line;
    return line + 1 < this.lineStarts.length ? this.lineStarts[line + 1]! : this.text.length;
  }
}

// The same line breaks as the parser's TextDocument: \r\n, \n and a lone \r.
function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13 /* \r */) {
      if (text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    } else if (c === 10 /* \n */) {
      starts.push(i + 1);
    }
  }
  return starts;
}

// Lone carriage returns count too: the parser breaks lines at them, and a file written with only
// them (old Mac style) must not get a \n from an inserted line (the line-ending invariant fails).
function dominantEol(text: string): Eol {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  let cr = 0;
  for (let i = text.indexOf('\r'); i !== -1; i = text.indexOf('\r', i + 1)) cr++;
  const loneCr = cr - crlf;
  if (loneCr > crlf && loneCr > lf) return '\r';
  return crlf > lf ? '\r\n' : '\n';
}

/** Describes a file's line-ending style for the invariant check: which kinds of break it contains. */
export function eolKinds(text: string): { crlf: boolean; lf: boolean; cr: boolean } {
  return {
    crlf: /\r\n/.test(text),
    lf: /(^|[^\r])\n/.test(text),
    cr: /\r(?!\n)/.test(text),
  };
}
