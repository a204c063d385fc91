// The static-site recipe: a site built by Node and served by nginx from the OS packages (the final
// command starts nginx, which a RUN installed). The runtime needs nginx and what the build published
// for it — on the Debian slim image of the Node image's release — not Node. The app folder still
// comes along (dev dependencies pruned) so that the image keeps every file its WORKDIR had.
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
import { Decline, type PlanInput, type RuntimeImage, type SplitCtx, type SplitRecipe, type StackPlan } from '../split.js';
import { runScript } from '../run-script.js';

// Where Debian's nginx reads its configuration and, by default, the site.
const PUBLISHED_ROOTS = ['/var/www', '/etc/nginx', '/usr/share/nginx'];
const STATIC_SERVERS = new Set(['nginx', 'nginx-light', 'nginx-core', 'nginx-full', 'nginx-extras']);

export const staticSplit: SplitRecipe = {
  family: 'node',
  detects: servesStatically,
  isFolderIndependent: () => false,
  begin: (split) => new StaticSplit(split),
};

function isPublishedPath(p: string): boolean {
  return PUBLISHED_ROOTS.some((root) => isUnder(p, root) && p !== root);
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

class StaticSplit extends NodeSplit {
  /** Files the build put where the web server reads them, copied to the runtime. */
  private published: string[] = [];
  /** Published folders the build emptied first (`rm -rf /var/www/html/*`): emptied in the runtime too. */
  private emptied: string[] = [];

  acceptsCopyTo(dest: string, operands: readonly string[]): boolean {
    const normalized = path.posix.normalize(dest);
    if (!isPublishedPath(normalized)) return false;
    // `COPY a b /etc/nginx/conf.d/` keeps the names: the folder is what the runtime copies.
    this.published.push(dest.endsWith('/') || operands.length > 2 ? normalized.replace(/\/$/, '') : normalized);
    return true;
  }

  /** `cp -r dist/* /var/www/html/`, `rm -rf /var/www/html/*`: the build publishing the site. */
  readPublishing(words: readonly (string | null)[]): boolean {
    const { appDir } = this.split;
    const [cmd, ...rest] = words;
    if (rest.some((w) => w === null)) return false;
    const args = (rest as string[]).filter((w) => !w.startsWith('-'));
    const resolve = (w: string) => path.posix.normalize(w.startsWith('/') ? w : path.posix.join(appDir, w));
    if (cmd === 'rm') {
      const targets = args.map((w) => resolve(w));
      if (!targets.every((t) => isPublishedPath(t.replace(/\/\*$/, '')))) return false;
      for (const t of targets) if (t.endsWith('/*')) this.emptied.push(t.slice(0, -2));
      return true;
    }
    if (cmd === 'cp' || cmd === 'mv' || cmd === 'mkdir') {
      const dest = resolve(args[args.length - 1] ?? '');
      if (!isPublishedPath(dest)) return false;
      // Sources must come from the app folder: the runtime has nothing else.
      if (cmd !== 'mkdir' && !args.slice(0, -1).every((w) => isUnder(resolve(w.replace(/\/?\*$/, '')), appDir))) return false;
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
      const emptied = [...new Set(this.emptied)].map((dir) => ` && rm -rf ${dir}/*`).join('');
      payload.push(installLine(input.manager, input.packages) + emptied);
    }
    if (input.needs.globalSetup.length > 0) payload.push(`RUN ${input.needs.globalSetup.join(' && ')}`);
    for (const p of minimalPaths(this.published)) payload.push(`COPY --from=${input.buildName} ${p} ${p}`);
    // The official Node images start everything through `ENTRYPOINT ["docker-entrypoint.sh"]`; a
    // runtime on another base must declare it again, or the final image's entrypoint changes.
    if (!instructions.some((i) => i.getKeyword() === 'ENTRYPOINT')) {
      payload.push(`COPY --from=${input.buildName} /usr/local/bin/docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh`);
      payload.push('ENTRYPOINT ["docker-entrypoint.sh"]');
    }
    payload.push(`COPY --from=${input.buildName} ${appDir} ${appDir}`);
    // The runtime keeps the app folder (production dependencies) and adds the server's packages.
    const saving = estimateSaving(this.split.stage.image!, input.image, 20 + 5 * input.packages.length, []);
    return { buildEdits: [], buildTail: this.prune(), payload, runtimeBefore: new Map(), what: `the published site and its server (${input.packages.join(', ')})`, saving };
  }
}

/** Paths without those inside another listed path (copying `/var/www/html` covers its files). */
function minimalPaths(paths: readonly string[]): string[] {
  const unique = [...new Set(paths)].sort();
  return unique.filter((p) => !unique.some((q) => q !== p && isUnder(p, q)));
}
