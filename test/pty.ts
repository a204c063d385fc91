// The built CLI on a pseudo-terminal (node-pty), for what shows only where a person watches: the
// progress line of verify. Everything the terminal received is kept raw, redraw codes included.
import * as pty from 'node-pty';
import { CLI } from './helpers.js';

export interface TerminalRun {
  raw: string;
  exitCode: number;
}

/**
 * Runs `stageopt ARGS` on a terminal COLUMNS wide until it exits; when `interrupt` matches the output
 * so far, types Ctrl-C once. Rejects after timeoutMs with the output so far.
 */
export function onTerminal(args: string[], options: { env?: Record<string, string>; columns?: number; interrupt?: RegExp; timeoutMs: number }): Promise<TerminalRun> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'FORCE_COLOR') env[k] = v;
  Object.assign(env, { NO_COLOR: '1', TERM: 'xterm' }, options.env);
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
