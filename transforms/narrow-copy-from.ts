// narrow-copy-from: `COPY --from=build /app /app` hands the runtime image everything the build
// stage had — sources, tests, dev dependencies, caches. Copy instead what that stage made and the
// runtime uses: the binary, the build output, production node_modules, package.json, a venv, the
// run-time folders — or decline, saying what could not be told.
import path from 'node:path';
import { Copy, Run, type Instruction } from 'dockerfile-ast';
import type { BuildContext } from '../src/build-context.js';
import { isSourceIndependent, recognize } from '../src/ecosystems.js';
import { replaceSpan } from '../src/edits.js';
import { nextConfigFiles } from '../src/stacks/node/build.js';
import { readPackageJson } from '../src/stacks/node/package-json.js';
import { runtimeUses, type Use } from '../src/run-time-needs.js';
import { andChain } from '../src/shell.js';
import { globRegExp, isUnder, lineage, readProducts, type Item, type StageProducts } from '../src/stage-products.js';
import { workingFolders } from '../src/workdirs.js';
import { copiesFrom, copyOperands, imageRepository, isBroadCopy, operandsOf, readStageRefs, readStages, resolveRef, type Stage, type StageRef } from '../src/stages.js';
import { defineTransform, type Finding, type TransformContext } from '../src/transform.js';

interface Options {
  runtimePaths: string[];
  buildOnlyPaths: string[];
}

type Ctx = TransformContext<Options>;

/** Exported for dockerignore, which never excludes what the app reads at run time. */
export const DEFAULT_RUNTIME_PATHS = ['views', 'public', 'static', 'templates', 'migrations', 'config', 'locales', 'i18n', 'translations', 'prisma', '.env', '.env.production'];
/**
 * Entries of the app folder that only the build and the developers use. Everything else the build
 * context put in the app folder is copied: an app reads files no static reading can find
 * (`readFileSync(path.join(__dirname, '../data/routes.json'))`), and a missing one breaks it.
 */
const DEFAULT_BUILD_ONLY_PATHS = [
  'src', 'test', 'tests', '__tests__', 'spec', 'e2e', 'docs', 'doc', 'coverage', 'scripts',
  '.git', '.github', '.gitlab-ci.yml', '.vscode', '.idea', '.husky', '.editorconfig', '.gitignore', '.gitattributes',
  '.dockerignore', 'Dockerfile*', 'docker-compose*', 'compose*.y*ml', 'Makefile', '*.md', 'tsconfig*.json',
  'jest.config.*', 'vitest.config.*', '.eslintrc*', 'eslint.config.*', '.prettierrc*', 'prettier.config.*',
  '.babelrc*', 'babel.config.*', 'webpack.config.*', 'vite.config.*', 'rollup.config.*', 'nodemon.json', '.nvmrc', '.npmrc', 'verify.json',
  // Sources and build files of compiled languages: the build output replaces them.
  '*.ts', '*.tsx', '*.mts', '*.cts', '*.go', '*.java', '*.kt', '*.scala', '*.cs', '*.fs', '*.rs', 'go.mod', 'go.sum', 'go.work*', 'vendor', 'pom.xml', 'mvnw*', '.mvn', 'build.gradle*', 'settings.gradle*',
  'gradlew*', 'gradle', '*.csproj', '*.sln', '*.fsproj', 'Cargo.toml', 'Cargo.lock',
];
/** Build-only folders that hold nothing a running app reads, whatever is in them. */
const NEVER_AT_RUN_TIME = new Set(['test', 'tests', '__tests__', 'spec', 'e2e', 'coverage', 'docs', 'doc', '.git', '.github', '.vscode', '.idea', '.husky', 'vendor', '.mvn', 'gradle']);
const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml'];
const KEPT_FLAGS = new Set(['from', 'chown', 'chmod', 'link']);
// Commands a runtime stage may run after the copy without reading what was copied.
const AFTER_COPY_OK = new Set(['apt-get', 'apt', 'apk', 'yum', 'dnf', 'microdnf', 'useradd', 'adduser', 'groupadd', 'addgroup', 'chown', 'chmod', 'mkdir', 'true', 'echo', 'rm', 'ln']);

export default defineTransform<Options>({
  id: 'narrow-copy-from',
  summary: 'Replace a copy of a whole build stage folder (`COPY --from=build /app /app`) with copies of the artifacts the runtime uses.',
  safety: 'unsafe',
  unsafeReason: 'the runtime stops receiving files the app might open at run time by a path the Dockerfile does not show; `stageopt verify` checks it',
  options: {
    runtimePaths: {
      type: 'string[]',
      default: DEFAULT_RUNTIME_PATHS,
      pattern: /^[A-Za-z0-9._@+-][A-Za-z0-9._@+\/-]*$/,
      description: 'Files and folders of the app folder that the app reads at run time, copied when the build context has them (even if also in buildOnlyPaths).',
    },
    buildOnlyPaths: {
      type: 'string[]',
      default: DEFAULT_BUILD_ONLY_PATHS,
      pattern: /^[A-Za-z0-9._@+*-][A-Za-z0-9._@+*\/-]*$/,
      description: 'Entries of the app folder (globs with `*`) that the app never reads at run time; every other entry of the build context is copied.',
    },
  },
  run(ctx) {
    const stages = readStages(ctx.source);
    if (stages.length < 2) return [];
    const findings: Finding[] = [];
    for (const ref of readStageRefs(ctx.source, stages)) {
      if (ref.kind !== 'copy-from') continue;
      const finding = narrow(ctx, stages, ref);
      if (finding) findings.push(finding);
    }
    return findings;
  },
});

/** Every build step of the chain copies files (not the whole context) or runs installs and source-free commands. */
function isDependencyStage(ctx: Ctx, chain: readonly Stage[]): boolean {
  return chain.every((stage) =>
    stage.instructions.every((instruction) => {
      const keyword = instruction.getKeyword();
      if (keyword === 'COPY' || keyword === 'ADD') return !isBroadCopy(instruction) && !copiesFrom(instruction);
      if (keyword !== 'RUN') return true;
      const args = instruction.getArguments();
      if (args.length === 0 || (instruction as Run).getOpeningBracket()) return false;
      const chain = andChain(ctx.source.text.slice(ctx.source.offsetAt(args[0]!.getRange().start), ctx.source.offsetAt(instruction.getRange().end)));
      return chain.ok && chain.commands.every((c) => recognize(c.words)?.kind === 'install' || isSourceIndependent(c.words));
    }),
  );
}

const clean = (p: string) => (p === '/' ? '/' : path.posix.normalize(p).replace(/\/+$/, '') || '/');

/** A finding for one `COPY --from`: a fix, a decline, or null when the copy is not of a whole folder. */
function narrow(ctx: Ctx, stages: readonly Stage[], ref: StageRef): Finding | null {
  const copy = ref.instruction as Copy;
  const ops = operandsOf(copy);
  if (ops.length !== 2) return null;
  const [src, dest] = ops as [string, string];
  const decline = (message: string): Finding => ({ key: 'decline', message, span: ctx.source.span(copy.getRange()) });
  const at = `COPY at line ${copy.getRange().start.line + 1}`;
  if (src.includes('$')) {
    const broad = /^\/?\$\{?\w+\}?\/?$/.test(src) && (dest === '.' || dest === './' || dest === '/' || clean(src) === clean(dest));
    return broad ? decline(`${at} names its folders with variables, so what it copies is not known`) : null;
  }
  const from = clean(src);
  const target = resolveRef(ref, stages);
  if (target.kind === 'image' || target.kind === 'variable') {
    return from === '/' ? decline(`${at} copies all of ${target.kind === 'image' ? `the image ${ref.value}` : `"${ref.value}"`}, not of a stage of this file, so what it made is not known`) : null;
  }
  if (target.kind !== 'stage') return null;
  const source = stages[target.index]!;
  const chain = lineage(source, stages);
  const workdir = chain && workingFolders(chain).end;
  if (!chain || !workdir) return from === '/' ? decline(`${at} copies from stage ${ref.value}, whose FROM or WORKDIR uses a variable`) : null;
  const whole = from === '/' || (workdir.set && from === workdir.dir) || contextFolders(chain).includes(from);
  if (!whole) return null;
  // A stage that only copies manifests and installs (split-stages' deps stage) holds nothing but
  // the manifests and what the install made: copying all of it is already the narrow copy.
  if (isDependencyStage(ctx, chain)) return null;

  // From here on the copy is of a whole folder: every way out is a fix or a reason.
  const name = source.name ?? String(source.index);
  if (ctx.buildContext.root === null) return decline(`${at} copies all of ${from} from stage ${name}, but the build context is unknown (stdin without --stdin-filepath or --context, or an ignore file stageopt cannot use), so its files cannot be listed`);
  const odd = copy.getFlags().find((f) => !KEPT_FLAGS.has(f.getName().toLowerCase()));
  if (odd) return decline(`${at} uses --${odd.getName()}, which narrowing would have to reproduce`);
  if (/(\r?\n|\r)[ \t]*#/.test(ctx.source.slice(ctx.source.span(copy.getRange())))) return decline(`${at} holds a comment line inside its continuation`);
  if (dest.includes('$')) return decline(`${at} names its destination with a variable`);
  if (ctx.source.escapeChar !== '\\') return decline(`the escape directive is not "\\", so RUN lines are not read as POSIX shell`);

  const runtime = stages.find((s) => s.instructions.includes(copy))!;
  const runtimeChain = lineage(runtime, stages);
  if (!runtimeChain) return decline(`the FROM of the stage holding ${at} uses a variable`);
  const destDir = destinationOf(runtimeChain, copy, dest);
  if (typeof destDir !== 'string') return decline(`${at}: ${destDir.reason}`);
  if (from === '/' && destDir !== '/') return decline(`${at} copies all of / into ${destDir}, a shape stageopt does not narrow`);
  const laterUse = stages.slice(runtime.index + 1).find((s) => usesStage(s, runtime, stages));
  if (laterUse) return decline(`stage ${runtime.name ?? runtime.index} is used again by the stage at line ${laterUse.from.getRange().start.line + 1}, which may read more of the copy`);
  const afterCopy = readsAfterCopy(runtime, copy);
  if (afterCopy) return decline(afterCopy);

  const read = readProducts(ctx.buildContext, stages, chain);
  if (!read.ok) return decline(`stage ${name}: ${read.reason}`);
  const products = read.products;
  const foreign = products.foreign.find((f) => isUnder(f.dest, from) || isUnder(from, f.dest));
  if (foreign) return decline(`stage ${name} puts files from ${foreign.what} into ${foreign.dest} (line ${foreign.line}), which stageopt cannot list`);
  if (!products.items.some((i) => i.role === 'build' && i.path !== from && isUnder(i.path, from))) {
    return decline(`no build step of stage ${name} writes into ${from}: the sources are the app, and which of them it needs cannot be told`);
  }
  if (from === '/') {
    const problem = rootCopyProblem(products, runtimeChain, name);
    if (problem) return decline(`${at} copies all of /: ${problem}`);
  }

  const runtimeWorkdir = workingFolders(runtimeChain).end!;
  const toBuild = (p: string) => (isUnder(p, destDir) ? path.posix.join(from, path.posix.relative(destDir, p)) : null);
  // Read once per folder: `npm start` asks for start, prestart and poststart, and scripts call scripts.
  const packages = new Map<string, Record<string, any> | null>();
  const packageAt = (dir: string) => {
    let pkg = packages.get(dir);
    if (pkg === undefined) {
      const built = toBuild(dir);
      const contextDir = built === null ? null : products.contextPath(built);
      pkg = contextDir === null ? null : readPackageJson(ctx.buildContext, contextDir);
      packages.set(dir, pkg);
    }
    return pkg;
  };
  const uses = runtimeUses(ctx.source, runtimeChain, runtimeWorkdir.dir, {
    script(dir, scriptName) {
      const pkg = packageAt(dir);
      if (pkg === null) return undefined;
      const text = pkg.scripts?.[scriptName];
      return typeof text === 'string' ? text : null;
    },
  });
  if (typeof uses === 'string') return decline(uses);

  const picked = pick(ctx, products, uses, { from, destDir, name, toBuild, appRoot: toBuild(runtimeWorkdir.dir) ?? products.workdir });
  if (typeof picked === 'string') return decline(picked);
  // Only a node_modules the runtime would get counts: a site served by `serve` needs none.
  const dev = products.devNodeModules.find((d) => isUnder(d.path, from) && picked.some((i) => isUnder(d.path, i.path) || isUnder(i.path, d.path)));
  if (dev) return decline(`${dev.path} in stage ${name} holds dev dependencies (the install at line ${dev.line} has no --omit=dev and no prune follows), so narrowing would ship them anyway; prune them first (npm prune --omit=dev)`);
  if (picked.length === 0 || picked.some((i) => i.path === from)) return null; // already exactly the artifact
  const unquotable = picked.find((i) => !/^[A-Za-z0-9._@+\/*-]+$/.test(i.path));
  if (unquotable) return decline(`the path ${unquotable.path} would need quoting`);

  const lines = copyLines(ctx, copy, picked, from, destDir, dest);
  const names = picked.map((i) => path.posix.relative(from, i.path) + (i.kind === 'dir' ? '/' : ''));
  return {
    key: `narrow-${copy.getRange().start.line}`,
    message: `copy only what stage ${name} made and the runtime uses (${names.join(', ')}) instead of all of ${from}`,
    span: ctx.source.span(copy.getRange()),
    fix: { edits: [replaceSpan(ctx.source.span(copy.getRange()), lines)] },
  };
}

/** Folders the whole build context was copied into (`COPY . /app`), found without reading the RUNs. */
function contextFolders(chain: readonly Stage[]): string[] {
  const folders: string[] = [];
  const workdirs = workingFolders(chain);
  for (const stage of chain) {
    for (const instruction of stage.instructions) {
      if (!isBroadCopy(instruction)) continue;
      const dest = copyOperands(instruction)!.dest;
      const cwd = workdirs.before(instruction);
      if (!dest.includes('$') && (cwd !== null || dest.startsWith('/'))) folders.push(clean(path.posix.resolve(cwd?.dir ?? '/', dest)));
    }
  }
  return folders;
}

/** The absolute folder a COPY's destination names in its stage, or why it is not known. */
function destinationOf(chain: readonly Stage[], copy: Instruction, dest: string): string | { reason: string } {
  if (dest.startsWith('/')) return clean(dest);
  const cwd = workingFolders(chain).before(copy);
  if (cwd === null) return { reason: 'a WORKDIR before it uses a variable' };
  if (!cwd.known) return { reason: `the destination ${dest} is relative and no WORKDIR is set, so it depends on the base image` };
  return clean(path.posix.resolve(cwd.dir, dest));
}

function usesStage(stage: Stage, used: Stage, stages: readonly Stage[]): boolean {
  if (stage.image !== null) {
    const base = resolveRef({ value: stage.image, inStage: stage.index }, stages);
    if (base.kind === 'stage' && base.index === used.index) return true;
  }
  return stage.instructions.some((i) =>
    (i instanceof Copy || i instanceof Run) &&
    i.getFlags().some((f) => {
      const values = f.getName().toLowerCase() === 'from' ? [f.getValue()] : f.getName().toLowerCase() === 'mount' ? f.getOptions().filter((o) => o.getName() === 'from').map((o) => o.getValue()) : [];
      return values.some((v) => {
        const t = v === null ? null : resolveRef({ value: v, inStage: stage.index }, stages);
        return t?.kind === 'stage' && t.index === used.index;
      });
    }),
  );
}

/** A RUN after the copy in the runtime stage that may read the copied files, as a sentence. */
function readsAfterCopy(runtime: Stage, copy: Instruction): string | null {
  const after = runtime.instructions.slice(runtime.instructions.indexOf(copy) + 1);
  for (const instruction of after) {
    if (!(instruction instanceof Run)) continue;
    const line = instruction.getRange().start.line + 1;
    const chain = instruction.getOpeningBracket() || instruction.getHeredocs().length > 0 ? null : andChain(instruction.getArgumentsContent() ?? '');
    if (!chain || !chain.ok) return `RUN at line ${line} runs after the copy and cannot be read`;
    const reader = chain.commands.find((c) => c.words[0] === null || !AFTER_COPY_OK.has(c.words[0]!));
    if (reader) return `RUN at line ${line} runs "${(instruction.getArgumentsContent() ?? '').slice(reader.start, reader.end)}" after the copy, which may read the copied files`;
  }
  return null;
}

/** Why copying less than all of `/` would lose something, or null. */
function rootCopyProblem(products: StageProducts, runtimeChain: readonly Stage[], name: string): string | null {
  if (products.systemChanges.length > 0) return `stage ${name} changes the system (${products.systemChanges[0]}), which the runtime would lose`;
  const built = products.baseImage;
  const runs = runtimeChain[0]!.image;
  if (!built || !runs || imageRepository(built) !== imageRepository(runs)) {
    return `the build image (${built}) is not the runtime image (${runs}), so the runtime may need system files only the build image has`;
  }
  return null;
}

interface Frame {
  from: string;
  destDir: string;
  name: string;
  toBuild(runtimePath: string): string | null;
  /** The app's folder in the build stage: where the runtime's working folder maps to. */
  appRoot: string;
}

/** The paths of the build stage to copy, or a sentence saying what could not be told. */
function pick(ctx: Ctx, products: StageProducts, uses: readonly Use[], frame: Frame): Item[] | string {
  const { from, name } = frame;
  const chosen: Item[] = [];
  const choose = (item: Item) => {
    if (!chosen.some((c) => c.path === item.path)) chosen.push(item);
  };
  const fromContext = (built: string, role: Item['role']): Item | null => {
    const rel = products.contextPath(built);
    if (rel === null || !ctx.buildContext.has(rel)) return null;
    return { path: built, kind: ctx.buildContext.isDirectory(rel) ? 'dir' : 'file', role };
  };
  const inside = (p: string) => p !== from && isUnder(p, from);

  for (const use of uses) {
    if (use.kind === 'next') {
      const dir = frame.toBuild(use.dir);
      if (dir === null) continue;
      const built = products.items.find((i) => i.path === path.posix.join(dir, '.next'));
      if (!built) return `${use.where} runs "next start", but stage ${name} builds no .next in ${dir}`;
      choose(built);
      const contextDir = products.contextPath(dir);
      for (const file of contextDir === null ? [] : nextConfigFiles(contextDir, ctx.buildContext)) choose({ path: path.posix.join(dir, file), kind: 'file', role: 'folder' });
      continue;
    }
    const built = frame.toBuild(use.path);
    if (built === null || built === from) continue; // outside the copy, or the folder itself: the copies make it
    const item = products.items.find((i) => covers(i, built));
    if (item) {
      if (inside(item.path)) choose(item);
      continue;
    }
    if (from === '/' && !isUnder(built, products.workdir)) continue; // a system path of the runtime image
    const contextItem = fromContext(built, 'folder');
    if (contextItem && use.kind === 'program' && !use.where.startsWith('HEALTHCHECK')) {
      const shown = path.posix.relative(from, built);
      return `${use.where} runs ${shown}, a file of the sources, not something the build of stage ${name} produces`;
    }
    if (contextItem) {
      choose(contextItem);
      continue;
    }
    // An ENV or VOLUME path that no known write made and the context did not hold was not in the
    // original image either (every write of the stage is known by now): nothing to copy.
    if (use.where.startsWith('ENV') || use.where.startsWith('VOLUME')) continue;
    return `${use.where} ${use.kind === 'program' ? 'runs' : 'reads'} ${use.path}, a path the build of stage ${name} does not produce`;
  }
  if (!chosen.some((i) => i.role === 'build')) return `the runtime's commands use nothing the build of stage ${name} produces, so what it needs is not known`;
  // Only a static file server runs (`serve -s build`): it reads the folders it serves and the
  // files its options name, and no code of the app runs to read anything else.
  if (uses.some((u) => u.kind === 'served') && !uses.some((u) => u.kind === 'program' || u.kind === 'next')) return ordered(chosen);

  // Dependencies and manifests of every Node package whose files are copied.
  for (const dir of products.nodePackages.filter((d) => isUnder(d, from))) {
    if (!chosen.some((c) => isUnder(c.path, dir))) continue;
    for (const file of ['package.json', ...LOCKFILES]) {
      const item = fromContext(path.posix.join(dir, file), 'deps');
      if (item) choose(item);
    }
    const modules = products.items.find((i) => i.path === path.posix.join(dir, 'node_modules'));
    if (modules) choose(modules);
  }
  // A venv or a `pip install --prefix` inside the folder: the Python packages the output imports.
  for (const item of products.items) if (item.role === 'deps' && inside(item.path) && path.posix.basename(item.path) !== 'node_modules') choose(item);
  // The app folder's package.json says how Node loads the output ("type": "module").
  const manifest = fromContext(path.posix.join(frame.appRoot, 'package.json'), 'deps');
  if (manifest && inside(manifest.path)) choose(manifest);
  for (const rel of ctx.options.runtimePaths) {
    const item = fromContext(path.posix.join(frame.appRoot, rel), 'folder');
    if (item && inside(item.path)) choose(item);
  }
  // Every other entry the build context put in the app folder, unless it is known to be build-only.
  const appContext = products.contextPath(frame.appRoot);
  const buildOnly = ctx.options.buildOnlyPaths.map((g) => globRegExp(g, true));
  for (const entry of appContext === null ? [] : (ctx.buildContext.list(appContext) ?? [])) {
    if (entry === 'node_modules') continue;
    const rel = appContext === '' ? entry : `${appContext}/${entry}`;
    // A build-only name settles it for a file and for folders nothing runs from (tests, docs). A
    // folder such as src/ or scripts/ is judged by what it holds: the build consumed its sources,
    // but a schema, a template or a JSON file beside them is read at run time (or regenerated).
    const named = buildOnly.some((re) => re.test(entry));
    if (named && (!ctx.buildContext.isDirectory(rel) || NEVER_AT_RUN_TIME.has(entry))) continue;
    if (onlySources(ctx.buildContext, rel, buildOnly)) continue;
    const abs = path.posix.join(frame.appRoot, entry);
    if (chosen.some((c) => covers(c, abs)) || products.items.some((i) => covers(i, abs) && i.role !== 'folder')) continue;
    const item = fromContext(abs, 'folder');
    if (item && inside(item.path)) choose(item);
  }
  // Folders made empty for the app to write in (uploads/, logs/).
  for (const dir of products.madeFolders) {
    if (!inside(dir) || products.contextPath(dir) !== null) continue;
    if (products.items.some((i) => isUnder(i.path, dir)) || chosen.some((c) => isUnder(c.path, dir) || isUnder(dir, c.path))) continue;
    choose({ path: dir, kind: 'dir', role: 'folder' });
  }
  // Nothing inside something else already chosen. Files first, then dependencies, the build output
  // and the run-time folders: what changes least goes first, so its layer stays cached longest
  // (the sort is stable: within a rank, the order they were chosen in).
  return ordered(chosen);
}

/** The picked paths without those inside another, in the order their layers change least first. */
function ordered(chosen: readonly Item[]): Item[] {
  const kept = chosen.filter((c) => !chosen.some((o) => o !== c && o.kind === 'dir' && isUnder(c.path, o.path) && c.path !== o.path));
  const rank = (i: Item) => (i.kind !== 'dir' ? 0 : i.role === 'deps' ? 1 : i.role === 'build' ? 2 : 3);
  return kept.sort((a, b) => rank(a) - rank(b));
}

/**
 * A folder of nothing but sources the build compiles (`internal/store/store.go`, `app/page.tsx`)
 * or build-only files: the build output replaces it. Plain `.js` counts as possibly read at run
 * time. Large folders are not walked through and count as needed.
 */
function onlySources(context: BuildContext, rel: string, buildOnly: readonly RegExp[]): boolean {
  if (!context.isDirectory(rel)) return false;
  const pending = [rel];
  let seen = 0;
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for (const entry of context.list(dir) ?? []) {
      if (++seen > 2000) return false;
      const child = `${dir}/${entry}`;
      if (context.isDirectory(child)) pending.push(child);
      else if (!buildOnly.some((re) => re.test(entry))) return false;
    }
  }
  return true;
}

function covers(item: Item, p: string): boolean {
  if (item.kind === 'glob') return globRegExp(item.path, true).test(p);
  return item.kind === 'dir' ? isUnder(p, item.path) : p === item.path;
}

/**
 * The replacement COPY lines: one per folder, one per group of files in the same folder. Flags
 * are kept as written, and the destination keeps the original's style (absolute or `./`).
 */
function copyLines(ctx: Ctx, copy: Copy, items: readonly Item[], from: string, destDir: string, dest: string): string {
  const source = ctx.source;
  const range = copy.getRange();
  const indent = /^[ \t]*/.exec(source.text.slice(source.lineStart(range.start.line)))![0];
  const keyword = copy.getInstruction();
  const flags = copy.getFlags().map((f) => ` --${f.getName()}${f.getValue() === null ? '' : `=${f.getValue()}`}`).join('');
  const relative = !dest.startsWith('/');
  const target = (rel: string, folder: boolean) => {
    const abs = path.posix.join(destDir, rel);
    const written = relative ? (rel === '' ? '.' : `./${rel}`) : abs;
    return folder && !written.endsWith('/') ? `${written}/` : written;
  };
  const lines: string[] = [];
  const groups = new Map<string, Item[]>();
  for (const item of items) {
    if (item.kind === 'dir') continue;
    const dir = path.posix.dirname(path.posix.relative(from, item.path));
    groups.set(dir, [...(groups.get(dir) ?? []), item]);
  }
  for (const [dir, files] of groups) {
    const rel = dir === '.' ? '' : dir;
    const single = files.length === 1 && files[0]!.kind === 'file';
    const to = single ? target(path.posix.relative(from, files[0]!.path), false) : target(rel, true);
    lines.push(`${keyword}${flags} ${files.map((f) => f.path).join(' ')} ${to}`);
  }
  for (const item of items) {
    if (item.kind === 'dir') lines.push(`${keyword}${flags} ${item.path} ${target(path.posix.relative(from, item.path), false)}`);
  }
  return lines.join(source.eol + indent);
}
