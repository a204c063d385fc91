// A small schema for transform options: enough to give defaults, reject unknown keys and wrong
// types with a message that names the key and what was expected, and document each option.

export type OptionSpec =
  | { type: 'boolean'; default: boolean; description: string }
  | { type: 'number'; default: number; description: string; min?: number; max?: number }
  | { type: 'string'; default: string; description: string; enum?: readonly string[]; pattern?: RegExp }
  | { type: 'string[]'; default: readonly string[]; description: string; pattern?: RegExp }
  | { type: 'record'; default: Readonly<Record<string, string>>; description: string; pattern?: RegExp };

export type OptionsSchema<O> = { [K in keyof O]: OptionSpec };

export class OptionError extends Error {
  constructor(
    readonly key: string,
    readonly expected: string,
    readonly got: unknown,
  ) {
    super(`${key}: expected ${expected}, got ${describe(got)}`);
  }
}

/** Longest string quoted whole in a message; a config value may be a 30 MB string. */
const MAX_QUOTED = 40;

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    if (value.length <= MAX_QUOTED) return JSON.stringify(value);
    return `${JSON.stringify(value.slice(0, MAX_QUOTED)).slice(0, -1)}…" (${value.length.toLocaleString('en-US')} characters)`;
  }
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

/** Fills defaults and checks every given value; `prefix` names where the options came from in errors. */
export function resolveOptions<O>(schema: OptionsSchema<O>, given: unknown, prefix: string): O {
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    throw new OptionError(prefix, 'an object', given);
  }
  const input = (given ?? {}) as Record<string, unknown>;
  const known = Object.keys(schema);
  for (const key of Object.keys(input)) {
    if (!known.includes(key)) {
      throw new OptionError(`${prefix}.${key}`, known.length ? `one of the options ${known.join(', ')}` : 'no options', input[key]);
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of known) {
    const spec = (schema as Record<string, OptionSpec>)[key]!;
    const value = input[key];
    out[key] = value === undefined ? spec.default : checkValue(spec, value, `${prefix}.${key}`);
  }
  return out as O;
}

function checkValue(spec: OptionSpec, value: unknown, key: string): unknown {
  switch (spec.type) {
    case 'boolean':
      if (typeof value !== 'boolean') throw new OptionError(key, 'true or false', value);
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new OptionError(key, 'a number', value);
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max)) {
        throw new OptionError(key, `a number from ${spec.min ?? '-∞'} to ${spec.max ?? '∞'}`, value);
      }
      return value;
    case 'string':
      if (typeof value !== 'string') throw new OptionError(key, spec.enum ? `one of ${spec.enum.join(', ')}` : 'a string', value);
      if (spec.enum && !spec.enum.includes(value)) throw new OptionError(key, `one of ${spec.enum.join(', ')}`, value);
      if (spec.pattern && !spec.pattern.test(value)) throw new OptionError(key, `a string matching ${spec.pattern}`, value);
      return value;
    case 'string[]':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new OptionError(key, 'a list of strings', value);
      for (const v of value) if (spec.pattern && !spec.pattern.test(v)) throw new OptionError(key, `strings matching ${spec.pattern}`, v);
      return value;
    case 'record':
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new OptionError(key, 'an object of strings', value);
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') throw new OptionError(`${key}.${k}`, 'a string', v);
        if (spec.pattern && !spec.pattern.test(v)) throw new OptionError(`${key}.${k}`, `a string matching ${spec.pattern}`, v);
      }
      return value;
  }
}
