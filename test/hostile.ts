// Hostile files beside a Dockerfile (test/hostile-inputs.test.ts): fixture apps copied to a
// temporary folder with one file replaced, and the built CLI run over them with its time and peak
// memory measured. Inputs are generated in memory in milliseconds, so even the 50 MB ones stay in
// `npm test`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CLI, FIXTURES, tempDir } from './helpers.js';

/**
 * Bounds for one CLI run, generous for a loaded 2-core CI machine: the slowest run here (a context
 * of 200,000 files) takes about 2 s and 230 MB on a quiet one, every other about 0.3 s and 100 MB.
 */
export const TIME_BOUND_MS = 20_000;
export const RSS_BOUND_MB = 512;

export interface Measured {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  /** Peak resident memory of the CLI process (its worker threads included), in MB. */
  rssMb: number;
}

// Loaded into the CLI with --require: writes the process's peak RSS where the test can read it.
const RSS_PROBE = `const fs = require('node:fs');
process.on('exit', () => fs.writeFileSync(process.env.STAGEOPT_RSS_FILE, String(process.resourceUsage().maxRSS)));
`;

/** Runs the built CLI (off a terminal: a dry run) and measures it. */
export function measuredCli(args: string[], cwd?: string): Measured {
  const dir = tempDir('stageopt-rss-');
  const probe = path.join(dir, 'probe.cjs');
  const rssFile = path.join(dir, 'rss');
  fs.writeFileSync(probe, RSS_PROBE);
  const start = performance.now();
  const result = spawnSync(process.execPath, ['--require', probe, CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, STAGEOPT_RSS_FILE: rssFile },
    // Past the bound, with room to spare: a hang ends as a failure, not a stuck suite.
    timeout: TIME_BOUND_MS * 2,
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - start;
  const rssKb = fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, 'utf8')) : NaN;
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr), ms, rssMb: rssKb / 1024 };
}

/**
 * What no run may show, whatever it was fed: a stack frame, a crash, an internal error, a
 * JavaScript error name, or a line long enough to be quoting a file (messages quote at most a token).
 */
export function unclearOutput(out: string): string | null {
  for (const line of out.split('\n')) {
    if (/^\s+at \S+.*:\d+:\d+\)?$|crashed|internal error|Maximum call stack|RangeError|TypeError|SyntaxError|\[object |\bundefined\b/.test(line)) return line.slice(0, 300);
    // Diff lines show the Dockerfile itself; every other line is a message.
    if (!/^[-+@ ]/.test(line) && line.length > 400) return `${line.slice(0, 120)}… (${line.length} characters)`;
  }
  return null;
}

/** A copy of a fixture app (__fixtures__/apps/<app>) under `parent/name`, with files replaced or added. */
export function appCopy(parent: string, name: string, app: string, files: Record<string, string | Buffer> = {}): string {
  const dir = path.join(parent, name);
  fs.cpSync(path.join(FIXTURES, 'apps', app), dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return dir;
}

/** `open` repeated n times, then `close` n times: 100,000 levels cost 200 KB and no time. */
export const nested = (n: number, open: string, inner: string, close: string): string => open.repeat(n) + inner + close.repeat(n);

/** A JSON object of about `mb` MB: one key holding a long string, beside the fields given. */
export function jsonOfSize(mb: number, fields: Record<string, unknown>): string {
  const head = JSON.stringify(fields).slice(0, -1);
  return `${head}${head.length > 1 ? ',' : ''}"padding":"${'x'.repeat(mb * 1024 * 1024)}"}`;
}

/** YAML "billion laughs": ten levels of nine aliases each, 9^10 strings if anything expanded them. */
export function aliasBomb(place: (bomb: string) => string): string {
  let anchors = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
  for (let i = 1; i < 10; i++) anchors += `a${i}: &a${i} [${Array(9).fill(`*a${i - 1}`).join(', ')}]\n`;
  return place(anchors);
}

/** Whether `mkfifo` exists (Linux, macOS): named pipes are made with it. */
export function makeFifo(file: string): boolean {
  fs.rmSync(file, { force: true });
  return spawnSync('mkfifo', [file]).status === 0;
}

/** The lines of a run's output that belong to one Dockerfile's folder (`name/Dockerfile: …`). */
export function linesOf(out: string, name: string): string[] {
  return out.split('\n').filter((line) => line.includes(`${name}${path.sep}Dockerfile`) || line.startsWith(`${name}/`));
}
