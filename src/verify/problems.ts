// The verdict vocabulary every check reports in. A "fail" makes the rewrite not equivalent; a
// "warn" is something a person should look at; a "note" is an expected, harmless difference.
export type Severity = 'fail' | 'warn' | 'note';

export type CheckName = 'build' | 'config' | 'files' | 'smoke' | 'size' | 'rebuild';

export interface Problem {
  check: CheckName;
  severity: Severity;
  message: string;
}

/** Raised when verification cannot run at all (no docker, no daemon, no base image): exit 2. */
export class VerifyUnavailable extends Error {}
