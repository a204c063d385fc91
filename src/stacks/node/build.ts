// What a Node build writes: the folders `npm run build` (and the tools its script runs) leave in
// the package folder, read from the project the way the tools read it (tsconfig `outDir`, the
// framework's fixed output folder). Used to copy the build output to a runtime stage and no more.
import path from 'node:path';
import type { BuildContext } from '../../build-context.js';
import { parseJsonc } from '../../jsonc.js';
import { andChain, flagValue } from '../../shell.js';
import { scriptStarted } from './scripts.js';

export interface NodeBuild {
  /** Folders (or files) the build writes, relative to the package folder. */
  outputs: string[];
}

type Words = readonly (string | null)[];

/** `npm run build`, `yarn build`, `pnpm run build`: the script a build step runs, without extra arguments (they may change what it writes). */
export function buildScript(words: Words): string | null {
  const started = scriptStarted(words);
  return started !== null && !started.lifecycle && started.extra === 0 ? started.name : null;
}

/** What running the package script `name` writes, or a sentence saying why that cannot be told. */
export function scriptOutputs(name: string, pkg: Record<string, any>, dir: string, ctx: BuildContext, seen = new Set<string>()): NodeBuild | string {
  const script = pkg.scripts?.[name];
  if (typeof script !== 'string') return `package.json has no "${name}" script`;
  if (seen.has(name)) return { outputs: [] };
  seen.add(name);
  const build: NodeBuild = { outputs: [] };
  for (const hook of [`pre${name}`, name, `post${name}`]) {
    const text = pkg.scripts?.[hook];
    if (typeof text !== 'string') continue;
    const chain = andChain(text);
    if (!chain.ok) return `the "${hook}" script ("${text}") cannot be read: ${chain.reason}`;
    for (const command of chain.commands) {
      const one = commandOutputs(command.words, pkg, dir, ctx, seen);
      if (typeof one === 'string') return `the "${hook}" script ${one}`;
      build.outputs.push(...one.outputs);
    }
  }
  return build;
}

// Commands that write nothing the run time needs (cleaning, checks, messages, generated clients
// that land in node_modules).
const NO_OUTPUT = new Set(['rimraf', 'rm', 'del', 'del-cli', 'echo', 'true', 'tsc-alias', 'eslint', 'prettier', 'jest', 'vitest', 'mkdirp']);

/** What one command of a build script writes, relative to the package folder. */
export function commandOutputs(rawWords: Words, pkg: Record<string, any>, dir: string, ctx: BuildContext, seen: Set<string>): NodeBuild | string {
  let words = rawWords;
  // Launchers that run the next words as the command: `npx tsc`, `cross-env NODE_ENV=production vite build`.
  for (;;) {
    if (words[0] === 'npx') words = words.slice(1);
    else if ((words[0] === 'pnpm' || words[0] === 'yarn') && words[1] === 'exec') words = words.slice(2);
    else if (words[0] === 'cross-env') {
      words = words.slice(1);
      while (words[0]?.includes('=')) words = words.slice(1);
    } else break;
  }
  const shown = words.map((w) => w ?? '…').join(' ');
  if (words.some((w) => w === null)) return `runs "${shown}", whose words hold variables or quotes stageopt does not read`;
  const w = words as string[];
  const [cmd, sub] = w;
  const none: NodeBuild = { outputs: [] };
  const one = (...outputs: string[]): NodeBuild => ({ outputs });
  const flag = (...names: string[]) => flagValue(w, ...names);

  const script = buildScript(w);
  if (script !== null) return scriptOutputs(script, pkg, dir, ctx, seen);
  if (cmd === undefined || NO_OUTPUT.has(cmd)) return none;
  switch (cmd) {
    case 'prisma':
      return sub === 'generate' ? none : `runs "${shown}", which stageopt does not know`;
    case 'tsc':
      return tscOutputs(w, dir, ctx);
    case 'nest':
      if (sub !== 'build') break;
      return tscOutputs(['tsc', '-p', ctx.has(path.posix.join(dir, 'tsconfig.build.json')) ? 'tsconfig.build.json' : 'tsconfig.json'], dir, ctx, 'dist');
    case 'next':
      if (sub === 'build') {
        const config = nextConfig(dir, ctx);
        if (config && /\bdistDir\b/.test(config)) return 'runs "next build" with a distDir in next.config, which stageopt does not read';
        return { outputs: config && /output\s*:\s*['"]export['"]/.test(config) ? ['.next', 'out'] : ['.next'] };
      }
      if (sub === 'export') return one(flag('-o', '--outdir') ?? 'out');
      break;
    case 'vite':
      if (sub !== 'build') break;
      if (flag('--outDir')) return one(flag('--outDir')!);
      if (configMentions(dir, ctx, 'vite.config', /\boutDir\b/)) return 'runs "vite build" with an outDir in vite.config, which stageopt does not read';
      return one('dist');
    case 'react-scripts':
    case 'craco':
      return sub === 'build' ? one('build') : `runs "${shown}", which stageopt does not know`;
    case 'vue-cli-service':
      return sub === 'build' ? one(flag('--dest') ?? 'dist') : `runs "${shown}", which stageopt does not know`;
    case 'astro':
      return sub === 'build' ? one('dist') : `runs "${shown}", which stageopt does not know`;
    case 'ng':
      return sub === 'build' ? angularOutputs(dir, ctx) : `runs "${shown}", which stageopt does not know`;
    case 'babel':
    case 'swc': {
      const out = flag('-d', '--out-dir', '-o', '--out-file');
      return out ? one(out) : `runs "${shown}" without an output folder (-d)`;
    }
    case 'esbuild': {
      const out = flag('--outdir', '--outfile');
      return out ? one(out) : `runs "${shown}" without --outdir or --outfile`;
    }
    case 'tsup': {
      if (configMentions(dir, ctx, 'tsup.config', /\boutDir\b/)) return 'runs tsup with an outDir in tsup.config, which stageopt does not read';
      return one(flag('-d', '--out-dir') ?? 'dist');
    }
    case 'webpack':
      return webpackOutputs(w, dir, ctx);
  }
  return `runs "${shown}", which stageopt does not know`;
}

function tscOutputs(words: readonly string[], dir: string, ctx: BuildContext, fallback?: string): NodeBuild | string {
  if (words.includes('--noEmit')) return { outputs: [] };
  const outDir = flagValue(words, '--outDir');
  if (outDir) return { outputs: [outDir] };
  let project = flagValue(words, '-p', '--project', '-b', '--build') ?? 'tsconfig.json';
  if (!project.endsWith('.json')) project = path.posix.join(project, 'tsconfig.json');
  const found = tsconfigOutDir(path.posix.join(dir, project), ctx, 0);
  if (typeof found === 'string' && found.startsWith('!')) return found.slice(1);
  if (found === null) return fallback ? { outputs: [fallback] } : `runs tsc, but ${project} sets no outDir, so the output lands beside the sources`;
  // outDir is relative to the tsconfig that sets it; the caller wants it relative to the package.
  return { outputs: [path.posix.relative(dir, found)] };
}

/** The outDir a tsconfig (or the one it extends) sets, as a context path; null when none; "!reason" when unreadable. */
function tsconfigOutDir(file: string, ctx: BuildContext, depth: number): string | null {
  const text = ctx.readText(file);
  if (text === null) return `!runs tsc, but ${file} is not in the build context`;
  const config = parseJsonc(text) as { compilerOptions?: { outDir?: unknown }; extends?: unknown } | null;
  if (config === null || typeof config !== 'object') return `!runs tsc, but ${file} cannot be read`;
  const outDir = config.compilerOptions?.outDir;
  if (typeof outDir === 'string') return path.posix.normalize(path.posix.join(path.posix.dirname(file), outDir));
  const parent = config.extends;
  if (typeof parent === 'string' && parent.startsWith('.') && depth < 5) {
    return tsconfigOutDir(path.posix.normalize(path.posix.join(path.posix.dirname(file), parent.endsWith('.json') ? parent : parent + '.json')), ctx, depth + 1);
  }
  return null;
}

const CONFIG_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts'];

function configText(dir: string, ctx: BuildContext, base: string): string | null {
  for (const ext of CONFIG_EXTENSIONS) {
    const text = ctx.readText(path.posix.join(dir, base + ext));
    if (text !== null) return text;
  }
  return null;
}

function configMentions(dir: string, ctx: BuildContext, base: string, pattern: RegExp): boolean {
  return pattern.test(configText(dir, ctx, base) ?? '');
}

export function nextConfig(dir: string, ctx: BuildContext): string | null {
  return configText(dir, ctx, 'next.config');
}

/** The next.config.* files that exist in a context folder (`next start` reads them). */
export function nextConfigFiles(dir: string, ctx: BuildContext): string[] {
  return CONFIG_EXTENSIONS.map((ext) => `next.config${ext}`).filter((f) => ctx.has(path.posix.join(dir, f)));
}

function angularOutputs(dir: string, ctx: BuildContext): NodeBuild | string {
  const text = ctx.readText(path.posix.join(dir, 'angular.json'));
  if (text === null) return { outputs: ['dist'] };
  const config = parseJsonc(text) as { projects?: Record<string, any> } | null;
  const paths = new Set<string>();
  for (const project of Object.values(config?.projects ?? {})) {
    const out = project?.architect?.build?.options?.outputPath;
    if (typeof out === 'string') paths.add(out);
    else if (typeof out?.base === 'string') paths.add(out.base);
  }
  if (paths.size === 0) return { outputs: ['dist'] };
  return { outputs: [...paths] };
}

function webpackOutputs(words: readonly string[], dir: string, ctx: BuildContext): NodeBuild | string {
  const flagged = flagValue(words, '--output-path', '-o');
  if (flagged) return { outputs: [flagged] };
  const config = configText(dir, ctx, 'webpack.config');
  if (config === null || !/\boutput\s*:/.test(config)) return { outputs: ['dist'] };
  // The common form: output: { path: path.resolve(__dirname, 'build') }. Anything else is not read.
  const paths = [...config.matchAll(/\bpath\s*:\s*path\.(?:resolve|join)\(\s*__dirname\s*,\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
  if (paths.length === 0 && /\bpath\s*:/.test(config)) return 'runs webpack with an output path in webpack.config that stageopt does not read';
  return { outputs: paths.length > 0 ? paths : ['dist'] };
}
