// The nginx-base recipe: a site built on the official nginx image itself (`FROM nginx:alpine`,
// `RUN apk add nodejs npm`, `npm install && npm run build`, `cp -r dist/* /usr/share/nginx/html`).
// The image nginx serves from is already the right runtime; what it should not carry is the build:
// Node and npm, node_modules, the sources. So the stage stays as it is, the build stage, and a
// runtime stage on the same nginx image receives what the build published where nginx reads
// (`/usr/share/nginx`, `/etc/nginx`, `/var/www`) and nothing else. nginx's own CMD, ENTRYPOINT,
// STOPSIGNAL and EXPOSE come with the image, unchanged.
//
// The build keeps the Node of the OS packages that the original installs: moving it to a Node image
// would build the site with another Node release than the original's (the Dockerfile does not say
// which release the package is), and a site's build output may depend on it.
import path from 'node:path';
import type { Run } from 'dockerfile-ast';
import { installLine } from '../../os-packages.js';
import { isUnder } from '../../stage-products.js';
import { isGlobalSetup } from '../node/globals.js';
import { treeCounts } from '../node/lockfile.js';
import { estimateSaving, PACKAGE_MB } from '../saving.js';
import { Decline, lineOf, type CommandStep, type PlanInput, type RuntimeImage, type RuntimeNeeds, type SplitRecipe, type StackPlan } from '../split.js';
import { isPublishedPath, minimalPaths, StaticSplit } from './split.js';

export const nginxBaseSplit: SplitRecipe = {
  family: 'nginx',
  detects: () => true,
  isFolderIndependent: (words) => isGlobalSetup(words),
  // A site built at the image root publishes its files by name: the root itself is never copied.
  buildsAtImageRoot: true,
  // The runtime is the same image: the same users.
  runtimeHasBuildUsers: true,
  begin: (split) => new NginxBaseSplit(split),
};

/**
 * OS packages a site's build installs on the nginx image, and about what each weighs there (MB,
 * with what it pulls in; Debian's npm brings hundreds of node-* packages). nginx never runs them.
 */
const BUILD_TOOLS: Record<string, number> = {
  nodejs: 60, 'nodejs-current': 60, npm: 90, yarn: 5, git: 30, python3: 30, make: 1, 'g++': 60, gcc: 40, 'build-base': 100,
  'build-essential': 100, 'libc6-compat': 1, 'ca-certificates': 1, curl: 5, wget: 3, bash: 2, 'openssh-client': 5,
};

/** The OS packages that bring each Node program (any one of them does). */
const NODE_PACKAGES: Record<string, string[]> = {
  node: ['nodejs', 'nodejs-current'], npm: ['npm'], npx: ['npm'], yarn: ['yarn'],
};

/** Build tools the site's own commands may run, with the package that provides each when it is not named alike. */
const SITE_TOOLS: Record<string, string> = {
  ng: '@angular/cli', 'vue-cli-service': '@vue/cli-service', 'react-scripts': 'react-scripts', vite: 'vite', webpack: 'webpack-cli',
  gulp: 'gulp', grunt: 'grunt-cli', parcel: 'parcel', 'eleventy': '@11ty/eleventy', astro: 'astro', tsc: 'typescript',
};

class NginxBaseSplit extends StaticSplit {
  /** The build tools the stage installs, left behind. */
  private tools: string[] = [];

  takesOsPackages(packages: readonly string[], run: Run): boolean {
    for (const raw of packages) {
      const name = raw.replace(/[=<>~].*$/, '');
      if (!(name in BUILD_TOOLS)) {
        throw new Decline(`RUN at line ${lineOf(run)} installs ${name} on the nginx image; whether nginx or a start script uses it at run time cannot be told, so the runtime cannot leave it behind`, run);
      }
      if (!this.tools.includes(name)) this.tools.push(name);
    }
    return true;
  }

  /** The site's build commands: npm and friends, and the tools a dependency or a global install provides, working in the app folder. */
  override readCommand(step: CommandStep, needs: RuntimeNeeds): boolean {
    const [cmd, ...args] = step.words;
    // The nginx image has no Node: a build that never installs it cannot run there either.
    const needed = NODE_PACKAGES[cmd!];
    if (needed !== undefined && !needed.some((p) => this.tools.includes(p)) && !this.provides(cmd!)) {
      throw new Decline(`${step.at} runs ${cmd}, which the nginx image does not have and no RUN before it installs: the original cannot build either`, step.run);
    }
    if (super.readCommand(step, needs)) return true;
    const provided = this.provides(cmd!) || this.isDependency(SITE_TOOLS[cmd!] ?? cmd!);
    // A tool of the project writes where it is told; an absolute path outside the app folder and
    // the published roots could be anything the runtime then lacks.
    const outside = args.find((w) => w.startsWith('/') && !isUnder(path.posix.normalize(w), this.split.appDir) && !isPublishedPath(path.posix.normalize(w)));
    return provided && outside === undefined;
  }

  private isDependency(name: string): boolean {
    const pkg = this.projectFiles().pkg;
    return pkg !== null && (pkg.dependencies?.[name] !== undefined || pkg.devDependencies?.[name] !== undefined);
  }

  override runtimeImage(): RuntimeImage {
    // The runtime is the image the site is served from already, tag for tag (`ARG` variables too).
    return { image: this.split.stage.image!, copyCaCerts: false };
  }

  override plan(input: PlanInput): StackPlan {
    const { appDir, stage } = this.split;
    const payload: string[] = [];
    // Only what the final commands need and the image lacks is installed (HEALTHCHECK's wget):
    // the build's tools and global installs stay behind.
    if (input.packages.length > 0) payload.push(installLine(input.manager, input.packages));
    if (this.removed.length > 0) payload.push(`RUN rm -rf ${[...new Set(this.removed)].join(' ')}`);
    // An app folder nginx serves from (`WORKDIR /usr/share/nginx/html`) is published whole: every
    // file the build leaves there is served.
    const servedFolder = appDir !== '/' && isPublishedPath(appDir);
    const published = minimalPaths([...this.published, ...this.namedByConfig, ...(servedFolder ? [appDir] : [])]);
    if (published.length === 0) throw new Decline('nothing is published where nginx reads (/usr/share/nginx, /etc/nginx, /var/www); what the runtime would serve cannot be told', stage.from);
    const layout = servedFolder ? this.servedFolderLayout(input.buildName) : null;
    for (const p of published) if (layout === null || p !== appDir) payload.push(`COPY --from=${input.buildName} ${p} ${p}`);
    const { pkg, npmLock } = this.projectFiles();
    const counts = this.install === null ? { total: 0 } : treeCounts(this.install, pkg ?? {}, npmLock);
    const servesAppFolder = published.some((p) => isUnder(appDir, p));
    const dropped = [
      this.tools.length > 0 ? { mb: this.tools.reduce((sum, t) => sum + BUILD_TOOLS[t]!, 0), note: `the build's OS packages left behind (${this.tools.join(', ')})` } : null,
      counts.total > 0 && !servesAppFolder ? { mb: counts.total * PACKAGE_MB, note: `the app's packages left behind: ${counts.total}` } : null,
    ];
    const saving = estimateSaving(stage.image!, input.image, 5, dropped);
    const what = `what the build published for nginx (${published.join(', ')}), without ${this.tools.length > 0 ? `its build tools (${this.tools.join(', ')})` : 'the build'}${servesAppFolder ? '' : ', node_modules or the sources'}`;
    return { buildEdits: [], buildTail: [], payload, runtimeBefore: new Map(), what, saving, ...layout };
  }

  /**
   * The served app folder's rebuilds: the runtime takes the folder as the install left it (its
   * node_modules is served too) and the copies from the build context after the install, which it
   * makes itself as the original did — so a source edit re-runs one COPY, not a copy of
   * node_modules. A build step after the install would change the folder again: declines.
   */
  private servedFolderLayout(buildName: string): Pick<StackPlan, 'runtimeAt' | 'moveToRuntime'> | null {
    const { appDir, instructions } = this.split;
    const install = this.installStep;
    if (install === null) return null;
    const after = this.stepsAfterInstall();
    const step = after.find((i) => !this.isContextCopy(i));
    if (step !== undefined) {
      const at = instructions[step]!;
      throw new Decline(`${at.getKeyword()} at line ${lineOf(at)} changes the app folder ${appDir}, which nginx serves, after the install: the runtime would copy node_modules again on every source edit`, at);
    }
    return { runtimeAt: new Map([[install.index, [`COPY --from=${buildName} ${appDir} ${appDir}`]]]), moveToRuntime: after };
  }
}
