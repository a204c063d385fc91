// Build stages and the references between them, read from the AST with source offsets.
// Shared by transforms (to rename or move things) and by the invariants (to check nothing dangles).
import path from 'node:path';
import { Copy, From, Run, type Instruction, type JSONInstruction } from 'dockerfile-ast';
import type { Source, Span } from './source.js';

export interface Stage {
  index: number;
  from: From;
  /** The `AS` name as written, or null for an anonymous stage. */
  name: string | null;
  /** The image (or earlier stage) the stage starts from, as written. */
  image: string | null;
  /** Instructions of the stage after its FROM, up to the next FROM. */
  instructions: Instruction[];
}

export type RefKind = 'copy-from' | 'mount-from';

export interface StageRef {
  kind: RefKind;
  /** Index of the stage whose instruction holds the reference. */
  inStage: number;
  value: string;
  valueSpan: Span;
  instruction: Instruction;
}

export type RefTarget =
  | { kind: 'stage'; index: number }
  | { kind: 'image' }
  | { kind: 'variable' }
  | { kind: 'invalid'; reason: string };

export function readStages(source: Source): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of source.dockerfile.getInstructions()) {
    if (instruction instanceof From) {
      stages.push({
        index: stages.length,
        from: instruction,
        name: instruction.getBuildStage(),
        image: instruction.getImage(),
        instructions: [],
      });
    } else if (stages.length > 0) {
      stages[stages.length - 1]!.instructions.push(instruction);
    }
  }
  return stages;
}

/** Every `COPY --from=` and `RUN --mount=...,from=` value. ONBUILD triggers are left out on purpose:
 * they run in another build, where stage names and indexes mean something else. */
export function readStageRefs(source: Source, stages: readonly Stage[]): StageRef[] {
  const refs: StageRef[] = [];
  for (const stage of stages) {
    for (const instruction of stage.instructions) {
      if (instruction instanceof Copy) {
        for (const flag of instruction.getFlags()) {
          const value = flag.getValue();
          const range = flag.getValueRange();
          if (flag.getName().toLowerCase() === 'from' && value !== null && range !== null) {
            refs.push({ kind: 'copy-from', inStage: stage.index, value, valueSpan: source.span(range), instruction });
          }
        }
      } else if (instruction instanceof Run) {
        for (const flag of instruction.getFlags()) {
          if (flag.getName().toLowerCase() !== 'mount') continue;
          for (const option of flag.getOptions()) {
            const value = option.getValue();
            const range = option.getValueRange();
            if (option.getName().toLowerCase() === 'from' && value !== null && range !== null) {
              refs.push({ kind: 'mount-from', inStage: stage.index, value, valueSpan: source.span(range), instruction });
            }
          }
        }
      }
    }
  }
  return refs;
}

/**
 * What a reference resolves to, the way BuildKit resolves it: a number is a stage index and must
 * name an earlier stage; a name matching an earlier stage (case-insensitively) is that stage;
 * anything else is an image (or a named build context).
 */
export function resolveRef(ref: Pick<StageRef, 'value' | 'inStage'>, stages: readonly Stage[]): RefTarget {
  const value = ref.value;
  if (value.includes('$')) return { kind: 'variable' };
  if (/^\d+$/.test(value)) {
    const index = Number(value);
    if (index >= stages.length) return { kind: 'invalid', reason: `names stage ${index} but the file has ${stages.length}` };
    if (index >= ref.inStage) return { kind: 'invalid', reason: `names stage ${index}, which is not before the stage that uses it` };
    return { kind: 'stage', index };
  }
  // The nearest earlier stage of that name.
  const named = stagesNamed(stages, value.toLowerCase());
  for (let i = named.length - 1; i >= 0; i--) {
    if (named[i]! < ref.inStage) return { kind: 'stage', index: named[i]! };
  }
  return { kind: 'image' };
}

// Stage indexes by lower-case name, built once per stage list: scanning the earlier stages for
// every FROM and --from made a file of 10,000 stages take seconds in the preflight and invariants.
const namesIndex = new WeakMap<readonly Stage[], Map<string, number[]>>();

function stagesNamed(stages: readonly Stage[], lower: string): number[] {
  let index = namesIndex.get(stages);
  if (!index) {
    index = new Map();
    for (const stage of stages) {
      if (stage.name === null) continue;
      const key = stage.name.toLowerCase();
      if (!index.has(key)) index.set(key, []);
      index.get(key)!.push(stage.index);
    }
    namesIndex.set(stages, index);
  }
  return index.get(lower) ?? [];
}

export interface ImageRef {
  /** Everything before the tag: registry, path and name (`docker.io/library/node`), as written. */
  repository: string;
  tag: string | null;
  digest: string | null;
}

/** An image reference in its parts: `node:20@sha256:…` → node, 20, sha256:…. */
export function parseImage(image: string): ImageRef {
  const [noDigest, digest = null] = image.split('@') as [string, string?];
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', lastSlash + 1);
  return { repository: colon === -1 ? noDigest : noDigest.slice(0, colon), tag: colon === -1 ? null : noDigest.slice(colon + 1), digest };
}

/** The repository part of an image reference (`docker.io/library/node:20@sha…` → `docker.io/library/node`). */
export function imageRepository(image: string): string {
  return parseImage(image).repository.toLowerCase();
}

/**
 * The operands of an instruction in either form: `COPY a b` or `COPY ["a", "b"]`, whose array
 * getArguments() returns as one piece. Values are as Docker reads them (JSON strings decoded).
 */
export function operandsOf(instruction: Instruction): string[] {
  const json = instruction as JSONInstruction;
  if (typeof json.getOpeningBracket === 'function' && json.getOpeningBracket()) return json.getJSONStrings().map((s) => s.getJSONValue());
  return instruction.getArguments().map((a) => a.getValue());
}

export interface CopyOperands {
  sources: string[];
  dest: string;
}

/** The sources and destination of a COPY or ADD; null for any other instruction or fewer than two operands. */
export function copyOperands(instruction: Instruction): CopyOperands | null {
  if (!(instruction instanceof Copy) && instruction.getKeyword() !== 'ADD') return null;
  const args = operandsOf(instruction);
  if (args.length < 2) return null;
  return { sources: args.slice(0, -1), dest: args[args.length - 1]! };
}

/** The `--name=value` flags of an instruction that takes them, names lower-cased; none for the others. */
export function flagsOf(instruction: Instruction): { name: string; value: string | null }[] {
  const getFlags = (instruction as Copy).getFlags;
  return typeof getFlags === 'function' ? getFlags.call(instruction).map((f) => ({ name: f.getName().toLowerCase(), value: f.getValue() })) : [];
}

/** `COPY --from=…`: a copy out of another stage or an image, not from the build context. */
export function copiesFrom(instruction: Instruction): boolean {
  return flagsOf(instruction).some((f) => f.name === 'from');
}

/** A COPY or ADD from the build context (not `--from` another stage or image). */
export function copiesFromContext(instruction: Instruction): boolean {
  const keyword = instruction.getKeyword();
  return (keyword === 'COPY' || keyword === 'ADD') && !copiesFrom(instruction);
}

/** `COPY . .`, `COPY ./ /app`, `ADD . .`: the whole build context, not from another stage. */
export function isBroadCopy(instruction: Instruction): boolean {
  const ops = copyOperands(instruction);
  if (!ops || copiesFrom(instruction)) return false;
  return ops.sources.some((s) => s === '.' || s === './');
}

/** `ARG NAME=default` lines before the first FROM: the variables FROM lines may use. */
export function globalArgs(source: Source): Map<string, string | null> {
  const args = new Map<string, string | null>();
  for (const instruction of source.dockerfile.getInstructions()) {
    if (instruction.getKeyword() === 'FROM') break;
    if (instruction.getKeyword() !== 'ARG') continue;
    for (const arg of operandsOf(instruction)) {
      const eq = arg.indexOf('=');
      args.set(eq === -1 ? arg : arg.slice(0, eq), eq === -1 ? null : arg.slice(eq + 1).replace(/^["']|["']$/g, ''));
    }
  }
  return args;
}

/**
 * The targets of a RUN's `--mount` flags, normalized (`/root/.npm/` → `/root/.npm`); with `type`,
 * only the mounts of that type (`cache`; a mount without `type=` is a bind mount).
 */
export function mountTargets(run: Run, type?: string): Set<string> {
  const targets = new Set<string>();
  for (const flag of run.getFlags()) {
    if (flag.getName().toLowerCase() !== 'mount') continue;
    const options = flag.getOptions();
    const kind = options.find((o) => o.getName().toLowerCase() === 'type')?.getValue() ?? 'bind';
    if (type !== undefined && kind !== type) continue;
    for (const option of options) {
      if (['target', 'dst', 'destination'].includes(option.getName().toLowerCase()) && option.getValue()) targets.add(path.posix.normalize(option.getValue()!).replace(/(.)\/$/, '$1'));
    }
  }
  return targets;
}
