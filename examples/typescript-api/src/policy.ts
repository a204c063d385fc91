import ms, { type StringValue } from 'ms';

export interface SessionPolicy {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  env: string;
}

/** A duration such as "30m" from the environment, in milliseconds. */
function duration(value: string | undefined, fallback: StringValue): number {
  return ms((value ?? fallback) as StringValue);
}

export function sessionPolicy(): SessionPolicy {
  return {
    idleTimeoutMs: duration(process.env.IDLE_TIMEOUT, '30m'),
    absoluteTimeoutMs: duration(process.env.ABSOLUTE_TIMEOUT, '12h'),
    env: process.env.NODE_ENV ?? 'development',
  };
}
