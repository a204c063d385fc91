// What the Dockerfile text itself says about its final image, read from the AST: which ENV and
// LABEL keys it sets (so a difference there is the Dockerfile's doing, not the base image's), and
// which base images it needs (so a missing one can be named before blaming the rewrite).
import { Env, Label, PropertyInstruction } from 'dockerfile-ast';
import { Source } from '../source.js';
import { readStages, type Stage } from '../stages.js';

export interface DockerfileFacts {
  /** ENV keys set in the final stage or in an earlier stage it is built FROM. */
  envKeys: Set<string>;
  /** LABEL keys set the same way. */
  labelKeys: Set<string>;
  /** Images named by FROM that are not earlier stages, `scratch` or built from variables. */
  baseImages: string[];
  /** The image the final stage's chain of stages starts FROM, when it is one of baseImages. */
  finalBase: string | null;
}

export function dockerfileFacts(text: string): DockerfileFacts {
  const stages = readStages(Source.fromText(text));
  const facts: DockerfileFacts = { envKeys: new Set(), labelKeys: new Set(), baseImages: [], finalBase: null };
  for (const stage of stages) {
    const image = stage.image;
    if (!image || image.includes('$') || image.toLowerCase() === 'scratch' || stageBefore(stages, stage.index, image)) continue;
    if (!facts.baseImages.includes(image)) facts.baseImages.push(image);
  }
  // Follow FROM <earlier stage> links from the last stage: ENV and LABEL are inherited along them.
  // Each link goes to a stage before, so the walk ends.
  let stage: Stage | undefined = stages[stages.length - 1];
  while (stage) {
    for (const instruction of stage.instructions) {
      const keys = instruction instanceof Env ? facts.envKeys : instruction instanceof Label ? facts.labelKeys : null;
      if (keys) for (const p of (instruction as PropertyInstruction).getProperties()) keys.add(p.getName());
    }
    const before: Stage | undefined = stage.image ? stageBefore(stages, stage.index, stage.image) : undefined;
    if (!before && stage.image && facts.baseImages.includes(stage.image)) facts.finalBase = stage.image;
    stage = before;
  }
  return facts;
}

/** The earlier stage an image name refers to (stage names are case-insensitive), if any. */
function stageBefore(stages: readonly Stage[], index: number, image: string): Stage | undefined {
  const lower = image.toLowerCase();
  return stages.slice(0, index).reverse().find((s) => s.name?.toLowerCase() === lower);
}
