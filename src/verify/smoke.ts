// Run both images and compare what they do: the image's own CMD (or a given command) must end with
// the same exit code and print the same output; an HTTP probe must get the same status and body.
// The containers run one after the other (with host networking they would share a port), bounded
// as isolation.ts says (no network unless one is named, limited memory and processes), and are
// removed whatever happens.
import type { Docker } from './docker.js';
import type { Resources } from './cleanup.js';
import { runFlags, type Isolation } from './isolation.js';
import type { Severity } from './problems.js';

export type SmokeSpec = { kind: 'cmd' } | { kind: 'command'; argv: string[] } | { kind: 'http'; port: number; path: string };

export interface SmokeOutcome {
  exitCode?: number | null;
  stdout?: string;
  stderr?: string;
  /** True when the command was still running at the timeout (a server started by its CMD). */
  stillRunning?: boolean;
  status?: number;
  body?: string;
  /** Why no answer came (the container exited, nothing listened before the timeout), or why the container did not start. */
  error?: string;
}

export interface SmokeReport {
  kind: SmokeSpec['kind'];
  description: string;
  original: SmokeOutcome;
  rewrite: SmokeOutcome;
  severity: Severity | 'ok';
  message: string;
}

export interface SmokeSettings {
  isolation: Isolation;
  timeoutMs: number;
  env: readonly string[];
}

export async function smoke(docker: Docker, resources: Resources, images: { original: string; rewrite: string }, spec: SmokeSpec, settings: SmokeSettings): Promise<SmokeReport> {
  const once = (tag: string, role: string) => (spec.kind === 'http' ? probeHttp(docker, resources, tag, role, spec, settings) : runCommand(docker, resources, tag, role, spec.kind === 'command' ? spec.argv : [], settings));
  const original = await once(images.original, 'original');
  const rewrite = await once(images.rewrite, 'rewrite');
  return { kind: spec.kind, description: describe(spec), original, rewrite, ...compareOutcomes(spec, original, rewrite) };
}

export function describe(spec: SmokeSpec): string {
  if (spec.kind === 'cmd') return "the image's CMD";
  if (spec.kind === 'command') return `command: ${spec.argv.join(' ')}`;
  return `GET http://127.0.0.1:${spec.port}${spec.path}`;
}

export function compareOutcomes(spec: SmokeSpec, a: SmokeOutcome, b: SmokeOutcome): { severity: Severity | 'ok'; message: string } {
  if (spec.kind === 'http') {
    if (a.error !== undefined) return { severity: 'fail', message: `the original gave no answer (${a.error}), so the probe proves nothing` };
    if (b.error !== undefined) return { severity: 'fail', message: `the rewrite gave no answer: ${b.error}` };
    if (a.status !== b.status) return { severity: 'fail', message: `HTTP status ${a.status} → ${b.status}` };
    if (a.body !== b.body) return { severity: 'fail', message: `same status ${a.status}, different body: ${clip(a.body)} → ${clip(b.body)}` };
    return { severity: 'ok', message: `same answer: HTTP ${a.status}, ${a.body!.length} bytes` };
  }
  // docker's own failure (a limit the engine refuses, an image it cannot run) is the same on both
  // sides and would otherwise pass as "same exit code 125".
  if (a.error !== undefined) return { severity: 'fail', message: `the original's container did not start (${a.error}), so the smoke run proves nothing` };
  if (b.error !== undefined) return { severity: 'fail', message: `the rewrite's container did not start: ${b.error}` };
  if (a.stillRunning && b.stillRunning) return { severity: 'note', message: 'both still running at the timeout (a server?): use --http PORT[/PATH] to probe it' };
  if (a.stillRunning !== b.stillRunning) return { severity: 'fail', message: a.stillRunning ? `the rewrite exited (code ${b.exitCode}) while the original kept running: ${clip(b.stderr || b.stdout)}` : 'the rewrite kept running while the original exited' };
  // 137 is SIGKILL: most often the kernel's, at the --memory limit.
  const killed = a.exitCode === 137 || b.exitCode === 137 ? ' (137: killed, e.g. at the --memory limit)' : '';
  if (a.exitCode !== b.exitCode) return { severity: 'fail', message: `exit code ${a.exitCode} → ${b.exitCode}${killed}${b.stderr ? `: ${clip(b.stderr)}` : ''}` };
  if (a.stdout !== b.stdout || a.stderr !== b.stderr) return { severity: 'fail', message: `same exit code ${a.exitCode}, different output: ${clip(`${a.stdout}${a.stderr}`)} → ${clip(`${b.stdout}${b.stderr}`)}` };
  return { severity: 'ok', message: `same exit code ${a.exitCode} and output (${(a.stdout! + a.stderr!).length} bytes)` };
}

async function runCommand(docker: Docker, resources: Resources, tag: string, role: string, argv: string[], settings: SmokeSettings): Promise<SmokeOutcome> {
  const name = resources.containerName(`${role}-smoke`);
  try {
    const r = await docker.run(['run', ...resources.containerFlags(name), ...runFlags(settings.isolation), ...envFlags(settings), tag, ...argv], { timeoutMs: settings.timeoutMs });
    if (r.timedOut) return { stillRunning: true, stdout: r.stdout, stderr: r.stderr };
    if (r.code === 125 && r.stderr.startsWith('docker: ')) return { error: `docker run failed: ${clip(r.stderr)}` };
    return { exitCode: r.code, stdout: r.stdout, stderr: r.stderr };
  } finally {
    await resources.removeContainer(name);
  }
}

async function probeHttp(docker: Docker, resources: Resources, tag: string, role: string, spec: { port: number; path: string }, settings: SmokeSettings): Promise<SmokeOutcome> {
  const name = resources.containerName(`${role}-http`);
  // On the host network the server's own port is reachable; elsewhere publish it on a free loopback
  // port (--http needs a network: command.ts refuses it with none).
  const host = settings.isolation.network === 'host';
  const publish = host ? [] : ['-p', `127.0.0.1::${spec.port}`];
  try {
    const started = await docker.run(['run', '-d', ...resources.containerFlags(name), ...runFlags(settings.isolation), ...publish, ...envFlags(settings), tag], { timeoutMs: 60_000 });
    if (started.code !== 0) return { error: `docker run failed: ${started.stderr.trim()}` };
    let port = spec.port;
    if (!host) {
      const mapped = await docker.run(['port', name, `${spec.port}/tcp`], { timeoutMs: 30_000 });
      const m = /:(\d+)\s*$/m.exec(mapped.stdout);
      if (!m) return { error: `no published port for ${spec.port}: ${mapped.stderr.trim()}` };
      port = Number(m[1]);
    }
    const deadline = Date.now() + settings.timeoutMs;
    let lastError = 'no attempt';
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}${spec.path}`, { signal: AbortSignal.timeout(5000) });
        return { status: res.status, body: await res.text() };
      } catch (e) {
        lastError = (e as Error & { cause?: Error }).cause?.message ?? (e as Error).message;
      }
      const state = await docker.run(['inspect', '-f', '{{.State.Running}} {{.State.ExitCode}}', name], { timeoutMs: 30_000 });
      if (state.stdout.startsWith('false')) {
        const logs = await docker.run(['logs', '--tail', '20', name], { timeoutMs: 30_000 });
        return { error: `the container exited (code ${state.stdout.split(' ')[1]?.trim()}) before answering: ${clip(logs.stdout + logs.stderr)}` };
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    return { error: `nothing answered within ${Math.round(settings.timeoutMs / 1000)}s (${lastError})` };
  } finally {
    await resources.removeContainer(name);
  }
}

function envFlags(settings: SmokeSettings): string[] {
  return settings.env.flatMap((e) => ['-e', e]);
}

function clip(text: string | undefined, max = 200): string {
  const t = (text ?? '').trim().replace(/\s+/g, ' ');
  return JSON.stringify(t.length > max ? `${t.slice(0, max)}…` : t);
}

/** "3000/health" → port 3000, path /health; "8080" → path /. */
export function parseHttpSpec(value: string): { port: number; path: string } | null {
  const m = /^(\d{1,5})(\/.*)?$/.exec(value.trim());
  if (!m || Number(m[1]) < 1 || Number(m[1]) > 65535) return null;
  return { port: Number(m[1]), path: m[2] ?? '/' };
}

/** Splits a --smoke command into words; single and double quotes group, as in a shell. */
export function splitCommand(command: string): string[] | null {
  const words: string[] = [];
  let word: string | null = null;
  let quote: string | null = null;
  for (const ch of command) {
    if (quote) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (/\s/.test(ch)) {
      if (word !== null) words.push(word);
      word = null;
    } else word = (word ?? '') + ch;
  }
  if (quote) return null;
  if (word !== null) words.push(word);
  return words.length ? words : null;
}
