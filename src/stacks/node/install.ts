// Node installs (npm, yarn, pnpm): which commands install from the manifests, and which files those
// installs read — lockfiles, package manager config, workspace members' manifests, and what a
// lifecycle hook needs — or why an install needs the sources (a local `file:` dependency, a hook
// that runs project code).
import { andChain } from '../../shell.js';
import type { BuildContext } from '../../build-context.js';
import { excludedNote, INSTALL_BASE, isLiteral, parseJsonObject as parseJson, positional, type Install, type InstallReader, type ManifestFiles, type Recognized, type Words } from '../install.js';

const NPM_VALUE_FLAGS = new Set(['--loglevel', '--cache', '--registry', '--userconfig', '--omit', '--include', '--only', '--workspace', '-w']);

export const nodeInstalls: InstallReader = {
  ecosystems: ['npm', 'yarn', 'pnpm'],
  recognize(words: Words): Recognized | undefined {
    const [cmd, sub] = words;
    const rest = words.slice(2);
    const base = INSTALL_BASE;
    switch (cmd) {
      case 'npm':
        if (!['ci', 'install', 'i', 'clean-install', 'install-clean', 'isntall'].includes(sub ?? '')) return null;
        if (!isLiteral(rest)) return { kind: 'decline', reason: `"npm ${sub}" has arguments made of variables` };
        if (rest.some((w) => w === '-g' || w === '--global')) return null;
        if (rest.some((w) => w.startsWith('--prefix'))) return { kind: 'decline', reason: 'npm installs into another folder (--prefix)' };
        if (positional(rest, NPM_VALUE_FLAGS).length > 0) return null; // `npm install express`: adds a package, not a manifest install
        return { kind: 'install', install: { ...base, ecosystem: 'npm', strategy: 'move', ignoresScripts: rest.includes('--ignore-scripts') } };
      case 'yarn': {
        const args = words.slice(1);
        if (!isLiteral(args)) return { kind: 'decline', reason: '"yarn" has arguments made of variables' };
        if (args.length > 0 && args[0] !== 'install' && !args[0]!.startsWith('-')) return null;
        if (positional(args[0] === 'install' ? args.slice(1) : args, new Set(['--cache-folder', '--modules-folder', '--network-timeout'])).length > 0) return null;
        return { kind: 'install', install: { ...base, ecosystem: 'yarn', strategy: 'move', ignoresScripts: args.includes('--ignore-scripts') } };
      }
      case 'pnpm':
        if (!['install', 'i'].includes(sub ?? '')) return null;
        if (!isLiteral(rest)) return { kind: 'decline', reason: '"pnpm install" has arguments made of variables' };
        if (positional(rest, new Set(['--filter', '-F', '--store-dir'])).length > 0) return null;
        return { kind: 'install', install: { ...base, ecosystem: 'pnpm', strategy: 'move', ignoresScripts: rest.includes('--ignore-scripts') } };
      default:
        return undefined;
    }
  },
  plan(install: Install, files: ManifestFiles, extraFiles: readonly string[]): string | null {
    return planNode(install, files.ctx, files.paths, extraFiles);
  },
};

const LIFECYCLE = ['preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'prepare', 'postprepare'];

function planNode(install: Install, ctx: BuildContext, paths: Set<string>, extraFiles: readonly string[]): string | null {
  if (!ctx.has('package.json')) return `no package.json in the build context${excludedNote(ctx, 'package.json')}`;
  const pkg = parseJson(ctx.readText('package.json'));
  if (!pkg) return 'package.json is not valid JSON';
  paths.add('package.json');
  const lockfiles: Record<string, string[]> = {
    npm: ['package-lock.json', 'npm-shrinkwrap.json'],
    yarn: ['yarn.lock'],
    pnpm: ['pnpm-lock.yaml'],
  };
  const config: Record<string, string[]> = {
    npm: ['.npmrc'],
    yarn: ['.npmrc', '.yarnrc', '.yarnrc.yml', '.yarn/releases', '.yarn/plugins', '.yarn/patches', '.yarn/cache'],
    pnpm: ['.npmrc', '.pnpmfile.cjs', 'pnpm-workspace.yaml'],
  };
  const locks = lockfiles[install.ecosystem]!.filter((f) => ctx.has(f));
  for (const f of [...locks, ...config[install.ecosystem]!]) if (ctx.has(f)) paths.add(f);

  // Workspaces: the install needs every member's package.json at the same place.
  const members = workspaceMembers(install, pkg, ctx);
  if (typeof members === 'string') return members;
  const packages: [string, Record<string, any>][] = [['package.json', pkg]];
  for (const dir of members) {
    const file = `${dir}/package.json`;
    const member = parseJson(ctx.readText(file));
    if (!member) return `${file} is missing or not valid JSON`;
    paths.add(file);
    packages.push([file, member]);
  }

  for (const [file, manifest] of packages) {
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
      for (const [name, spec] of Object.entries((manifest[field] ?? {}) as Record<string, unknown>)) {
        if (typeof spec === 'string' && /^(file|link|portal):/.test(spec)) return `${file} depends on ${name} from a local path (${spec}), which needs the sources`;
      }
    }
    if (install.ignoresScripts) continue;
    const scripts = (manifest.scripts ?? {}) as Record<string, unknown>;
    for (const hook of LIFECYCLE) {
      const script = scripts[hook];
      if (typeof script !== 'string') continue;
      const needs = hookNeeds(script, scripts, manifest, ctx, extraFiles, new Set([hook]));
      if (typeof needs === 'string') return `the ${hook} script of ${file} ${needs}`;
      for (const p of needs) paths.add(p);
    }
  }
  const patched = (pkg.pnpm?.patchedDependencies ?? {}) as Record<string, string>;
  for (const patch of Object.values(patched)) if (typeof patch === 'string' && ctx.has(patch)) paths.add(patch);
  return null;
}

function workspaceMembers(install: Install, pkg: Record<string, any>, ctx: BuildContext): string[] | string {
  let globs: string[] = [];
  if (install.ecosystem === 'pnpm') {
    const yaml = ctx.readText('pnpm-workspace.yaml');
    if (yaml !== null) {
      const block = /^packages:\s*\n((?:\s+-.*\n?|\s*#.*\n?)*)/m.exec(yaml);
      if (!block && /^packages:/m.test(yaml)) return 'pnpm-workspace.yaml lists packages in a form stageopt does not read';
      globs = [...(block?.[1] ?? '').matchAll(/^\s+-\s*['"]?([^'"\n#]+?)['"]?\s*(#.*)?$/gm)].map((m) => m[1]!.trim());
    }
  } else {
    const ws = pkg.workspaces;
    globs = Array.isArray(ws) ? ws : Array.isArray(ws?.packages) ? ws.packages : [];
  }
  const members: string[] = [];
  for (const glob of globs) {
    if (typeof glob !== 'string') return 'the workspaces field is not a list of folders';
    if (glob.startsWith('!')) continue;
    const clean = glob.replace(/^\.\//, '').replace(/\/+$/, '');
    const star = /^([^*?[\]{}]+)\/\*$/.exec(clean);
    if (star) {
      for (const name of ctx.list(star[1]!) ?? []) {
        const dir = `${star[1]}/${name}`;
        if (ctx.has(`${dir}/package.json`)) members.push(dir);
      }
    } else if (/[*?[\]{}]/.test(clean)) {
      return `the workspace pattern "${glob}" is more than "folder/*", which stageopt does not expand`;
    } else if (ctx.has(`${clean}/package.json`)) {
      members.push(clean);
    }
  }
  return members;
}

/**
 * What an npm lifecycle script reads from the sources: a list of context paths to copy with the
 * manifests, or a sentence saying why it needs the sources.
 */
function hookNeeds(
  script: string,
  scripts: Record<string, unknown>,
  pkg: Record<string, any>,
  ctx: BuildContext,
  extraFiles: readonly string[],
  seen: Set<string>,
): string[] | string {
  const chain = andChain(script);
  if (!chain.ok) return `("${script}") cannot be read: ${chain.reason}`;
  const needs: string[] = [];
  for (const command of chain.commands) {
    let words = command.words;
    if (words[0] === 'npx' || (words[0] === 'yarn' && words[1] !== 'run') || words[0] === 'pnpm' && words[1] === 'exec') words = words.slice(words[0] === 'pnpm' ? 2 : 1);
    const [cmd, sub] = words;
    if (cmd === null || cmd === undefined) return `runs "${script.slice(command.start, command.end)}", which stageopt cannot follow`;
    if (cmd === 'patch-package') {
      if (ctx.has('patches')) needs.push('patches');
    } else if (cmd === 'prisma' && sub === 'generate') {
      const schema = typeof pkg.prisma?.schema === 'string' ? pkg.prisma.schema.replace(/^\.\//, '') : 'prisma/schema.prisma';
      if (!ctx.has(schema)) return `runs "prisma generate" but ${schema} is not in the build context`;
      needs.push(schema);
    } else if (cmd === 'husky' || cmd === 'is-ci' || cmd === 'ngcc' || cmd === 'true' || cmd === 'echo' || cmd === 'exit') {
      if (cmd === 'husky' && ctx.has('.git')) return 'runs husky, which reads .git from the build context';
    } else if ((cmd === 'npm' || cmd === 'yarn' || cmd === 'pnpm') && (sub === 'run' || sub === 'run-script')) {
      const target = words[2];
      if (!target || typeof scripts[target] !== 'string') return `runs "${script.slice(command.start, command.end)}", which names no script`;
      if (seen.has(target)) continue;
      seen.add(target);
      const inner = hookNeeds(scripts[target] as string, scripts, pkg, ctx, extraFiles, seen);
      if (typeof inner === 'string') return inner;
      needs.push(...inner);
    } else if (cmd === 'node' && sub && extraFiles.includes(sub.replace(/^\.\//, ''))) {
      needs.push(sub.replace(/^\.\//, ''));
    } else {
      return `runs "${script.slice(command.start, command.end)}", which may need the sources`;
    }
  }
  return needs;
}

