// The command line, defined once. yargs builds the help, the version output and every usage error
// from this table; but yargs takes ~110 ms to load, most of a single-file run, so an ordinary
// command line is read with yargs-parser (the parser yargs itself uses, ~15 ms) configured from
// the same table. Anything unusual — --help, --version, an unknown option, a bad value — goes to
// full yargs, which prints exactly what it always did.
import fs from 'node:fs';
import path from 'node:path';
import yargsParser from 'yargs-parser';

type Spec = {
  type: 'boolean' | 'string' | 'number';
  array?: boolean;
  alias?: string;
  choices?: readonly string[];
  describe: string;
  defaultDescription?: string;
};

export const OPTIONS = {
  'dry-run': { type: 'boolean', describe: 'Print diffs, write nothing; exit 1 when a file would change' },
  write: { type: 'boolean', describe: 'Apply changes without asking' },
  only: { type: 'string', array: true, describe: 'Run only these transforms (comma-separated ids)' },
  skip: { type: 'string', array: true, describe: 'Do not run these transforms (comma-separated ids)' },
  unsafe: { type: 'boolean', describe: 'Also apply fixes of transforms marked unsafe' },
  ignore: { type: 'string', array: true, describe: 'gitignore-style pattern of paths to skip (relative to each folder given)' },
  'trust-config': { type: 'boolean', describe: 'Allow JavaScript config files (they run code)' },
  jobs: { type: 'number', alias: 'j', describe: 'Files processed in parallel (worker threads)', defaultDescription: 'the number of cores' },
  'repos-from': { type: 'string', describe: 'Read more paths (repositories, folders, files) from this file, one per line' },
  context: { type: 'string', describe: 'Build context folder for every Dockerfile (default: config "context", else the Dockerfile\'s folder)' },
  'stdin-filepath': { type: 'string', describe: 'With "-": the path the stdin text stands for, to find its config and build context' },
  format: { type: 'string', choices: ['text', 'json', 'sarif'], describe: 'Output format: text, one JSON document, or SARIF 2.1.0 for code scanning', defaultDescription: 'text' },
  'patch-dir': { type: 'string', describe: 'Also write one git-apply-able patch per repository into this folder' },
  report: { type: 'string', describe: 'Also write a Markdown summary of the run to this file, per repository and file (fixes, declines, errors, --verify figures): the text of a pull request' },
  verify: { type: 'boolean', describe: 'With --dry-run or in the review: build each change and show whether it is equivalent (see "stageopt verify --help")' },
  network: { type: 'string', describe: 'With --verify: the smoke containers\' network', defaultDescription: 'none' },
  'build-network': { type: 'string', choices: ['default', 'host', 'none'], describe: 'With --verify: the builds\' network', defaultDescription: "docker's default" },
  quiet: { type: 'boolean', alias: 'q', describe: 'Print only errors' },
  color: { type: 'boolean', describe: 'Colour output (default: when writing to a terminal)' },
  'list-transforms': { type: 'boolean', describe: 'List the transforms and exit' },
  explain: { type: 'string', describe: 'Print the documentation of a transform and exit' },
} as const satisfies Record<string, Spec>;

export interface CliArgs {
  paths: string[];
  dryRun?: boolean;
  write?: boolean;
  only?: string[];
  skip?: string[];
  unsafe?: boolean;
  ignore?: string[];
  trustConfig?: boolean;
  jobs?: number;
  reposFrom?: string;
  context?: string;
  stdinFilepath?: string;
  format: 'text' | 'json' | 'sarif';
  patchDir?: string;
  report?: string;
  verify?: boolean;
  network?: string;
  buildNetwork?: 'default' | 'host' | 'none';
  quiet?: boolean;
  color?: boolean;
  listTransforms?: boolean;
  explain?: string;
  /** Set when yargs printed help or the version: nothing else to do. */
  printed?: boolean;
}

export class UsageError extends Error {}

/** --only / --skip values (repeated or comma-separated) as ids, each checked against the registry. */
export function idList(values: unknown, registry: readonly { id: string }[]): string[] | null {
  if (values === undefined) return null;
  const ids = (Array.isArray(values) ? values : [values]).flatMap((v) => String(v).split(',')).map((s) => s.trim()).filter(Boolean);
  for (const id of ids) {
    if (!registry.some((t) => t.id === id)) throw new UsageError(`unknown transform "${id}" (see --list-transforms)`);
  }
  return ids;
}

/** --context as an absolute folder (null when not given); a missing folder is a usage error. */
export function contextOption(given: string | undefined): string | null {
  if (given === undefined) return null;
  const context = path.resolve(given);
  if (!fs.statSync(context, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`--context ${given}: no such folder`);
  return context;
}

// yargs drops a bare "-" from positionals, so it travels through the parser under another name.
export const STDIN = '\0stdin';

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
const specs = Object.entries(OPTIONS) as [string, Spec][];
const known = new Set(specs.flatMap(([name, spec]) => [name, camel(name), ...('alias' in spec && spec.alias ? [spec.alias] : [])]));

/** The fast path: the parsed arguments, or null when full yargs must judge the command line. */
export function fastParse(argv: readonly string[]): CliArgs | null {
  const parsed = yargsParser([...argv], {
    boolean: specs.filter(([, s]) => s.type === 'boolean').map(([n]) => n),
    string: specs.filter(([, s]) => s.type === 'string').map(([n]) => n),
    number: specs.filter(([, s]) => s.type === 'number').map(([n]) => n),
    array: specs.filter(([, s]) => s.array).map(([n]) => n),
    alias: Object.fromEntries(specs.filter(([, s]) => s.alias).map(([n, s]) => [n, [s.alias!]])),
    configuration: { 'greedy-arrays': false, 'strip-aliased': true },
  });
  for (const key of Object.keys(parsed)) if (key !== '_' && key !== '--' && !known.has(key)) return null; // unknown: yargs explains
  for (const [name, spec] of specs) {
    const value = parsed[name];
    if (value === undefined) continue;
    if (spec.choices && !spec.choices.includes(String(value))) return null;
    if (spec.type === 'number' && Number.isNaN(value)) return null;
    if (spec.type === 'string' && !spec.array && (typeof value !== 'string' || value === '')) return null; // a missing or repeated value
  }
  if (parsed['dry-run'] && parsed.write) return null;
  const args: Record<string, unknown> = { paths: parsed._.map(String), format: parsed.format ?? 'text' };
  for (const [name] of specs) if (parsed[name] !== undefined && name !== 'format') args[camel(name)] = parsed[name];
  return args as unknown as CliArgs;
}

export async function parseArgs(argv: readonly string[], version: string): Promise<CliArgs> {
  const input = argv.map((a) => (a === '-' ? STDIN : a));
  // `stageopt --version` alone is what scripts and bug reports run: it prints what yargs prints
  // without loading yargs. With anything else on the line, yargs judges it.
  if (input.length === 1 && input[0] === '--version') {
    process.stdout.write(`${version}\n`);
    return { paths: [], format: 'text', printed: true };
  }
  if (!input.some((a) => /^(-h|--help|--version)$/.test(a))) {
    const fast = fastParse(input);
    if (fast) return fast;
  }
  return fullParse(input, version);
}

export async function fullParse(argv: string[], version: string): Promise<CliArgs> {
  const { default: yargs } = await import('yargs');
  let cli = yargs(argv)
    .scriptName('stageopt')
    .usage('$0 [paths..]\n\nRewrites Dockerfiles for smaller images and cheaper rebuilds without changing what they build.\nOn a terminal it shows each change and asks before writing; elsewhere it behaves like --dry-run.')
    .command('$0 [paths..]', false)
    .positional('paths', { type: 'string', array: true, defaultDescription: '"." unless --repos-from gives paths', describe: 'Files or folders to process; "-" reads stdin and writes the result to stdout' });
  for (const [name, spec] of specs) cli = cli.option(name, { ...spec });
  const parsed = await cli
    .conflicts('dry-run', 'write')
    .example('$0', 'Review changes for every Dockerfile under the current folder')
    .example('$0 --dry-run services/', 'Show what would change; exit 1 if anything would (for CI)')
    .example('$0 --write --only name-stages .', 'Apply one transform everywhere without asking')
    .example('$0 - < Dockerfile > Dockerfile.new', 'Filter stdin to stdout')
    .example('$0 --dry-run --format json --repos-from repos.txt', 'Check many repositories; one JSON document')
    .example('$0 --explain name-stages', 'Read what a transform does and when it declines')
    .example('$0 verify --http 3000/health app/', 'Build the original and the rewrite and prove they behave the same (see "$0 verify --help")')
    .version(version)
    .help()
    .alias('h', 'help')
    .parserConfiguration({ 'greedy-arrays': false })
    .strict()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      throw new UsageError(msg || err?.message || 'invalid arguments');
    })
    .parseAsync();
  return { ...(parsed as unknown as CliArgs), paths: (parsed.paths as string[] | undefined) ?? [], format: (parsed.format as CliArgs['format']) ?? 'text', printed: Boolean(parsed.help || parsed.version) };
}
