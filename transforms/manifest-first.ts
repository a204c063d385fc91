// manifest-first: `COPY . .` followed by a dependency install reinstalls every dependency on every
// source edit. Copy exactly the manifests the install reads first, run the install, then copy the
// sources — or decline, saying what the install reads besides its manifests.
import path from 'node:path';
import { Run, type Instruction } from 'dockerfile-ast';
import type { BuildContext } from '../src/build-context.js';
import { ECOSYSTEMS, isSourceIndependent, planManifests, recognize, type Ecosystem, type Install } from '../src/ecosystems.js';
import { replaceSpan, insertAt, type TextEdit } from '../src/edits.js';
import { andChain, type SimpleCommand } from '../src/shell.js';
import type { Source, Span } from '../src/source.js';
import { copiesFrom, copyOperands, flagsOf, isBroadCopy, readStages, type Stage } from '../src/stages.js';
import { defineTransform, type Finding, type TransformContext } from '../src/transform.js';
import { blankLineAbove, blockStart } from '../src/stacks/stage-text.js';

interface Options {
  ecosystems: string[];
  extraFiles: string[];
}

type Ctx = TransformContext<Options>;

// Instructions that may sit between `COPY . .` and the install when the install moves: they stay
// ahead of it, so it still sees them; none of them reads the sources or moves the working folder.
const METADATA = new Set(['ENV', 'ARG', 'USER', 'LABEL', 'EXPOSE', 'SHELL', 'STOPSIGNAL', 'HEALTHCHECK', 'CMD', 'ENTRYPOINT', 'VOLUME', 'MAINTAINER']);
const COPY_FLAGS_KEPT = new Set(['chown', 'chmod', 'link']);
// Variables that change what a package manager downloads or from where.
const DOWNLOAD_VARIABLES = /^(GO(FLAGS|PROXY|PRIVATE|NOPROXY|NOSUMDB|SUMDB|INSECURE|WORK|TOOLCHAIN|PATH|MODCACHE)|PIP_.*|POETRY_.*|UV_.*|COMPOSER.*|npm_config_.*|NPM_CONFIG_.*|YARN_.*|BUNDLE_.*|HTTPS?_PROXY|https?_proxy)$/;
// Quick filter before paying for a shell parse: does a RUN mention a package manager at all?
const MENTIONS_INSTALL = /\b(npm|yarn|pnpm|pip3?|pipenv|poetry|uv|go|bundle|composer|mvn|mvnw|gradle|gradlew|cargo)\b/;

export default defineTransform<Options>({
  id: 'manifest-first',
  summary: 'Copy dependency manifests and run the install before `COPY . .`, so source edits keep the install cached.',
  safety: 'safe',
  options: {
    ecosystems: {
      type: 'string[]',
      default: [...ECOSYSTEMS],
      pattern: new RegExp(`^(${ECOSYSTEMS.join('|')})$`),
      description: `Package managers to handle (${ECOSYSTEMS.join(', ')}); leave one out to turn it off.`,
    },
    extraFiles: {
      type: 'string[]',
      default: [],
      pattern: /^[^\s*?[\]]+$/,
      description: 'More build-context paths to copy with the manifests (e.g. a script a postinstall hook runs).',
    },
  },
  run(ctx) {
    const findings: Finding[] = [];
    for (const stage of readStages(ctx.source)) {
      const finding = analyzeStage(ctx, stage);
      if (finding) findings.push(finding);
    }
    return findings;
  },
});

interface RunScript {
  /** The shell script (shell form) and where it starts, or null for the exec form. */
  script: string | null;
  scriptStart: number;
  /** The RUN keyword and flags as written, reused for the RUN lines written back. */
  keyword: string;
  flagsText: string;
  words: string[] | null;
}

function readRun(ctx: Ctx, run: Run): RunScript | null {
  const source = ctx.source;
  const keywordEnd = source.offsetAt(run.getInstructionRange().end);
  const end = source.offsetAt(run.getRange().end);
  if (run.getHeredocs().length > 0) return null;
  if (run.getOpeningBracket()) {
    return { script: null, scriptStart: end, keyword: run.getInstruction(), flagsText: '', words: run.getJSONStrings().map((s) => s.getJSONValue()) };
  }
  const args = run.getArguments();
  if (args.length === 0) return null;
  const scriptStart = source.offsetAt(args[0]!.getRange().start);
  return { script: source.text.slice(scriptStart, end), scriptStart, keyword: run.getInstruction(), flagsText: source.text.slice(keywordEnd, scriptStart), words: null };
}

interface Candidate {
  run: Run;
  runScript: RunScript;
  install: Install;
  /** Index of the install command in the `&&` chain, and the chain (null for exec form). */
  index: number;
  commands: SimpleCommand[] | null;
}

type Search = { found: Candidate } | { decline: string } | null;

function findInstall(ctx: Ctx, run: Run, enabled: ReadonlySet<string>): Search {
  const content = run.getArgumentsContent() ?? '';
  if (!MENTIONS_INSTALL.test(content)) return null;
  const line = ctx.source.lineNumberAt(ctx.source.offsetAt(run.getRange().start));
  const runScript = readRun(ctx, run);
  if (!runScript) return run.getHeredocs().length > 0 && /\b(npm|yarn|pnpm|pip3?|bundle|composer|go)\s/.test(content) ? { decline: `the RUN at line ${line} is a heredoc, which stageopt does not split` } : null;
  if (runScript.words) {
    const recognized = recognize(runScript.words);
    if (recognized?.kind === 'install' && enabled.has(recognized.install.ecosystem)) return { found: { run, runScript, install: recognized.install, index: 0, commands: null } };
    return recognized?.kind === 'decline' ? { decline: `RUN at line ${line}: ${recognized.reason}` } : null;
  }
  const script = runScript.script!;
  if (/^[ \t]*#/m.test(script.split(/\r?\n/).slice(1).join('\n'))) {
    return { decline: `the RUN at line ${line} has comment lines inside its continuation` };
  }
  const chain = andChain(script);
  if (!chain.ok) {
    // Only worth a word when the script looks like it installs something.
    const looksLikeInstall = /\b(npm (ci|i|install)|yarn( install)?\b|pnpm (i|install)|pip3? install|pipenv install|poetry install|uv sync|go (build|mod download)|bundle install|composer install)\b/.test(script);
    return looksLikeInstall ? { decline: `the RUN at line ${line} cannot be split: ${chain.reason}` } : null;
  }
  for (const [index, command] of chain.commands.entries()) {
    const recognized = recognize(command.words);
    if (!recognized) continue;
    if (recognized.kind === 'decline') return { decline: `RUN at line ${line}: ${recognized.reason}` };
    if (!enabled.has(recognized.install.ecosystem)) return null;
    return { found: { run, runScript, install: recognized.install, index, commands: chain.commands } };
  }
  return null;
}

function analyzeStage(ctx: Ctx, stage: Stage): Finding | null {
  const source = ctx.source;
  const instructions = stage.instructions;
  const enabled = new Set(ctx.options.ecosystems);
  let workdir: string | null = '';
  let shellOk = true;
  let broadIndex = -1;
  let workdirAtBroad: string | null = null;
  for (const [i, instruction] of instructions.entries()) {
    const keyword = instruction.getKeyword();
    if (keyword === 'WORKDIR') workdir = nextWorkdir(workdir, instruction.getArgumentsContent() ?? '');
    if (keyword === 'SHELL') shellOk = /"\/bin\/(ba)?sh"/.test(instruction.getArgumentsContent() ?? '');
    if (isBroadCopy(instruction)) {
      broadIndex = i;
      workdirAtBroad = workdir;
      break;
    }
  }
  if (broadIndex === -1) return null;
  const broad = instructions[broadIndex]!;

  // The first dependency install after the broad copy, with what lies between them.
  let candidate: Candidate | null = null;
  let runIndex = -1;
  for (let i = broadIndex + 1; i < instructions.length; i++) {
    const instruction = instructions[i]!;
    if (!(instruction instanceof Run)) continue;
    const search = findInstall(ctx, instruction, enabled);
    if (!search) continue;
    if ('decline' in search) return decline(ctx, broad, search.decline);
    candidate = search.found;
    runIndex = i;
    break;
  }
  if (!candidate) return null;
  const { install } = candidate;
  // A vendored Go module builds from vendor/ and downloads nothing: there is nothing to cache.
  if (install.ecosystem === 'go' && ctx.buildContext.has('vendor/modules.txt')) return null;
  const what = install.ecosystem;
  const broadLine = lineOf(source, broad);
  const runLine = lineOf(source, candidate.run);

  // Already manifest-first for this ecosystem: an install of the same kind runs before the broad copy.
  for (const earlier of instructions.slice(0, broadIndex)) {
    if (!(earlier instanceof Run)) continue;
    const content = earlier.getArgumentsContent() ?? '';
    if (!MENTIONS_INSTALL.test(content)) continue; // no package manager named: no shell parse needed
    const chain = andChain(content);
    if (chain.ok && chain.commands.some((c) => sameEcosystem(recognize(c.words), what))) return null;
  }

  if (ctx.source.escapeChar !== '\\') return decline(ctx, broad, `the escape directive is not "\\", so RUN lines are not POSIX shell continuations`);
  if (!shellOk) return decline(ctx, broad, 'a SHELL instruction sets a shell other than sh or bash');
  if (ctx.buildContext.root === null) return decline(ctx, broad, `the build context is unknown (stdin without --stdin-filepath or --context, or an ignore file stageopt cannot use), so the manifests cannot be checked`);

  const between = instructions.slice(broadIndex + 1, runIndex);
  for (const instruction of between) {
    const keyword = instruction.getKeyword();
    if (install.strategy === 'move' && METADATA.has(keyword)) continue;
    return decline(
      ctx,
      broad,
      install.strategy === 'move'
        ? `${keyword} at line ${lineOf(source, instruction)} sits between COPY at line ${broadLine} and the install at line ${runLine}, and may need the sources`
        : `${keyword} at line ${lineOf(source, instruction)} sits between COPY at line ${broadLine} and the ${what} build at line ${runLine}; a download placed before the sources would not see it`,
    );
  }
  const broadOps = copyOperands(broad)!;
  const broadFlags = flagsOf(broad);
  const oddFlag = broadFlags.find((f) => !COPY_FLAGS_KEPT.has(f.name));
  if (oddFlag) return decline(ctx, broad, `COPY at line ${broadLine} uses --${oddFlag.name}, which changes what the manifests copy would need`);
  if (broadOps.sources.length !== 1) return decline(ctx, broad, `COPY at line ${broadLine} copies more than the build context`);
  if ((broad.getArgumentsContent() ?? '').includes('$')) return decline(ctx, broad, `COPY at line ${broadLine} uses a variable`);
  const dest = broadOps.dest;
  const destIsWorkdir = dest === '.' || dest === './' || (workdirAtBroad !== null && workdirAtBroad.startsWith('/') && path.posix.normalize(dest + '/') === path.posix.normalize(workdirAtBroad + '/'));
  if (!destIsWorkdir) return decline(ctx, broad, `COPY at line ${broadLine} puts the sources in ${dest}, but the install at line ${runLine} runs in ${workdirAtBroad || 'the image\'s working folder'}`);

  // What travels ahead: source-independent setup commands, then the install itself.
  if (candidate.commands) {
    for (const command of candidate.commands.slice(0, candidate.index)) {
      if (!isSourceIndependent(command.words)) {
        return decline(ctx, broad, `the install at line ${runLine} runs after "${candidate.runScript.script!.slice(command.start, command.end)}", which may need the sources`);
      }
    }
    const command = candidate.commands[candidate.index]!;
    // A prepared download runs without the command's own variables: fine unless they steer downloads.
    const steering = command.assigns.find((name) => DOWNLOAD_VARIABLES.test(name));
    if (install.strategy === 'prepare' && (command.decorated || steering)) {
      return decline(ctx, broad, `the ${what} command at line ${runLine} ${steering ? `sets ${steering}, which the early download would not see` : 'redirects its output'}`);
    }
  }

  const contextProblem = checkContext(ctx, stage);
  if (contextProblem) return decline(ctx, broad, contextProblem);
  const planned = planManifests(install, ctx.buildContext, ctx.options.extraFiles);
  if (!planned.ok) return decline(ctx, broad, planned.reason);
  const alreadyCopied = copiedBefore(ctx.buildContext, instructions.slice(0, broadIndex), dest);
  const toCopy = planned.plan.paths.filter((p) => !alreadyCopied.has(p));
  const unsafeName = toCopy.find((p) => !/^[A-Za-z0-9._@+\/-]+$/.test(p));
  if (unsafeName) return decline(ctx, broad, `the manifest path "${unsafeName}" would need quoting`);

  const edits = buildEdits(ctx, broad, candidate, toCopy, dest, broadFlags);
  const described = toCopy.length > 0 ? `copy ${toCopy.join(', ')} and ` : '';
  const action = install.strategy === 'move' ? `run the ${what} install` : `run "${earlyCommandText(candidate)}"`;
  return {
    key: `manifest-first-${stage.index}`,
    message: `${described}${action} before COPY at line ${broadLine}, so source edits keep the ${what} dependencies cached`,
    span: source.span(broad.getRange()),
    fix: { edits },
  };
}

function sameEcosystem(recognized: ReturnType<typeof recognize>, ecosystem: Ecosystem): boolean {
  if (recognized?.kind !== 'install') return false;
  const i = recognized.install;
  if (i.ecosystem !== ecosystem) return false;
  // For Go only a download counts as preparing: an earlier `go build` of a tool does not.
  return ecosystem !== 'go' || i.strategy === 'move';
}

function nextWorkdir(current: string | null, arg: string): string | null {
  const dir = arg.trim().replace(/^["']|["']$/g, '');
  if (current === null || dir.includes('$') || dir === '') return null;
  if (dir.startsWith('/')) return path.posix.normalize(dir);
  return current === '' ? null : path.posix.join(current, dir);
}

/**
 * A guard against a wrong build context: every plain local source the file copies must exist in
 * it. If `COPY src/server.js` names nothing there, the image is built from another folder.
 */
function checkContext(ctx: Ctx, stage: Stage): string | null {
  for (const instruction of stage.instructions) {
    const ops = copyOperands(instruction);
    if (!ops || copiesFrom(instruction)) continue;
    for (const src of ops.sources) {
      if (/[*?[\]$]|^https?:\/\/|^git@/.test(src) || src === '.' || src === './') continue;
      if (!ctx.buildContext.has(src.replace(/^\.\//, ''))) {
        return `COPY at line ${lineOf(ctx.source, instruction)} names ${src}, which is not in the build context ${ctx.buildContext.root}; is the context another folder (config "context" or --context)?`;
      }
    }
  }
  return null;
}

/** Context paths already copied into the install folder before the broad copy (literal or `*` globs). */
function copiedBefore(buildContext: BuildContext, before: readonly Instruction[], dest: string): Set<string> {
  const copied = new Set<string>();
  const sameDest = (d: string) => path.posix.normalize(d + '/') === path.posix.normalize(dest + '/') || (d.endsWith('/') && (d === './' || d === dest + '/'));
  for (const instruction of before) {
    const ops = copyOperands(instruction);
    if (!ops || copiesFrom(instruction) || !sameDest(ops.dest)) continue;
    for (const src of ops.sources) {
      const clean = src.replace(/^\.\//, '');
      if (clean.includes('/')) continue;
      if (/[*?]/.test(clean)) {
        let re: RegExp;
        try {
          // Brackets stay: Docker's patterns have character classes (`package[12].json`).
          re = new RegExp('^' + clean.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$');
        } catch {
          continue; // an unbalanced `[` is a bad pattern to Docker too, whose build stops at it
        }
        for (const name of buildContext.list('.') ?? []) if (re.test(name)) copied.add(name);
      } else copied.add(clean);
    }
  }
  return copied;
}

function earlyCommandText(candidate: Candidate): string {
  const { install, commands, runScript, index } = candidate;
  if (install.prepareCommand) return install.prepareCommand;
  const command = commands ? runScript.script!.slice(commands[index]!.start, commands[index]!.end) : runScript.words!.join(' ');
  return [command, ...install.prepareFlags].join(' ');
}

function buildEdits(ctx: Ctx, broad: Instruction, candidate: Candidate, toCopy: readonly string[], dest: string, broadFlags: { name: string; value: string | null }[]): TextEdit[] {
  const source = ctx.source;
  const eol = source.eol;
  const broadStartLine = broad.getRange().start.line;
  const indent = /^[ \t]*/.exec(source.text.slice(source.lineStart(broadStartLine)))![0];
  const copyKeyword = broad.getInstruction() === broad.getInstruction().toLowerCase() ? 'copy' : 'COPY';
  const flags = broadFlags.map((f) => ` --${f.name}${f.value === null ? '' : `=${f.value}`}`).join('');
  const copyLines = manifestCopies(toCopy, dest, (p) => ctx.buildContext.isDirectory(p)).map((c) => `${indent}${copyKeyword}${flags} ${c}`);

  const { run, runScript, install, commands, index } = candidate;
  const keyword = runScript.keyword;
  // The comment lines right above the broad copy explain it ("# copy the sources"): they stay on
  // top of it, and the manifest copies go above them.
  const broadSpan = { start: blockStart(source, broad), end: lineSpan(source, broad).end };
  const commented = broadSpan.start < source.lineStart(broadStartLine);

  if (install.strategy === 'prepare') {
    // The original RUN stays where it is; a source-free variant runs first.
    let early: string;
    if (install.prepareCommand) {
      early = install.prepareCommand;
    } else {
      const script = runScript.script ?? runScript.words!.join(' ');
      const upTo = commands ? script.slice(0, commands[index]!.end) : script;
      early = [upTo, ...install.prepareFlags].join(' ');
    }
    const runLine = `${indent}${keyword}${cacheFlags(run)} ${early}`;
    // A blank line keeps the broad copy's comment with the copy it explains.
    return [insertAt(broadSpan.start, [...copyLines, runLine].map((l) => l + eol).join('') + (commented ? eol : ''))];
  }

  // move: manifests copy where the broad copy was, then whatever stood between, then the install,
  // then the broad copy, then the rest of the RUN. Every original byte is reused, only reordered.
  const runSpan = lineSpan(source, run);
  const between = source.text.slice(broadSpan.end, runSpan.start);
  const broadText = source.text.slice(broadSpan.start, broadSpan.end);
  const runIndent = /^[ \t]*/.exec(source.text.slice(runSpan.start))![0];
  const runEnd = source.offsetAt(run.getRange().end);
  const trailing = source.text.slice(runEnd, runSpan.end); // the RUN's own line break, if any
  let installRun: string;
  let restRun: string | null = null;
  if (commands && index < commands.length - 1) {
    const script = runScript.script!;
    installRun = `${runIndent}${keyword}${runScript.flagsText}${script.slice(0, commands[index]!.end)}`;
    restRun = `${runIndent}${keyword}${runScript.flagsText}${script.slice(commands[index + 1]!.start)}`;
  } else {
    installRun = source.text.slice(runSpan.start, runEnd);
  }
  const broadLine = broadText.endsWith('\n') || broadText.endsWith('\r') ? broadText : broadText + eol;
  // The blank line that set the broad copy (and its comment) apart goes with it.
  const apart = blankLineAbove(source, broadSpan.start) ? eol : '';
  let replacement = copyLines.map((l) => l + eol).join('') + between + installRun + eol + apart + (restRun === null ? broadLine.replace(/(\r?\n|\r)$/, '') : broadLine + restRun);
  replacement += trailing;
  return [replaceSpan({ start: broadSpan.start, end: runSpan.end }, replacement)];
}

/** Only cache, secret and ssh mounts and the network flag carry over to an inserted download: a bind mount of the context would defeat it. */
function cacheFlags(run: Run): string {
  return run
    .getFlags()
    .filter((f) => (f.getName() === 'mount' && /(^|,)type=(cache|secret|ssh)(,|$)/.test(f.getValue() ?? '')) || f.getName() === 'network')
    .map((f) => ` --${f.getName()}=${f.getValue()}`)
    .join('');
}

/**
 * One COPY for root-level files, one per nested folder of files, and one per directory (COPY
 * copies a directory's contents, so `patches` must land in `./patches/`, not `./`). The
 * destination always ends in `/`, as COPY requires for several sources.
 */
export function manifestCopies(paths: readonly string[], dest: string, isDirectory: (p: string) => boolean): string[] {
  const base = dest === '.' || dest === './' ? './' : dest.endsWith('/') ? dest : dest + '/';
  const groups = new Map<string, string[]>();
  const lines: string[] = [];
  for (const p of paths) {
    if (isDirectory(p)) continue;
    const dir = path.posix.dirname(p);
    groups.set(dir, [...(groups.get(dir) ?? []), p]);
  }
  for (const [dir, files] of [...groups].sort(([a], [b]) => (a === '.' ? -1 : b === '.' ? 1 : a.localeCompare(b)))) {
    lines.push(`${files.join(' ')} ${dir === '.' ? base : `${base}${dir}/`}`);
  }
  for (const p of paths) if (isDirectory(p)) lines.push(`${p} ${base}${p}/`);
  return lines;
}

/** The full lines an instruction occupies, line break included. */
function lineSpan(source: Source, instruction: Instruction): Span {
  const range = instruction.getRange();
  return { start: source.lineStart(range.start.line), end: source.nextLineStart(source.offsetAt(range.end)) };
}

function lineOf(source: Source, instruction: Instruction): number {
  return instruction.getRange().start.line + 1;
}

function decline(ctx: Ctx, at: Instruction, message: string): Finding {
  return { key: 'decline', message, span: ctx.source.span(at.getRange()) };
}
