// The static-site recipe: a site built by Node and served by nginx from the OS packages (the final
// command starts nginx, which a RUN installed). The runtime needs nginx and what the build published
// for it — on the Debian slim image of the Node image's release — not Node, so not the app folder
// either: without Node nothing there can run, and copying it (node_modules included) after every
// source edit would make rebuilds slower than the original's. The one exception is a file nginx's
// own configuration names under the app folder (`root /app/dist;`), which comes along.
import path from 'node:path';
import { Run, type Instruction } from 'dockerfile-ast';
import { commandOf } from '../../final-command.js';
import { installLine, readOsInstall } from '../../os-packages.js';
import { debianSlimOf } from '../../runtime-images.js';
import { calledCommands } from '../../shell.js';
import { isUnder } from '../../stage-products.js';
import { parseImage } from '../../stages.js';
import { NodeSplit } from '../node/split.js';
import { estimateSaving } from '../saving.js';
import type { BuildContext } from '../../build-context.js';
import { token } from '../../quote.js';
import { Decline, lineOf, type PlanInput, type RuntimeImage, type SplitCtx, type SplitRecipe, type StackPlan } from '../split.js';
import { runScript } from '../run-script.js';
import { pathsNamedUnder } from './nginx-config.js';
import { isUnderNginxRoot, NGINX_CONFIG_ROOT } from './nginx-paths.js';

const STATIC_SERVERS = new Set(['nginx', 'nginx-light', 'nginx-core', 'nginx-full', 'nginx-extras']);

export const staticSplit: SplitRecipe = {
  family: 'node',
  detects: servesStatically,
  isFolderIndependent: () => false,
  begin: (split) => new StaticSplit(split),
};

export function isPublishedPath(p: string): boolean {
  return isUnderNginxRoot(path.posix.normalize(p));
}

function servesStatically(ctx: SplitCtx, instructions: readonly Instruction[]): boolean {
  const final = [...instructions].reverse().find((i) => i.getKeyword() === 'CMD' || i.getKeyword() === 'ENTRYPOINT');
  if (!final) return false;
  const command = commandOf(ctx.source, final);
  const first = command === null ? null : command.exec ? command.exec[0] : calledCommands(command.shell)?.[0]?.[0];
  if (first !== 'nginx' && first !== '/usr/sbin/nginx') return false;
  return instructions.some((i) => {
    if (!(i instanceof Run) || i.getOpeningBracket()) return false;
    const chain = runScript(ctx.source, i)?.chain;
    return chain?.ok === true && chain.commands.some((c) => {
      const os = readOsInstall(c.words);
      return os !== null && 'packages' in os && os.packages.some((p) => STATIC_SERVERS.has(p.replace(/[=].*$/, '')));
    });
  });
}

export class StaticSplit extends NodeSplit {
  /** Files the build put where the web server reads them, copied to the runtime. */
  protected published: string[] = [];
  /** What the build removed where the server reads (`rm -rf /var/www/html/*`): removed in the runtime too, before the copies. */
  protected removed: string[] = [];
  /** Files of the app folder that nginx's configuration names: the runtime copies them. */
  protected namedByConfig: string[] = [];

  acceptsCopyTo(dest: string, operands: readonly string[], instruction: Instruction): boolean {
    const normalized = path.posix.normalize(dest);
    if (!isPublishedPath(normalized)) return false;
    if (isUnder(normalized, NGINX_CONFIG_ROOT)) this.readConfig(operands.slice(0, -1), instruction);
    // `COPY a b /etc/nginx/conf.d/` keeps the names: the folder is what the runtime copies.
    this.published.push(dest.endsWith('/') || operands.length > 2 ? normalized.replace(/\/$/, '') : normalized);
    return true;
  }

  /** `cp -r dist/* /var/www/html/`, `rm -rf /var/www/html/*`: the build publishing the site. */
  /** Reads configuration a COPY brings from the build context, for the app-folder paths it names. */
  private readConfig(sources: readonly string[], instruction: Instruction): void {
    const { ctx, appDir } = this.split;
    const at = `${instruction.getKeyword()} at line ${lineOf(instruction)}`;
    const unknown = (why: string) => new Decline(`${at} brings nginx configuration ${why}, so whether nginx reads files from the app folder ${appDir} (which the runtime leaves behind) cannot be told`, instruction);
    if (ctx.buildContext.root === null) throw unknown('from a build context that is unknown');
    for (const source of sources) {
      if (/[*?[$]/.test(source)) throw unknown(`named by a pattern or variable (${token(source)})`);
      const files = contextFiles(ctx.buildContext, source.replace(/^\.\/|\/$/g, '') || '.');
      if (files === null) throw unknown(`(${token(source)}) that is not in the build context, or is a folder of more than 500 files`);
      for (const file of files) this.namedByConfig.push(...pathsNamedUnder(ctx.buildContext.readText(file) ?? '', appDir));
    }
  }

  readPublishing(words: readonly (string | null)[], run: Run): boolean {
    const { appDir } = this.split;
    const [cmd, ...rest] = words;
    if (rest.some((w) => w === null)) return false;
    const args = (rest as string[]).filter((w) => !w.startsWith('-'));
    const resolve = (w: string) => path.posix.normalize(w.startsWith('/') ? w : path.posix.join(appDir, w));
    if (cmd === 'rm') {
      const targets = args.map((w) => resolve(w));
      if (!targets.every((t) => isPublishedPath(t.replace(/\/\*$/, '')))) return false;
      // `rm -rf /var/www/html/*` empties the folder, `rm -rf /var/www/html` removes it for a `mv`
      // to put another in its place: either way what the server package put there is gone.
      this.removed.push(...targets);
      return true;
    }
    if (cmd === 'cp' || cmd === 'mv' || cmd === 'mkdir') {
      const dest = resolve(args[args.length - 1] ?? '');
      if (!isPublishedPath(dest)) return false;
      // Sources must come from the app folder: the runtime has nothing else.
      if (cmd !== 'mkdir' && !args.slice(0, -1).every((w) => isUnder(resolve(w.replace(/\/?\*$/, '')), appDir))) return false;
      // Configuration made in the app folder may be the build's output: it cannot be read here.
      if (cmd !== 'mkdir' && isUnder(dest, NGINX_CONFIG_ROOT)) {
        throw new Decline(`RUN at line ${lineOf(run)} puts nginx configuration from the app folder into ${dest}; whether it names files of the app folder, which the runtime leaves behind, cannot be told before the build`, run);
      }
      this.published.push(dest.replace(/\/$/, ''));
      return true;
    }
    return false;
  }

  override provides(program: string): boolean {
    return program === 'nginx' || program === '/usr/sbin/nginx' || super.provides(program);
  }

  override stageName(): undefined {
    // The site's runtime takes the published files from the build stage: it stays the build stage.
    return undefined;
  }

  override checkStart(): string[] {
    // The site's server is nginx, not Node: no start script to follow.
    return [];
  }

  override runtimeImage(): RuntimeImage {
    const { ctx, stage } = this.split;
    const image = ctx.options.staticRuntimeImage || debianSlimOf(parseImage(stage.image!));
    if (!image) throw new Decline(`the Debian release of ${stage.image} is not known; set the staticRuntimeImage option`, stage.from);
    return { image, copyCaCerts: false };
  }

  override plan(input: PlanInput): StackPlan {
    const { appDir, instructions } = this.split;
    const payload: string[] = [];
    if (input.packages.length > 0) {
      // What the build emptied before publishing (the server package's own placeholder page) is
      // emptied again after the runtime installs the package, or the copy would merge with it.
      const removed = this.removed.length > 0 ? ` && rm -rf ${[...new Set(this.removed)].join(' ')}` : '';
      payload.push(installLine(input.manager, input.packages) + removed);
    }
    if (input.needs.globalSetup.length > 0) payload.push(`RUN ${input.needs.globalSetup.join(' && ')}`);
    for (const p of minimalPaths(this.published)) payload.push(`COPY --from=${input.buildName} ${p} ${p}`);
    // The official Node images start everything through `ENTRYPOINT ["docker-entrypoint.sh"]`; a
    // runtime on another base must declare it again, or the final image's entrypoint changes.
    if (!instructions.some((i) => i.getKeyword() === 'ENTRYPOINT')) {
      payload.push(`COPY --from=${input.buildName} /usr/local/bin/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh`);
      payload.push('ENTRYPOINT ["docker-entrypoint.sh"]');
    }
    const named = minimalPaths(this.namedByConfig);
    for (const p of named) payload.push(`COPY --from=${input.buildName} ${p} ${p}`);
    // The runtime has the server's packages and the site; a few MB of files besides.
    const saving = estimateSaving(this.split.stage.image!, input.image, 5 + 5 * input.packages.length, []);
    const what = `the published site and its server (${input.packages.join(', ')})${named.length > 0 ? `, and from the app folder what nginx's configuration names (${named.join(', ')})` : ''}`;
    return { buildEdits: [], buildTail: [], payload, runtimeBefore: new Map(), what, saving };
  }
}

/**
 * The files of a context path (a folder's, recursively), or null when the build cannot see it or
 * it holds more than a configuration folder would (a symlink loop, a whole tree).
 */
function contextFiles(context: BuildContext, rel: string, budget = { files: 500 }): string[] | null {
  if (!context.has(rel) && rel !== '.') return null;
  if (!context.isDirectory(rel)) return --budget.files < 0 ? null : [rel];
  const out: string[] = [];
  for (const entry of context.list(rel) ?? []) {
    const files = contextFiles(context, rel === '.' ? entry : `${rel}/${entry}`, budget);
    if (files === null) return null;
    out.push(...files);
  }
  return out;
}

/** Paths without those inside another listed path (copying `/var/www/html` covers its files). */
export function minimalPaths(paths: readonly string[]): string[] {
  const unique = [...new Set(paths)].sort();
  return unique.filter((p) => !unique.some((q) => q !== p && isUnder(p, q)));
}
