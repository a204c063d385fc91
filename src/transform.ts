// The contract between a transform and the engine. A transform never touches text: it reports
// findings, and a finding may carry a fix made of edits on the source it was given.
import type { Dockerfile } from 'dockerfile-ast';
import type { TextEdit } from './edits.js';
import type { Source, Span } from './source.js';
import type { BuildContext } from './build-context.js';
import type { OptionsSchema } from './options.js';

export type Safety = 'safe' | 'unsafe';

/** A file a fix creates beside the Dockerfile's text edits (a `.dockerignore`). */
export interface CreatedFile {
  /** Relative to the build context root, with forward slashes, inside it (no `..`, not absolute). */
  path: string;
  content: string;
}

export interface Fix {
  /** Text edits on the Dockerfile; may be empty when the fix only creates files. */
  edits: TextEdit[];
  /**
   * Files the fix creates in the build context. Never an existing file: the engine drops such a
   * fix, and --write refuses a file that appeared since. Transforms of the same run keep reading
   * the build context as it is on disk (without the new file), so no fix depends on another's file.
   */
  creates?: CreatedFile[];
  /** Set when the fix deletes comments on purpose (e.g. moving a block re-creates them elsewhere). */
  removesComments?: boolean;
  /** Base images the fix starts using on purpose (a new runtime stage's `FROM node:20-slim`). */
  introducesImages?: string[];
  /**
   * This fix's own safety, when it differs from the transform's declaration: a cache mount is safe
   * in a file that needs BuildKit already and unsafe in one the legacy builder still builds. A
   * project's `safety` setting for the transform wins over both.
   */
  safety?: Safety;
  /** Why this fix is unsafe, when it is and the reason is narrower than the transform's `unsafeReason`. */
  unsafeReason?: string;
}

export interface Finding {
  /** What the fix does, or, for a finding without a fix (a decline), why the transform stayed away. */
  message: string;
  /** Where the finding is: inline `# stageopt ignore=` directives match on the instruction holding `span.start`. */
  span: Span;
  fix?: Fix;
  /** Stable identity of the finding within a file, so a review can pick fixes one by one. */
  key: string;
}

export interface TransformContext<O = Record<string, unknown>> {
  source: Source;
  dockerfile: Dockerfile;
  options: O;
  /** The path shown to the user, for messages. */
  file: string;
  buildContext: BuildContext;
}

export interface Transform<O = any> {
  /** Stable kebab-case id used in config, CLI flags, inline directives and docs/transforms/<id>.md. */
  id: string;
  summary: string;
  /** The safety of its fixes unless a fix says otherwise (Fix.safety). */
  safety: Safety;
  /**
   * One line: what an unsafe fix of this transform may change that the transform cannot prove it
   * does not. Shown beside each unsafe fix in the review and the reports. Required when any fix
   * of the transform can be unsafe.
   */
  unsafeReason?: string;
  options: OptionsSchema<O>;
  run(ctx: TransformContext<O>): Finding[];
}

export function defineTransform<O>(t: Transform<O>): Transform<O> {
  return t;
}
