// The one reader of "which package.json script does this command start": `npm start`, `npm run x`,
// `yarn x`, `pnpm run x`. Build steps and start commands both ask it; each decides what extra
// arguments it accepts.

export interface ScriptStart {
  name: string;
  /** `npm start` / `npm test`: npm's own lifecycle commands, which run a script of that name. */
  lifecycle: boolean;
  /** Words after the script's name (`npm run build -- --prod`). */
  extra: number;
}

/** yarn's and pnpm's own commands (`yarn add`, `pnpm store` …): any other word in their place is a script name. */
export const YARN_PNPM_COMMANDS: ReadonlySet<string> = new Set([
  'install', 'i', 'ci', 'add', 'remove', 'prune', 'cache', 'config', 'global', 'link', 'unlink', 'why', 'workspaces', 'workspace', 'fetch',
  'exec', 'dlx', 'store', 'rebuild', 'import', 'audit', 'outdated', 'upgrade', 'up', 'update', 'pack', 'publish', 'node', 'info', 'init',
  'version', 'bin', 'check', 'list', 'login', 'logout', 'licenses', 'create', 'autoclean', 'help', 'set', 'plugin', 'constraints', 'npm',
  'dedupe', 'env', 'root', 'setup', 'patch',
]);
/** npm's commands that run the script of their name (`npm t` is `npm test`). */
export const NPM_SCRIPT_COMMANDS: ReadonlySet<string> = new Set(['start', 'test', 't', 'tst', 'stop', 'restart']);
/** npm's `run` and the aliases npm accepts for it. */
export const NPM_RUN: ReadonlySet<string> = new Set(['run', 'run-script', 'rum', 'urn']);

/** The script an npm lifecycle command runs: `npm t` → test. */
export function lifecycleScript(sub: string): string {
  return sub === 't' || sub === 'tst' ? 'test' : sub;
}

/** The script a command starts, or null when it starts none. */
export function scriptStarted(words: readonly (string | null)[]): ScriptStart | null {
  const [cmd, sub, name] = words;
  if (cmd !== 'npm' && cmd !== 'yarn' && cmd !== 'pnpm') return null;
  if (typeof sub !== 'string') return null;
  if (cmd === 'npm' && NPM_SCRIPT_COMMANDS.has(sub)) return { name: lifecycleScript(sub), lifecycle: true, extra: words.length - 2 };
  if ((cmd === 'npm' && NPM_RUN.has(sub)) || sub === 'run' || sub === 'run-script') {
    return typeof name === 'string' && !name.startsWith('-') ? { name, lifecycle: false, extra: words.length - 3 } : null;
  }
  // `yarn build`, `pnpm build`: a script name in the place of a subcommand.
  if (cmd !== 'npm' && !sub.startsWith('-') && !YARN_PNPM_COMMANDS.has(sub)) return { name: sub, lifecycle: false, extra: words.length - 2 };
  return null;
}
