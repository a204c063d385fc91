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

// yarn's and pnpm's own commands: `yarn add`, `pnpm store` …; any other word is a script name.
const YARN_PNPM_COMMANDS = new Set(['install', 'i', 'add', 'remove', 'prune', 'cache', 'config', 'global', 'link', 'unlink', 'why', 'workspaces', 'workspace', 'fetch', 'exec', 'dlx', 'store', 'rebuild', 'import', 'audit', 'outdated', 'upgrade', 'up', 'update', 'pack', 'publish', 'node']);
const NPM_LIFECYCLE = new Set(['start', 'test', 'stop', 'restart']);

/** The script a command starts, or null when it starts none. */
export function scriptStarted(words: readonly (string | null)[]): ScriptStart | null {
  const [cmd, sub, name] = words;
  if (cmd !== 'npm' && cmd !== 'yarn' && cmd !== 'pnpm') return null;
  if (typeof sub !== 'string') return null;
  if (cmd === 'npm' && NPM_LIFECYCLE.has(sub)) return { name: sub, lifecycle: true, extra: words.length - 2 };
  if (sub === 'run' || sub === 'run-script') {
    return typeof name === 'string' && !name.startsWith('-') ? { name, lifecycle: false, extra: words.length - 3 } : null;
  }
  // `yarn build`, `pnpm build`: a script name in the place of a subcommand.
  if (cmd !== 'npm' && !sub.startsWith('-') && !YARN_PNPM_COMMANDS.has(sub)) return { name: sub, lifecycle: false, extra: words.length - 2 };
  return null;
}
