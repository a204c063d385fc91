// cache-mounts: BuildKit cache mounts on the RUNs that download dependencies or compile, so a
// rebuild after a dependency or source change reuses npm's, yarn's, pnpm's, pip's, Go's or
// bundler's cache instead of starting empty. The folders come from src/stacks/caches.ts for the
// RUN's user and ENV. A mount hides its folder from the image, which is the point — so every RUN
// of a tool with that folder gets it or none does, and a later instruction that names the folder
// makes it decline. Commands and flags that only kept the cache out of the image (`npm cache clean
// --force`, `pip --no-cache-dir`, `rm -rf /root/.cache`) go with the mount (dropCacheCleanup).
import path from 'node:path';
import { Copy, Env, type Instruction, Run } from 'dockerfile-ast';
import { insertAt, type TextEdit } from '../src/edits.js';
import { commandOf } from '../src/final-command.js';
import { calledCommands, type SimpleCommand } from '../src/shell.js';
import type { Source } from '../src/source.js';
import { isUnder, lineage } from '../src/stage-products.js';
import { copyOperands, flagsOf, mountTargets, operandsOf, parseImage, readStages, resolveRef, type Stage } from '../src/stages.js';
import { CACHE_OFF_FLAGS, CACHE_TOOLS, cacheCleaner, cacheFolders, cacheUser, imageFamily, imageUser, namedUser, type CacheTool, type RunEnv } from '../src/stacks/caches.js';
import { knownWords, runScript } from '../src/stacks/run-script.js';
import { workingFolders, type Folder } from '../src/workdirs.js';
import { defineTransform, type Finding, type TransformContext } from '../src/transform.js';

interface Options {
  tools: string[];
  dropCacheCleanup: boolean;
}

type Ctx = TransformContext<Options>;

/** One RUN that uses a tool's cache: the folders it needs, and what it does to them itself. */
interface Use {
  tool: CacheTool;
  run: Run;
  stage: number;
  targets: string[];
  owner: RunEnv['owner'];
  home: string | null;
  cwd: string | null;
}

// Caches that two builds must not write at once. BuildKit shares a cache mount between steps running
// in parallel (a split's build and deps stages both install); yarn 1 writes its cache without locks,
// and a parallel install read a tarball the other was still writing ("Integrity check failed",
// the hash of an empty file: seen on the yarn-build fixture app). npm's cacache, pip, Go and pnpm
// write atomically; poetry 1.3 does, but older releases (the 1.1 series old Dockerfiles pin)
// write a download straight to its final name.
const LOCKED: ReadonlySet<CacheTool> = new Set(['yarn', 'poetry', 'bundler']);

const UNSAFE_REASON = 'a cache mount needs BuildKit: the legacy builder (DOCKER_BUILDKIT=0, old CI runners) rejects `RUN --mount` and the file uses nothing else that needs BuildKit';

export default defineTransform<Options>({
  id: 'cache-mounts',
  summary: 'Add BuildKit cache mounts to RUNs that download dependencies or compile (npm, yarn, pnpm, pip, pipenv, poetry, Go, bundler).',
  safety: 'unsafe',
  unsafeReason: UNSAFE_REASON,
  options: {
    tools: { type: 'string[]', default: [...CACHE_TOOLS], pattern: /^(npm|yarn|pnpm|pip|pipenv|poetry|go|bundler)$/, description: 'The tools whose caches are mounted: npm, yarn, pnpm, pip, pipenv, poetry, go, bundler.' },
    dropCacheCleanup: {
      type: 'boolean',
      default: true,
      description: 'Remove what only kept the cache out of the image in the same RUN (`npm cache clean --force`, `pip --no-cache-dir`, `rm -rf /root/.cache`); when false, such a RUN is declined.',
    },
  },
  run(ctx) {
    const stages = readStages(ctx.source);
    const { uses, unreadable } = readUses(ctx, stages);
    const safe = needsBuildKit(ctx.source);
    const findings: Finding[] = [];
    for (const tool of CACHE_TOOLS) {
      if (!ctx.options.tools.includes(tool)) continue;
      const mine = uses.filter((u) => u.tool === tool);
      const declined = unreadable.get(tool) ?? mine.find((u): u is Declined & { tool: CacheTool } => 'reason' in u);
      if (declined) {
        findings.push(decline(ctx, declined.at, `${tool}: no cache mounts: ${declined.reason}`));
        continue;
      }
      if (mine.length === 0) continue;
      const planned = planTool(ctx, stages, tool, mine as Use[]);
      if ('reason' in planned) {
        findings.push(decline(ctx, planned.at, `${tool}: no cache mounts: ${planned.reason}`));
        continue;
      }
      if (planned.edits.length === 0) continue;
      const lines = planned.runs.map((r) => ctx.source.lineNumberAt(ctx.source.offsetAt(r.getRange().start)));
      const dropped = planned.dropped.length > 0 ? `; drops ${planned.dropped.join(', ')}, which only kept the cache out of the image` : '';
      findings.push({
        key: `cache-mounts-${tool}`,
        message: `mount the ${tool} cache (${planned.targets.join(', ')}) on RUN at line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}${dropped}`,
        span: ctx.source.span(planned.runs[0]!.getRange()),
        fix: { edits: planned.edits, ...(safe ? { safety: 'safe' as const } : {}) },
      });
    }
    return findings;
  },
});

type Declined = { reason: string; at: Instruction };

/** Every RUN command that fills a tool's cache, with its folders or why they are not known. */
function readUses(ctx: Ctx, stages: readonly Stage[]): { uses: (Use | (Declined & { tool: CacheTool }))[]; unreadable: Map<CacheTool, Declined> } {
  const uses: (Use | (Declined & { tool: CacheTool }))[] = [];
  const unreadable = new Map<CacheTool, Declined>();
  const ends: RunEnv[] = [];
  for (const stage of stages) {
    let state = startState(stage, stages, ends);
    const chain = lineage(stage, stages);
    const workdirs = chain && workingFolders(chain);
    for (const instruction of stage.instructions) {
      const keyword = instruction.getKeyword();
      if (keyword === 'ARG') state = { ...state, args: new Set([...state.args, ...operandsOf(instruction).map((a) => a.split('=')[0]!)]) };
      else if (keyword === 'ENV' && instruction instanceof Env) {
        const env = new Map(state.env);
        for (const p of instruction.getProperties()) {
          const value = p.getValue();
          env.set(p.getName(), value === null || value.includes('$') ? null : value);
        }
        state = { ...state, env };
      } else if (keyword === 'USER') {
        const user = operandsOf(instruction).join('');
        state = { ...state, ...(user.includes('$') ? { user: null, home: null, owner: null } : namedUser(user, state.family)) };
      } else if (instruction instanceof Run) {
        // Reading a chain may need the shell parser (milliseconds a script): RUNs that name none
        // of the tools are most of them.
        if (!TOOL_WORD.test(ctx.source.slice(ctx.source.span(instruction.getRange())))) continue;
        const line = ctx.source.lineNumberAt(ctx.source.offsetAt(instruction.getRange().start));
        const commands = runCommands(ctx.source, instruction);
        if ('reason' in commands) {
          for (const tool of mentionedTools(ctx.source, instruction)) if (!unreadable.has(tool)) unreadable.set(tool, { reason: `RUN at line ${line} ${commands.reason}`, at: instruction });
          continue;
        }
        const seen = new Set<CacheTool>();
        for (const command of commands) {
          // A word still not known after reading quotes and ENV may be a flag that moves or turns
          // off the cache: such a command is left alone.
          const words = knownWords(ctx.source, stage.instructions, instruction, command);
          const tool = cacheUser(words);
          if (tool === null) continue;
          // Every command is read, not only a RUN's first of each tool: a later one may move the
          // cache (`poetry install && poetry config cache-dir …`) or name a folder of its own.
          const folders = cacheFolders(tool, words, command.assigns, state, ctx.buildContext);
          if (!folders.ok) {
            uses.push({ tool, reason: `RUN at line ${line}: ${folders.reason}`, at: instruction });
            continue;
          }
          if (seen.has(tool)) continue;
          seen.add(tool);
          uses.push({ tool, run: instruction, stage: stage.index, targets: folders.targets, owner: state.owner, home: state.home, cwd: knownDir(workdirs?.before(instruction)) });
        }
      }
    }
    ends.push(state);
  }
  return { uses, unreadable };
}

function startState(stage: Stage, stages: readonly Stage[], ends: readonly RunEnv[]): RunEnv {
  const image = stage.image ?? '';
  const target = resolveRef({ value: image, inStage: stage.index }, stages);
  if (target.kind === 'stage') return ends[target.index]!;
  const family = image.includes('$') ? null : imageFamily(parseImage(image).repository);
  return { ...imageUser(family), env: new Map(), args: new Set(), family };
}

/** The simple commands of a shell-form RUN, or why they cannot be read. */
function runCommands(source: Source, run: Run): SimpleCommand[] | { reason: string } {
  if (run.getOpeningBracket()) return { reason: 'uses the exec form, which cache-mounts does not rewrite' };
  const script = runScript(source, run);
  if (script === null) return [];
  if (!script.chain.ok) return { reason: `cannot be read (${script.chain.reason})` };
  return script.chain.commands;
}

const TOOL_WORD = /(^|[^A-Za-z0-9_.-])(npm|npx|yarn|pnpm|pip3?|python3?|pipenv|poetry|go|bundle)([^A-Za-z0-9_.-]|$)/;

/** Tools an unreadable RUN may run, by the command names anywhere in it. */
function mentionedTools(source: Source, run: Run): CacheTool[] {
  const script = runScript(source, run);
  const text = script === null ? '' : source.text.slice(script.scriptStart, source.offsetAt(run.getRange().end));
  // A script the shell parser cannot read either: any word naming a tool counts, as a command of its own.
  const calls = run.getOpeningBracket() ? [run.getJSONStrings().map((s) => s.getJSONValue())] : calledCommands(text) ?? text.split(/[\s"'`;&|()[\],]+/).map((w) => [w, 'install']);
  const tools = new Set<CacheTool>();
  for (const words of calls) {
    const tool = cacheUser(words);
    if (tool) tools.add(tool);
  }
  return [...tools];
}

interface ToolPlan {
  edits: TextEdit[];
  runs: Run[];
  targets: string[];
  dropped: string[];
}

/** The edits for one tool across the file, or why it declines. */
function planTool(ctx: Ctx, stages: readonly Stage[], tool: CacheTool, uses: readonly Use[]): ToolPlan | Declined {
  const { source } = ctx;
  const targets = [...new Set(uses.flatMap((u) => u.targets))];
  const usingRuns = new Set(uses.map((u) => u.run));
  const firstOffset = Math.min(...uses.map((u) => source.offsetAt(u.run.getRange().start)));
  // A later instruction that names a cache folder reads what the mount keeps out of the image.
  for (const stage of stages) {
    for (const instruction of stage.instructions) {
      if (usingRuns.has(instruction as Run) || source.offsetAt(instruction.getRange().start) < firstOffset) continue;
      const problem = namesFolder(source, instruction, targets, uses[0]!.home);
      if (problem) return { reason: `${instruction.getKeyword()} at line ${source.lineNumberAt(source.offsetAt(instruction.getRange().start))} ${problem}, which the mount keeps out of the image`, at: instruction };
    }
  }
  // The final image running the tool at start (`npx`, `go run`) would look for the cache at run time.
  const last = stages[stages.length - 1];
  if (last && uses.some((u) => u.stage === last.index || inherits(stages, last, u.stage))) {
    for (const instruction of last.instructions) {
      if (!['CMD', 'ENTRYPOINT', 'HEALTHCHECK'].includes(instruction.getKeyword())) continue;
      const command = commandOf(source, instruction);
      const calls = command === null ? [] : command.exec ? [command.exec] : calledCommands(command.shell) ?? [];
      if (calls.some((words) => cacheUser(words) === tool)) return { reason: `${instruction.getKeyword()} at line ${source.lineNumberAt(source.offsetAt(instruction.getRange().start))} runs ${tool} when the container starts, which reads the cache the mount keeps out of the image`, at: instruction };
    }
  }

  const edits: TextEdit[] = [];
  const runs: Run[] = [];
  const dropped: string[] = [];
  for (const use of uses) {
    const mounted = mountTargets(use.run);
    const adding = use.targets.filter((t) => !mounted.has(t));
    if (adding.length === 0) continue;
    const cleanup = cleanupEdits(ctx, stages[use.stage]!, use, adding, tool);
    if ('reason' in cleanup) return cleanup;
    const script = runScript(source, use.run)!;
    const owner = use.owner ? `,uid=${use.owner.uid},gid=${use.owner.gid}` : '';
    const sharing = LOCKED.has(tool) ? ',sharing=locked' : '';
    edits.push(insertAt(script.scriptStart, adding.map((t) => `--mount=type=cache,target=${t}${owner}${sharing} `).join('')), ...cleanup.edits);
    dropped.push(...cleanup.dropped.filter((d) => !dropped.includes(d)));
    runs.push(use.run);
  }
  return { edits, runs, targets, dropped };
}

/** Whether `stage` starts, directly or through other stages, from stage `index`. */
function inherits(stages: readonly Stage[], stage: Stage, index: number): boolean {
  for (let s: Stage | undefined = stage, hops = 0; s && hops < stages.length; hops++) {
    const target = resolveRef({ value: s.image ?? '', inStage: s.index }, stages);
    if (target.kind !== 'stage') return false;
    if (target.index === index) return true;
    s = stages[target.index];
  }
  return false;
}

/** How an instruction names one of the folders (a path under it, or a copy of a folder holding it); null when it does not. */
function namesFolder(source: Source, instruction: Instruction, targets: readonly string[], home: string | null): string | null {
  const copy = copyOperands(instruction);
  if (copy && flagsOf(instruction).some((f) => f.name === 'from')) {
    const hit = copy.sources.find((s) => targets.some((t) => isUnder(t, path.posix.normalize(s).replace(/(.)\/$/, '$1')) || isUnder(s, t)));
    if (hit) return `copies ${hit} from another stage`;
  }
  const args = instruction.getArguments();
  const text = args.length === 0 ? '' : source.text.slice(source.offsetAt(args[0]!.getRange().start), source.offsetAt(instruction.getRange().end));
  for (const target of targets) {
    const forms = [target];
    if (home && home !== '/' && isUnder(target, home) && target !== home) {
      const rest = target.slice(home.length + 1);
      forms.push(`~/${rest}`, `$HOME/${rest}`, `\${HOME}/${rest}`);
    }
    for (const form of forms) {
      if (!mentions(text, form)) continue;
      if (instruction instanceof Run && onlyRemoves(source, instruction, form)) continue;
      return `names ${form}`;
    }
  }
  return null;
}

function mentions(text: string, form: string): boolean {
  const at = text.indexOf(form);
  return at !== -1 && !/[A-Za-z0-9_.-]/.test(text[at + form.length] ?? '');
}

/** A RUN whose mentions of the folder are all `rm` arguments: deleting what is no longer there is harmless. */
function onlyRemoves(source: Source, run: Run, form: string): boolean {
  const commands = runCommands(source, run);
  if ('reason' in commands) return false;
  const naming = commands.filter((c) => c.words.some((w) => w === null || w.includes(form)));
  return naming.length > 0 && naming.every((c) => c.words[0] === 'rm' && c.words.every((w) => w !== null));
}

/** The targets a RUN already mounts (of any type). */
/**
 * What in the RUN only kept the cache out of the image: the tool's own cache cleaning, a flag that
 * turns the cache off, and `rm` of a mounted folder (which would fail on the mount point, or empty
 * the cache). Dropped when the option allows, else a reason to decline.
 */
function cleanupEdits(ctx: Ctx, stage: Stage, use: Use, adding: readonly string[], tool: CacheTool): { edits: TextEdit[]; dropped: string[] } | Declined {
  const { source } = ctx;
  const script = runScript(source, use.run)!;
  const commands = script.chain.ok ? script.chain.commands : [];
  const line = source.lineNumberAt(source.offsetAt(use.run.getRange().start));
  const edits: TextEdit[] = [];
  const dropped: string[] = [];
  const refuse = (what: string): Declined => ({ reason: `RUN at line ${line} ${what}; set dropCacheCleanup to let it go`, at: use.run });
  const abs = (offset: number) => script.scriptStart + offset;
  const dropCommand = (i: number) => {
    const c = commands[i]!;
    const span = i > 0 ? { start: abs(commands[i - 1]!.end), end: abs(c.end) } : { start: abs(c.start), end: abs(commands[i + 1]!.start) };
    edits.push({ ...span, text: '' });
  };
  for (let i = 0; i < commands.length; i++) {
    const c = commands[i]!;
    const words = knownWords(source, stage.instructions, use.run, c);
    if (cacheCleaner(words) === tool) {
      const shown = words.join(' ');
      if (!ctx.options.dropCacheCleanup) return refuse(`empties the cache it would mount ("${shown}")`);
      if (commands.length === 1) return { reason: `RUN at line ${line} only empties the cache`, at: use.run };
      dropCommand(i);
      dropped.push(`"${shown}"`);
      continue;
    }
    if (cacheUser(words) === tool) {
      for (const off of CACHE_OFF_FLAGS[tool] ?? []) {
        if (!words.includes(off)) continue;
        if (!ctx.options.dropCacheCleanup) return refuse(`turns the cache off (${off})`);
        const span = wordSpan(source, abs(c.start), abs(c.end), off);
        if (!span) return { reason: `RUN at line ${line}: ${off} appears in a form stageopt does not edit`, at: use.run };
        edits.push({ ...span, text: '' });
        dropped.push(off);
      }
      continue;
    }
    if (words[0] !== 'rm') continue;
    const paths = words.slice(1).filter((w) => w === null || !w.startsWith('-'));
    if (paths.some((w) => w === null)) return { reason: `RUN at line ${line} removes a path made of variables, which may be the cache folder`, at: use.run };
    const hits = (paths as string[]).filter((w) => {
      const p = resolvePath(w, use);
      return p !== null && adding.some((t) => isUnder(t, p) || isUnder(p, t));
    });
    if (hits.length === 0) continue;
    if (!ctx.options.dropCacheCleanup) return refuse(`removes the cache folder (rm ${hits.join(' ')})`);
    if (hits.length === paths.length) {
      if (commands.length === 1) return { reason: `RUN at line ${line} only removes the cache folder`, at: use.run };
      dropCommand(i);
    } else {
      for (const hit of hits) {
        const span = wordSpan(source, abs(c.start), abs(c.end), hit);
        if (!span) return { reason: `RUN at line ${line}: rm ${hit} appears in a form stageopt does not edit`, at: use.run };
        edits.push({ ...span, text: '' });
      }
    }
    dropped.push(`rm ${hits.join(' ')}`);
  }
  return { edits, dropped };
}

/** The folder a RUN runs in, when it does not rest on the WORKDIR of an image stageopt does not know. */
function knownDir(folder: Folder | null | undefined): string | null {
  return folder?.known ? folder.dir : null;
}

/** An rm argument as an absolute path without its glob tail (`~/.cache/*` → /root/.cache); null when unknown. */
function resolvePath(word: string, use: Use): string | null {
  let p = word.replace(/\/?\*.*$/, '') || '/';
  if (p === '~' || p.startsWith('~/')) {
    if (!use.home) return null;
    p = use.home + p.slice(1);
  } else if (!p.startsWith('/')) {
    if (use.cwd === null) return null;
    p = path.posix.join(use.cwd, p);
  }
  return path.posix.normalize(p).replace(/(.)\/$/, '$1');
}

/**
 * The span that removes one word of a command with the blanks and line continuations before it:
 * `pip install \` + newline + `--no-cache-dir -r r.txt` loses the continuation and the flag. Null
 * when the word is not there exactly once as a whole word.
 */
function wordSpan(source: Source, start: number, end: number, word: string): { start: number; end: number } | null {
  const text = source.text.slice(start, end);
  const found: number[] = [];
  for (let at = text.indexOf(word); at !== -1; at = text.indexOf(word, at + 1)) {
    const before = text[at - 1];
    const after = text[at + word.length];
    if (at > 0 && /[ \t\n]/.test(before ?? '') && (after === undefined || /[ \t\r\n]/.test(after) || after === source.escapeChar)) found.push(at);
  }
  if (found.length !== 1) return null;
  let from = start + found[0]!;
  const esc = source.escapeChar;
  for (;;) {
    const t = source.text;
    if (t[from - 1] === ' ' || t[from - 1] === '\t') from--;
    else if (t[from - 1] === '\n' && t[from - 2] === esc) from -= 2;
    else if (t[from - 1] === '\n' && t[from - 2] === '\r' && t[from - 3] === esc) from -= 3;
    else break;
  }
  return { start: from, end: start + found[0]! + word.length };
}

/**
 * Whether the file needs BuildKit already: a `# syntax=` directive, a RUN flag (`--mount`,
 * `--network`, `--security`), a heredoc, or a COPY/ADD flag the legacy builder rejects. A cache
 * mount then costs the file nothing it did not need.
 */
export function needsBuildKit(source: Source): boolean {
  if (source.dockerfile.getDirectives().some((d) => d.getName().toLowerCase() === 'syntax')) return true;
  for (const instruction of source.dockerfile.getInstructions()) {
    if (instruction instanceof Run) {
      if (instruction.getFlags().some((f) => ['mount', 'network', 'security'].includes(f.getName().toLowerCase()))) return true;
      if (instruction.getHeredocs().length > 0) return true;
    } else if (instruction instanceof Copy || instruction.getKeyword() === 'ADD') {
      if (flagsOf(instruction).some((f) => ['link', 'chmod', 'parents', 'exclude', 'checksum', 'keep-git-dir'].includes(f.name))) return true;
      if (instruction instanceof Copy && instruction.getHeredocs().length > 0) return true;
    }
  }
  return false;
}

function decline(ctx: Ctx, at: Instruction, message: string): Finding {
  const start = ctx.source.offsetAt(at.getRange().start);
  return { key: 'decline', message, span: { start, end: start } };
}
