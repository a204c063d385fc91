// BuildKit's `--progress=plain` output, read into steps. Every vertex prints "#N <name>" once and
// later "#N CACHED", "#N DONE 1.2s" or "#N ERROR: ..."; its own output lines are "#N 0.512 text".
// Only Dockerfile steps ("[stage 2/5] RUN ...") are counted; FROM steps and BuildKit's internal
// work (loading the context, exporting the image) are not steps a user wrote.

export type StepStatus = 'cached' | 'done' | 'error' | 'unfinished';

export interface BuildStep {
  id: number;
  /** "RUN npm ci", without the "[stage 2/5]" prefix. */
  name: string;
  /** The stage label BuildKit printed ("build", "stage-1"), or "" for a single-stage file. */
  stage: string;
  status: StepStatus;
  seconds: number | null;
  output: string[];
}

export interface StepCounts {
  executed: number;
  cached: number;
}

const TITLE = /^#(\d+) \[(?:(.+?) )?(\d+)\/(\d+)\] (.*)$/;
const LINE = /^#(\d+) (.*)$/;

/** One line of the log: a vertex's title, its end, or a line of its output. */
export type LogLine =
  | { kind: 'title'; id: number; text: string; stage: string; name: string }
  | { kind: 'cached' | 'done' | 'error'; id: number; text: string; seconds: number | null }
  | { kind: 'output'; id: number; text: string };

/**
 * Reads one line. A "#N [stage i/n] NAME" line is a Dockerfile step's title. BuildKit's own work
 * ("#1 [internal] load build definition") has a title of no fixed shape: it is the first line
 * printed for its number, which only a reader that tracks the numbers knows, so it comes back as
 * output.
 */
export function readLogLine(raw: string): LogLine | null {
  const title = TITLE.exec(raw);
  if (title) return { kind: 'title', id: Number(title[1]), text: raw.slice(title[1]!.length + 2), stage: title[2] ?? '', name: title[5]! };
  const line = LINE.exec(raw);
  if (!line) return null;
  const id = Number(line[1]);
  const rest = line[2]!;
  if (rest === 'CACHED') return { kind: 'cached', id, text: rest, seconds: null };
  if (/^DONE \d/.test(rest)) return { kind: 'done', id, text: rest, seconds: Number(rest.slice(5).replace(/s$/, '')) };
  if (rest.startsWith('ERROR')) return { kind: 'error', id, text: rest, seconds: null };
  return { kind: 'output', id, text: rest };
}

export function parseBuildLog(log: string): BuildStep[] {
  const steps = new Map<number, BuildStep>();
  const errors = new Map<number, string>();
  for (const raw of log.split(/\r?\n/)) {
    const line = readLogLine(raw);
    if (!line) continue;
    const step = steps.get(line.id);
    if (line.kind === 'title') {
      if (!step) steps.set(line.id, { id: line.id, name: line.name, stage: line.stage, status: 'unfinished', seconds: null, output: [] });
    } else if (line.kind === 'cached') {
      if (step) step.status = 'cached';
    } else if (line.kind === 'done') {
      if (step && step.status !== 'cached') Object.assign(step, { status: 'done', seconds: line.seconds });
    } else if (line.kind === 'error') {
      if (step) step.status = 'error';
      errors.set(line.id, line.text);
    } else if (step && !/^sha256:[0-9a-f]{64}$/.test(line.text)) {
      // Output lines carry a timestamp ("0.512 added 3 packages"); progress lines ("sha256:..., resolve") do not matter.
      step.output.push(line.text.replace(/^\d+\.\d+ /, ''));
    }
  }
  for (const [id, message] of errors) steps.get(id)?.output.push(message);
  return [...steps.values()].filter((s) => !/^FROM /i.test(s.name)).sort((a, b) => a.id - b.id);
}

/** The steps that ran (to the end or to an error) rather than coming from the cache. */
export function executedSteps(steps: readonly BuildStep[]): BuildStep[] {
  return steps.filter((s) => s.status === 'done' || s.status === 'error');
}

export function countSteps(steps: readonly BuildStep[]): StepCounts {
  return {
    executed: executedSteps(steps).length,
    cached: steps.filter((s) => s.status === 'cached').length,
  };
}

export function failedStep(steps: readonly BuildStep[]): BuildStep | null {
  return steps.find((s) => s.status === 'error') ?? null;
}

/** The last lines of a log, for a build that failed before any step (a Dockerfile parse error). */
export function tail(text: string, lines = 20): string[] {
  return text.replace(/\s+$/, '').split(/\r?\n/).slice(-lines);
}
