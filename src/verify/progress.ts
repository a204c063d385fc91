// The one line verify keeps redrawn on a terminal while it works: what it is doing (which image is
// building), the build step BuildKit is at, and the time so far —
//   stageopt verify: building the rewrite · [build 3/6] RUN npm ci 4s · 27s
// BuildKit's plain progress condensed to its latest line. It is drawn at most ten times a second,
// cut to the terminal's width (a wrapped line could not be redrawn in place) and cleared when the
// work ends or is interrupted. Callers create it only for a terminal (terminalProgress).
import { StringDecoder } from 'node:string_decoder';
import { readLogLine } from './build-log.js';

/** What verify reports as it goes; a run without a terminal gets none. */
export interface VerifyProgress {
  /** New work begins ("building the rewrite"); a build's steps are followed from scratch. */
  phase(label: string): void;
  /** A build's plain progress output, in chunks as the client writes them. */
  buildOutput(chunk: Buffer | string): void;
  /** The work is over (or interrupted): clear the line and draw no more. */
  stop(): void;
}

export interface ProgressStream {
  write(text: string): unknown;
  columns?: number;
}

/** Time and the redraw timer, apart so that tests can drive both. */
export interface Clock {
  now(): number;
  every(ms: number, tick: () => void): { stop(): void };
}

export const SYSTEM_CLOCK: Clock = {
  now: () => performance.now(),
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    timer.unref(); // never what keeps the process alive
    return { stop: () => clearInterval(timer) };
  },
};

export const REDRAW_MS = 100;
const CLEAR = '\r\x1b[K';

interface Vertex {
  title: string;
  startedAt: number;
  end: 'done' | 'cached' | 'error' | null;
}

export class ProgressLine implements VerifyProgress {
  private readonly started: number;
  private label = '';
  private vertices = new Map<number, Vertex>();
  /** The vertex that printed last: what BuildKit is busy with. */
  private current: number | null = null;
  private pending = '';
  private decoder = new StringDecoder('utf8');
  private shown = '';
  private stopped = false;
  private readonly ticker: { stop(): void };

  constructor(
    private readonly stream: ProgressStream,
    private readonly prefix: string,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {
    this.started = clock.now();
    this.ticker = clock.every(REDRAW_MS, () => this.draw());
  }

  phase(label: string): void {
    this.label = label;
    this.vertices = new Map();
    this.current = null;
    this.pending = '';
    this.decoder = new StringDecoder('utf8');
  }

  buildOutput(chunk: Buffer | string): void {
    const lines = (this.pending + (typeof chunk === 'string' ? chunk : this.decoder.write(chunk))).split(/\r?\n/);
    this.pending = lines.pop()!;
    for (const raw of lines) this.read(raw);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.ticker.stop();
    if (this.shown) this.stream.write(CLEAR);
    this.shown = '';
  }

  /** The line as it would be drawn now, without the redraw codes. */
  frame(): string {
    const now = this.clock.now();
    const parts = [this.label || 'starting'];
    const step = this.current === null ? null : this.vertices.get(this.current);
    if (step) parts.push(step.end ? `${step.title} (${step.end})` : `${step.title} ${duration(now - step.startedAt)}`);
    parts.push(duration(now - this.started));
    const text = `${this.prefix}${parts.join(' · ')}`;
    // One column short of the width: writing the last column wraps on some terminals.
    const width = Math.max(20, (this.stream.columns || 80) - 1);
    const chars = [...text];
    return chars.length <= width ? text : `${chars.slice(0, width - 1).join('')}…`;
  }

  private read(raw: string): void {
    const line = readLogLine(raw);
    if (!line) return;
    const known = this.vertices.get(line.id);
    if (line.kind === 'title' || (line.kind === 'output' && !known)) {
      // BuildKit prints a title again when it comes back to a vertex after another one's output.
      if (!known) this.vertices.set(line.id, { title: line.text, startedAt: this.clock.now(), end: null });
      this.current = line.id;
    } else if (line.kind === 'cached' || line.kind === 'done' || line.kind === 'error') {
      if (!known) return;
      known.end ??= line.kind;
      // Another step may still run (stages build in parallel): show the one that started last.
      const running = [...this.vertices].filter(([, v]) => !v.end).pop();
      this.current = running ? running[0] : line.id;
    } else {
      this.current = line.id;
    }
  }

  private draw(): void {
    if (this.stopped) return;
    const frame = this.frame();
    if (frame === this.shown) return;
    this.stream.write(CLEAR + frame);
    this.shown = frame;
  }
}

/** "4s", "1m05s". */
export function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** A progress line on stderr when it is a terminal, else none. */
export function terminalProgress(prefix: string, stream: NodeJS.WriteStream = process.stderr): ProgressLine | null {
  return stream.isTTY ? new ProgressLine(stream, prefix) : null;
}
