// The served-site recipe: a site built by Node and served by a Node static file server that the
// stage installs globally (`RUN npm install -g serve`, `CMD ["serve", "-s", "build"]`). The server
// reads the folder it serves and nothing else of the app, so the runtime — the slim Node image,
// since the server is a Node program — gets the server installed again and that folder from the
// build stage: no node_modules, no sources, and no prune after them that every rebuild would re-run.
import path from 'node:path';
import { Run, type Instruction } from 'dockerfile-ast';
import { commandOf } from '../../final-command.js';
import { calledCommands } from '../../shell.js';
import { isUnder } from '../../stage-products.js';
import { runScript } from '../run-script.js';
import { globalCommands } from '../node/globals.js';
import { NodeSplit } from '../node/split.js';
import { treeCounts } from '../node/lockfile.js';
import { estimateSaving, PACKAGE_MB } from '../saving.js';
import { Decline, type PlanInput, type SplitCtx, type SplitRecipe, type StackPlan } from '../split.js';
import { readStaticServer, STATIC_SERVERS, type StaticServe } from './servers.js';

export const servedSplit: SplitRecipe = {
  family: 'node',
  detects: (ctx, instructions) => servedBy(ctx, instructions) !== null,
  isFolderIndependent: () => false,
  runtimeHasBuildUsers: true,
  begin: (split) => new ServedSplit(split),
};

interface Served {
  program: string;
  args: string[];
  at: Instruction;
}

/** The final command, when it runs a static server the stage installs globally. */
function servedBy(ctx: SplitCtx, instructions: readonly Instruction[]): Served | null {
  const final = [...instructions].reverse().find((i) => i.getKeyword() === 'CMD' || i.getKeyword() === 'ENTRYPOINT');
  if (!final || instructions.some((i) => i.getKeyword() === 'ENTRYPOINT')) return null;
  const command = commandOf(ctx.source, final);
  const words = command === null ? null : command.exec ? command.exec : calledCommands(command.shell)?.length === 1 ? calledCommands(command.shell)![0]! : null;
  if (words === null || words.some((w) => w === null)) return null;
  const [program, ...args] = words as string[];
  if (program === undefined || STATIC_SERVERS[program] === undefined) return null;
  const global = instructions.some((i) => {
    if (!(i instanceof Run)) return false;
    const chain = runScript(ctx.source, i)?.chain;
    return chain?.ok === true && chain.commands.some((c) => globalCommands(c.words).includes(program));
  });
  return global ? { program, args, at: final } : null;
}

class ServedSplit extends NodeSplit {
  private serve(): { served: Served; read: StaticServe } {
    const served = servedBy(this.split.ctx, this.split.instructions)!;
    const read = readStaticServer(served.program, served.args)!;
    if (typeof read === 'string') throw new Decline(`${served.at.getKeyword()} at line ${served.at.getRange().start.line + 1}: ${read}`, served.at);
    if (read.folder === null) throw new Decline(`${served.at.getKeyword()} at line ${served.at.getRange().start.line + 1}: "${served.program}" is given no folder, so it serves its working folder, the whole app folder`, served.at);
    return { served, read };
  }

  override stageName(): undefined {
    // The runtime takes the served folder from the build stage: it stays the build stage.
    return undefined;
  }

  override checkStart(): string[] {
    // The server is a global Node tool, not a script of the app: no start path to follow.
    return [];
  }

  override plan(input: PlanInput): StackPlan {
    const { appDir } = this.split;
    const { served, read } = this.serve();
    const paths = [read.folder!, ...read.files].map((p) => path.posix.resolve(appDir, p));
    const outside = paths.find((p) => !isUnder(p, appDir) || p === appDir);
    if (outside !== undefined) throw new Decline(`${served.at.getKeyword()} at line ${served.at.getRange().start.line + 1}: "${served.program}" reads ${outside}, ${outside === appDir ? 'the whole app folder' : 'outside the app folder'}`, served.at);
    const payload = [...input.installLines, ...paths.map((p) => `COPY --from=${input.buildName} ${p} ${p}`)];
    // What the runtime adds to the slim image: the server and the site, a few MB; every package of
    // the app stays behind.
    const { pkg, npmLock } = this.projectFiles();
    const counts = this.install === null ? { total: 0 } : treeCounts(this.install, pkg ?? {}, npmLock);
    const dropped = counts.total > 0 ? { mb: counts.total * PACKAGE_MB, note: `the app's packages left behind: ${counts.total}` } : null;
    const saving = estimateSaving(this.split.stage.image!, input.image, 10, [dropped]);
    return { buildEdits: [], buildTail: [], payload, runtimeBefore: new Map(), what: `the served folder (${path.posix.relative(appDir, paths[0]!)}) and its server (${served.program}, installed globally again), without the app's dependencies or sources`, saving };
  }
}
