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

export function parseBuildLog(log: string): BuildStep[] {
  const steps = new Map<number, BuildStep>();
  const errors = new Map<number, string>();
  for (const raw of log.split(/\r?\n/)) {
    const title = TITLE.exec(raw);
    if (title) {
      const id = Number(title[1]);
      if (!steps.has(id)) steps.set(id, { id, name: title[5]!, stage: title[2] ?? '', status: 'unfinished', seconds: null, output: [] });
      continue;
    }
    const line = LINE.exec(raw);
    if (!line) continue;
    const id = Number(line[1]);
    const rest = line[2]!;
    const step = steps.get(id);
    if (rest === 'CACHED') {
      if (step) step.status = 'cached';
    } else if (/^DONE \d/.test(rest)) {
      if (step && step.status !== 'cached') Object.assign(step, { status: 'done', seconds: Number(rest.slice(5).replace(/s$/, '')) });
    } else if (rest.startsWith('ERROR')) {
      if (step) step.status = 'error';
      errors.set(id, rest);
    } else if (step && !/^sha256:[0-9a-f]{64}$/.test(rest)) {
      // Output lines carry a timestamp ("0.512 added 3 packages"); progress lines ("sha256:..., resolve") do not matter.
      step.output.push(rest.replace(/^\d+\.\d+ /, ''));
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
