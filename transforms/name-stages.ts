// name-stages: anonymous build stages get names that say their role, and numeric stage references
// (`COPY --from=0`, `RUN --mount=...,from=0`) become those names. Also writes `AS` in the case of
// its `FROM` (BuildKit's FromAsCasing check).
import type { Instruction } from 'dockerfile-ast';
import { insertAt, replaceSpan, type TextEdit } from '../src/edits.js';
import { defineTransform, type Finding, type TransformContext } from '../src/transform.js';
import { imageRepository, readStageRefs, readStages, resolveRef, type Stage, type StageRef } from '../src/stages.js';

const STAGE_NAME = /^[a-z][a-z0-9_.-]*$/;
// Names BuildKit gives a meaning of its own: `FROM scratch` is the empty image, and `context`
// is the default named build context for `--from`.
const RESERVED = ['scratch', 'context'];

interface Options {
  finalName: string;
  buildName: string;
  testName: string;
  depsName: string;
  asCasing: boolean;
}

const nameOption = (role: string, fallback: string) => ({
  type: 'string' as const,
  default: fallback,
  pattern: STAGE_NAME,
  description: `Name given to an anonymous ${role}.`,
});

export default defineTransform<Options>({
  id: 'name-stages',
  summary: 'Name anonymous build stages by their role and rewrite numeric stage references to the names.',
  safety: 'safe',
  options: {
    finalName: nameOption('final stage (the image that ships)', 'runtime'),
    buildName: nameOption('stage that compiles or bundles the app', 'build'),
    testName: nameOption('stage that runs tests', 'test'),
    depsName: nameOption('stage that only installs dependencies', 'deps'),
    asCasing: { type: 'boolean', default: true, description: 'Also write `AS` in the same case as its `FROM` (BuildKit FromAsCasing).' },
  },
  run(ctx) {
    const stages = readStages(ctx.source);
    const findings: Finding[] = [];
    if (ctx.options.asCasing) findings.push(...asCasingFindings(ctx, stages));
    if (stages.length < 2) return findings; // a single stage has nobody to refer to it
    const refs = readStageRefs(ctx.source, stages);
    const numericUsers = byNumericTarget(refs);
    for (const ref of refs) {
      const target = resolveRef(ref, stages);
      if (target.kind === 'invalid') {
        return [...findings, decline(ctx, ref.valueSpan.start, `"--from=${ref.value}" at line ${line(ctx, ref.valueSpan.start)} ${target.reason}; stages left unnamed`)];
      }
    }
    // Numeric references to stages that already have a name only need the name written in.
    for (const stage of stages) {
      if (stage.name === null) continue;
      const users = numericUsers.get(stage.index) ?? [];
      if (users.length === 0) continue;
      findings.push({
        key: `name-ref-${stage.index}`,
        message: `write "${stage.name}" for ${users.length} reference${users.length === 1 ? '' : 's'} --from=${stage.index}`,
        span: users[0]!.valueSpan,
        fix: { edits: users.map((ref) => replaceSpan(ref.valueSpan, stage.name!)) },
      });
    }

    const anonymous = stages.filter((s) => s.name === null);
    if (anonymous.length === 0) return findings;
    const odd = anonymous.find((s) => s.from.getArguments().length !== 1);
    if (odd) return [...findings, decline(ctx, offsetOf(ctx, odd.from), `FROM at line ${line(ctx, offsetOf(ctx, odd.from))} has unexpected arguments; stages left unnamed`)];

    const names = chooseNames(ctx, stages, refs);
    for (const stage of anonymous) {
      const name = names.get(stage.index)!;
      const image = stage.from.getArguments()[0]!;
      const imageEnd = ctx.source.span(image.getRange()).end;
      const keyword = stage.from.getInstruction();
      const as = keyword === keyword.toLowerCase() ? 'as' : 'AS';
      const edits: TextEdit[] = [insertAt(imageEnd, ` ${as} ${name}`)];
      const users = numericUsers.get(stage.index) ?? [];
      for (const ref of users) edits.push(replaceSpan(ref.valueSpan, name));
      const rewritten = users.length === 0 ? '' : ` and point ${users.length} reference${users.length === 1 ? '' : 's'} (--from=${stage.index}) at it`;
      findings.push({
        key: `name-stage-${stage.index}`,
        message: `name stage ${stage.index} (FROM ${stage.image}) "${name}"${rewritten}`,
        span: ctx.source.span(stage.from.getRange()),
        fix: { edits },
      });
    }
    return findings;
  },
});

function asCasingFindings(ctx: TransformContext<Options>, stages: readonly Stage[]): Finding[] {
  const findings: Finding[] = [];
  for (const stage of stages) {
    const args = stage.from.getArguments();
    if (args.length !== 3 || args[1]!.getValue().toLowerCase() !== 'as') continue;
    const keyword = stage.from.getInstruction();
    const wanted = keyword === keyword.toLowerCase() ? 'as' : 'AS';
    if (args[1]!.getValue() === wanted) continue;
    findings.push({
      key: `as-casing-${stage.index}`,
      message: `write "${wanted}" to match "${keyword}" at line ${line(ctx, offsetOf(ctx, stage.from))} (FromAsCasing)`,
      span: ctx.source.span(stage.from.getRange()),
      fix: { edits: [replaceSpan(ctx.source.span(args[1]!.getRange()), wanted)] },
    });
  }
  return findings;
}

/**
 * One name per anonymous stage, decided for all of them at once so each fix stays the same
 * whichever subset a reviewer accepts. A name never equals an existing stage name, an image or
 * build-context name the file uses (a new stage name would shadow it), an ARG default (which a
 * `FROM $ARG` may expand to) or a reserved name.
 */
function chooseNames(ctx: TransformContext<Options>, stages: readonly Stage[], refs: readonly StageRef[]): Map<number, string> {
  const taken = new Set<string>(RESERVED);
  for (const stage of stages) {
    if (stage.name) taken.add(stage.name.toLowerCase());
    if (stage.image) {
      taken.add(stage.image.toLowerCase());
      taken.add(imageRepository(stage.image));
    }
  }
  for (const ref of refs) {
    if (resolveRef(ref, stages).kind === 'image') {
      taken.add(ref.value.toLowerCase());
      taken.add(imageRepository(ref.value));
    }
  }
  for (const arg of ctx.dockerfile.getARGs()) {
    const value = arg.getProperty()?.getValue();
    if (value) taken.add(value.toLowerCase());
  }
  const names = new Map<number, string>();
  // Where the search for a free `<base>-<n>` resumes: `taken` only grows, so the numbers already
  // tried stay taken. Starting at 2 each time made 5,000 "build" stages cost seconds.
  const nextNumber = new Map<string, number>();
  for (const stage of stages) {
    if (stage.name !== null) continue;
    const base = roleName(stage, stage.index === stages.length - 1, ctx.options);
    let name = base;
    let n = nextNumber.get(base) ?? 2;
    for (; taken.has(name); n++) name = `${base}-${n}`;
    nextNumber.set(base, n);
    taken.add(name);
    names.set(stage.index, name);
  }
  return names;
}

// Words that say what a stage does. The name is a label for people: a wrong guess costs clarity,
// never correctness, so plain word matching on RUN lines is enough here.
const BUILD = /\b((npm|yarn|pnpm|bun)\s+(run\s+)?build|go\s+build|cargo\s+build|dotnet\s+(publish|build)|mvnw?\b[^&;|]*\b(package|install|verify)|gradlew?\b[^&;|]*\b(build|assemble|jar|bootJar|installDist)|make|cmake|tsc|ng\s+build|next\s+build|vite\s+build|webpack|gcc|g\+\+|rustc|javac|hugo|jekyll\s+build|mix\s+release)\b/;
const TEST = /\b((npm|yarn|pnpm|bun)\s+(run\s+)?test|go\s+test|cargo\s+test|dotnet\s+test|pytest|tox|mvnw?\b[^&;|]*\btest|gradlew?\b[^&;|]*\btest|rspec|phpunit|jest|vitest)\b/;
const DEPS = /\b(npm\s+(ci|install|i)|yarn(\s+install)?|pnpm\s+(install|i|fetch)|pip3?\s+install|pipenv\s+install|poetry\s+install|uv\s+sync|go\s+mod\s+download|bundle\s+install|composer\s+install|cargo\s+fetch|dotnet\s+restore|mvnw?\b[^&;|]*dependency:)\b/;

function roleName(stage: Stage, isFinal: boolean, options: Options): string {
  if (isFinal) return options.finalName;
  const commands = stage.instructions
    .filter((i: Instruction) => i.getKeyword() === 'RUN')
    .map((i) => i.getArgumentsContent() ?? '')
    .join('\n');
  const builds = BUILD.test(commands);
  if (TEST.test(commands) && !builds) return options.testName;
  if (builds) return options.buildName;
  if (DEPS.test(commands)) return options.depsName;
  return `stage-${stage.index}`;
}

/** Numeric references (`--from=0`) grouped by the stage index they name, read once rather than per stage. */
function byNumericTarget(refs: readonly StageRef[]): Map<number, StageRef[]> {
  const users = new Map<number, StageRef[]>();
  for (const ref of refs) {
    if (!/^\d+$/.test(ref.value)) continue;
    const index = Number(ref.value);
    if (!users.has(index)) users.set(index, []);
    users.get(index)!.push(ref);
  }
  return users;
}

function decline(ctx: TransformContext<Options>, at: number, message: string): Finding {
  return { key: 'decline', message, span: { start: at, end: at } };
}

function offsetOf(ctx: TransformContext<Options>, instruction: Instruction): number {
  return ctx.source.offsetAt(instruction.getRange().start);
}

function line(ctx: TransformContext<Options>, offset: number): number {
  return ctx.source.lineNumberAt(offset);
}
