// Programs that compile or bundle the app as it starts: a start path through one runs the sources,
// not a build output, and needs the compiler (a dev dependency) in the final image. The split
// declines such an app by default (issue #12, shape 10): a runtime that ran a build output instead
// would change CMD, and one that keeps the dev dependencies to compile at start is still a
// development image. `splitCompilingAtStart` opts in to the latter.
import type { StartUse } from './start-path.js';

/** Programs that compile whatever they are given. */
const COMPILERS = new Set(['babel-node', 'ts-node', 'ts-node-dev', 'ts-node-esm', 'tsx', 'esno', 'esr', 'swc-node', 'webpack-dev-server']);

/** Modules that hook node's loader to compile what it loads (`node -r ts-node/register`, `--import tsx`). */
const COMPILING_MODULES = /^(ts-node\/(register|esm)|@babel\/register|tsx(\/.*)?|esbuild-register(\/.*)?|@swc\/register|@swc-node\/register(\/.*)?|sucrase\/register(\/.*)?)$/;

/** Tools whose subcommand says whether they serve (compile at start) or build once. */
const DEV_SUBCOMMANDS: Record<string, (first: string | null | undefined) => boolean> = {
  'react-scripts': (sub) => sub === 'start',
  'vue-cli-service': (sub) => sub === 'serve',
  next: (sub) => sub === 'dev',
  nuxt: (sub) => sub === 'dev',
  nuxi: (sub) => sub === 'dev',
  ng: (sub) => sub === 'serve' || sub === 's',
  webpack: (sub) => sub === 'serve' || sub === 'server',
  // `vite` alone is its dev server; `vite build` and `vite preview` serve or make a build output.
  vite: (sub) => sub === undefined || sub === null || sub === 'dev' || sub === 'serve' || sub.startsWith('-'),
  parcel: (sub) => sub !== 'build',
};

/** The program (with its subcommand) by which this use compiles the app at start, or null. */
export function compilerAtStart(use: StartUse): string | null {
  if (COMPILERS.has(use.program) || COMPILING_MODULES.test(use.program)) return use.program;
  const sub = use.args?.[0];
  if (!DEV_SUBCOMMANDS[use.program]?.(sub)) return null;
  return sub && !sub.startsWith('-') ? `${use.program} ${sub}` : use.program;
}
