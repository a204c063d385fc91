// The built CLI on a pseudo-terminal (node-pty), for what shows only where a person watches: the
// progress line of verify (onTerminal: run to the end, keep everything raw, redraw codes included)
// and the interactive review (Session: wait for text to appear, type keys, as a person does).
import * as pty from 'node-pty';
import { CLI } from './helpers.js';

const TIMEOUT_MS = 15_000;

export const KEY = { enter: '\r', down: '\x1b[B', space: ' ', ctrlC: '\x03' } as const;

/** The environment of a terminal run: this one's, with colours off and a plain xterm. */
function terminalEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'FORCE_COLOR') env[k] = v;
  return Object.assign(env, { NO_COLOR: '1', TERM: 'xterm' }, extra);
}

export interface TerminalRun {
  raw: string;
  exitCode: number;
}

/**
 * Runs `stageopt ARGS` on a terminal COLUMNS wide until it exits; when `interrupt` matches the output
 * so far, types Ctrl-C once. Rejects after timeoutMs with the output so far.
 */
export function onTerminal(args: string[], options: { env?: Record<string, string>; columns?: number; interrupt?: RegExp; timeoutMs: number }): Promise<TerminalRun> {
  const env = terminalEnv(options.env);
  const term = pty.spawn(process.execPath, [CLI, ...args], { name: 'xterm', cols: options.columns ?? 200, rows: 50, env });
  let raw = '';
  let interrupted = false;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      term.kill();
      reject(new Error(`no exit within ${options.timeoutMs} ms; the terminal showed:\n${JSON.stringify(raw)}`));
    }, options.timeoutMs);
    term.onData((data) => {
      raw += data;
      if (options.interrupt && !interrupted && options.interrupt.test(raw)) {
        interrupted = true;
        term.write('\x03');
      }
    });
    term.onExit((e) => {
      clearTimeout(timer);
      resolve({ raw, exitCode: e.exitCode });
    });
  });
}

/** The frames of the progress line: what follows each "carriage return, clear line". */
export function progressFrames(raw: string): string[] {
  return raw
    .split('\r\x1b[K')
    .slice(1)
    .map((chunk) => chunk.split(/\r?\n|\r/)[0]!)
    .filter(Boolean);
}

// Terminal control sequences (colours, cursor moves, line erases) and carriage returns removed,
// so assertions read the text a person would see.
export function plain(text: string): string {
  return text
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, '')
    .replace(/\x1b[@-Z\\-_]/g, '')
    .replace(/\r/g, '');
}

interface Exit {
  exitCode: number;
  signal?: number;
}

export class Session {
  readonly term: pty.IPty;
  /** Everything the terminal has shown so far, raw. */
  raw = '';
  /** Where in `raw` the next waitFor starts looking: output already matched is not matched again. */
  private cursor = 0;
  private exit: Exit | null = null;
  private readonly listeners = new Set<() => void>();
  readonly exited: Promise<Exit>;

  constructor(cwd: string, args: string[] = [], only = 'name-stages', extraEnv: Record<string, string> = {}) {
    const env = terminalEnv(extraEnv);
    // Only name-stages runs, so the fixes each file gets (and so the prompts) stay exactly those the
    // tests expect while other transforms are added. Wide enough that the prompt library never wraps.
    this.term = pty.spawn(process.execPath, [CLI, '--no-color', '--only', only, ...args], { name: 'xterm', cols: 200, rows: 50, cwd, env });
    this.term.onData((data) => {
      this.raw += data;
      for (const l of this.listeners) l();
    });
    this.exited = new Promise((resolve) => {
      this.term.onExit((e) => {
        this.exit = e;
        for (const l of this.listeners) l();
        resolve(e);
      });
    });
  }

  /** All output so far as plain text. */
  get text(): string {
    return plain(this.raw);
  }

  /**
   * Resolves when `re` matches the plain text of the output not yet consumed; returns the text
   * before the match. Everything shown up to now is then consumed. Rejects, with the output so
   * far, on timeout or when the process ends first.
   */
  waitFor(re: RegExp, timeoutMs = TIMEOUT_MS): Promise<{ before: string; match: RegExpMatchArray }> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const fresh = plain(this.raw.slice(this.cursor));
        const match = fresh.match(re);
        if (match) {
          done();
          this.cursor = this.raw.length;
          resolve({ before: fresh.slice(0, match.index), match });
        } else if (this.exit) {
          done();
          reject(new Error(`process exited (${JSON.stringify(this.exit)}) before ${re} appeared; output:\n${this.text}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${re}; output:\n${this.text}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Waits for the process to end; a short pause after lets the last output drain. */
  async waitForExit(timeoutMs = TIMEOUT_MS): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`process did not exit within ${timeoutMs} ms; output:\n${this.text}`)), timeoutMs);
    });
    try {
      const exit = await Promise.race([this.exited, timeout]);
      await new Promise((r) => setTimeout(r, 100));
      return exit;
    } finally {
      clearTimeout(timer);
    }
  }

  write(keys: string): void {
    this.term.write(keys);
  }

  kill(): void {
    if (this.exit) return;
    try {
      this.term.kill();
    } catch {
      // already gone
    }
  }
}

