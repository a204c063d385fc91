// apt-hygiene: OS package installs written the way the Debian and Alpine images' own Dockerfiles
// write them (hadolint DL3009, DL3014, DL3015, DL3019): `apt-get update` in the RUN that installs,
// `-y`, `--no-install-recommends`, the package lists removed in the same RUN, `apk add --no-cache`.
import { Run, type Instruction } from 'dockerfile-ast';
import { insertAt, replaceSpan, type TextEdit } from '../src/edits.js';
import { readOsCommand, type OsCommand } from '../src/os-packages.js';
import type { SimpleCommand } from '../src/shell.js';
import type { Source } from '../src/source.js';
import { runScript } from '../src/stacks/run-script.js';
import { mountTargets, readStages, type Stage } from '../src/stages.js';
import { defineTransform, type Finding, type TransformContext } from '../src/transform.js';

interface Options {
  mergeUpdate: boolean;
  assumeYes: boolean;
  cleanLists: boolean;
  noInstallRecommends: boolean;
  apkNoCache: boolean;
}

type Ctx = TransformContext<Options>;

const RECOMMENDS_REASON = 'without recommended packages a program may lack something it needs at run time (curl without ca-certificates cannot reach https)';
const LISTS_CLEANUP = 'rm -rf /var/lib/apt/lists/*';
// Instructions that change nothing a RUN sees: a RUN may move across them.
const INERT = new Set(['LABEL', 'EXPOSE', 'MAINTAINER', 'STOPSIGNAL', 'HEALTHCHECK', 'CMD', 'ENTRYPOINT']);
// Case-insensitive: `$APT install curl` names the manager only in a variable, and is declined.
const MENTIONS_PACKAGES = /\b(apt-get|apt|apk)\b/i;
const INSTALLS = /\b(apt-get|apt)\b[^&|;\n]*\binstall\b|\bapk\b[^&|;\n]*\badd\b/;
// Commands that read apt's package lists or apk's index, or may (a script of the build context).
// A command word, not a path (`/var/lib/apt/lists` names no program).
const MAY_READ_LISTS = /(^|[\s;&|("'`])(apt-get|apt|apt-cache|aptitude|add-apt-repository|install_packages|apk)(\s|$)/;

export default defineTransform<Options>({
  id: 'apt-hygiene',
  summary: 'Install OS packages as the base images do: update in the same RUN, -y, no recommends, lists removed, apk --no-cache.',
  safety: 'safe',
  unsafeReason: RECOMMENDS_REASON,
  options: {
    mergeUpdate: { type: 'boolean', default: true, description: 'Merge a `RUN apt-get update` into the RUN right after it that installs.' },
    assumeYes: { type: 'boolean', default: true, description: 'Add `-y` to `apt-get install` (without it apt asks, and a build cannot answer).' },
    cleanLists: { type: 'boolean', default: true, description: 'Remove `/var/lib/apt/lists/*` in the RUN that fetched them.' },
    noInstallRecommends: { type: 'boolean', default: true, description: 'Add `--no-install-recommends` to `apt-get install` (an unsafe fix).' },
    apkNoCache: { type: 'boolean', default: true, description: 'Add `--no-cache` to `apk add`, and drop an `apk update` it makes unnecessary.' },
  },
  run(ctx) {
    const findings: Finding[] = [];
    const stages = readStages(ctx.source);
    const ordinal = { value: 0 };
    for (const stage of stages) findings.push(...stageFindings(ctx, stages, stage, ordinal));
    return findings;
  },
});

/** A RUN read for its package commands: its && chain, or why it cannot be read. */
interface RunReading {
  run: Run;
  line: number;
  /** The RUN's flags as written (`--mount=…`), between keyword and script. */
  flags: string;
  scriptStart: number;
  script: string;
  commands: SimpleCommand[] | null;
  problem: string | null;
}

function readRun(source: Source, run: Run): RunReading {
  const start = source.offsetAt(run.getRange().start);
  const line = source.lineNumberAt(start);
  const base = { run, line, flags: '', scriptStart: start, script: '', commands: null };
  if (run.getHeredocs().length > 0) return { ...base, problem: 'it is a heredoc' };
  if (run.getOpeningBracket()) return { ...base, problem: 'it is in exec form (JSON), which runs no shell' };
  const read = runScript(source, run);
  if (!read) return { ...base, problem: 'it has no command' };
  const script = source.text.slice(read.scriptStart, source.offsetAt(run.getRange().end));
  const flags = source.text.slice(source.offsetAt(run.getInstructionRange().end), read.scriptStart).trim();
  const common = { ...base, flags, scriptStart: read.scriptStart, script };
  if (source.escapeChar !== '\\') return { ...common, problem: 'it uses an escape character other than \\' };
  if (/^[ \t]*#/m.test(script.split(/\r?\n|\r/).slice(1).join('\n'))) return { ...common, problem: 'it has comment lines inside its continuation' };
  if (!read.chain.ok) return { ...common, problem: read.chain.reason };
  return { ...common, commands: read.chain.commands, problem: null };
}

function stageFindings(ctx: Ctx, stages: readonly Stage[], stage: Stage, ordinal: { value: number }): Finding[] {
  const findings: Finding[] = [];
  const { source, options } = ctx;
  const instructions = stage.instructions;
  for (const [index, instruction] of instructions.entries()) {
    if (!(instruction instanceof Run) || !MENTIONS_PACKAGES.test(instruction.getArgumentsContent() ?? '')) continue;
    const reading = readRun(source, instruction);
    const at = source.offsetAt(instruction.getRange().start);
    const decline = (message: string): Finding => ({ key: `decline-${at}-${findings.length}`, message, span: { start: at, end: at } });
    if (!reading.commands) {
      if (INSTALLS.test(instruction.getArgumentsContent() ?? '')) {
        findings.push(decline(`the install RUN at line ${reading.line} is left alone: ${reading.problem}`));
      }
      continue;
    }
    const commands = reading.commands.map((c) => ({ command: c, os: readOsCommand(c.words) }));
    const laterUse = () => laterListsUse(ctx, stages, stage, index);
    for (const [i, { command, os }] of commands.entries()) {
      if (command.words[0] === null && /\b(apt|apk)/i.test(reading.script.slice(command.start, command.end))) {
        findings.push(decline(`the RUN at line ${reading.line} runs a command whose name is a variable; stageopt cannot tell whether it installs packages`));
      }
      if (!os) continue;
      const updatedBefore = commands.slice(0, i).some((c) => c.os?.manager === os.manager && c.os.action === 'update');
      if (os.manager === 'apt' && os.action === 'install') {
        const k = ordinal.value++;
        const words = wordSpans(reading, command, os.actionIndex);
        if (!words) {
          findings.push(decline(`the apt-get install at line ${reading.line} has words stageopt cannot place; left alone`));
          continue;
        }
        const actionEnd = words[os.actionIndex]!.end;
        const flags = command.words.filter((w): w is string => w !== null && w.startsWith('-'));
        if (options.assumeYes && !assumesYes(command.words)) {
          findings.push({ key: `yes-${k}`, message: `add -y to apt-get install at line ${reading.line} (a build cannot answer apt's question)`, span: { start: at, end: at }, fix: { edits: [insertAt(actionEnd, ' -y')] } });
        }
        if (options.noInstallRecommends && !flags.includes('--no-install-recommends') && !setsRecommends(command.words)) {
          const next = words[os.actionIndex + 1];
          const after = next && ['-y', '--yes', '--assume-yes'].includes(command.words[os.actionIndex + 1]!) ? next.end : actionEnd;
          findings.push({
            key: `recommends-${k}`,
            message: `add --no-install-recommends to apt-get install at line ${reading.line}`,
            span: { start: at, end: at },
            fix: { edits: [insertAt(after, ' --no-install-recommends')], safety: 'unsafe', unsafeReason: RECOMMENDS_REASON },
          });
        }
        if (!updatedBefore) {
          if (options.mergeUpdate) {
            const merge = mergeUpdateFinding(ctx, instructions, index, reading, k);
            if (merge) findings.push(merge);
          }
        } else if (options.cleanLists && !commands.slice(i + 1).some((c) => removesLists(c.command.words)) && isLastAptInstall(commands, i)) {
          if (cachesAptLists(reading.run)) continue;
          const use = laterUse();
          if (use) findings.push(decline(`package lists kept after the install at line ${reading.line}: ${use}`));
          else findings.push(cleanupFinding(reading, k, at, source.eol));
        }
      } else if (os.manager === 'apk' && os.action === 'add' && options.apkNoCache && !command.words.includes('--no-cache')) {
        const k = ordinal.value++;
        const words = wordSpans(reading, command, os.actionIndex);
        if (!words) {
          findings.push(decline(`the apk add at line ${reading.line} has words stageopt cannot place; left alone`));
          continue;
        }
        const use = laterUse();
        if (use) {
          findings.push(decline(`apk add at line ${reading.line} left as it is: ${use}`));
          continue;
        }
        const edits: TextEdit[] = [insertAt(words[os.actionIndex]!.end, ' --no-cache')];
        // `apk update && apk add …`: with --no-cache the add reads a fresh index itself, and the one
        // the update leaves in /var/cache/apk is what --no-cache keeps out of the image.
        const update = i > 0 && commands[i - 1]!.os?.manager === 'apk' && commands[i - 1]!.os!.action === 'update' && commands[i - 1]!.command.words.length === 2 && !commands[i - 1]!.command.decorated ? commands[i - 1]!.command : null;
        const onlyUpdate =
          update !== null &&
          commands.slice(0, i - 1).every((c) => c.os?.manager !== 'apk') &&
          !commands.slice(i + 1).some((c) => c.os !== null && c.os.manager === 'apk' && readsLists(c.os, c.command.words));
        if (onlyUpdate) edits.push(replaceSpan({ start: reading.scriptStart + update!.start, end: reading.scriptStart + command.start }, ''));
        findings.push({
          key: `apk-${k}`,
          message: `add --no-cache to apk add at line ${reading.line}${onlyUpdate ? ', which makes its apk update unnecessary' : ''}`,
          span: { start: at, end: at },
          fix: { edits },
        });
      }
    }
  }
  return findings;
}

/** `RUN apt-get update` directly before (across inert instructions only) this install's RUN, merged into it. */
function mergeUpdateFinding(ctx: Ctx, instructions: readonly Instruction[], index: number, install: RunReading, k: number): Finding | null {
  let before = index - 1;
  while (before >= 0 && INERT.has(instructions[before]!.getKeyword())) before--;
  const previous = instructions[before];
  if (!(previous instanceof Run) || !MENTIONS_PACKAGES.test(previous.getArgumentsContent() ?? '')) return null;
  const update = readRun(ctx.source, previous);
  const only = update.commands?.length === 1 ? update.commands[0]! : null;
  const os = only ? readOsCommand(only.words) : null;
  if (!only || os?.manager !== 'apt' || os.action !== 'update' || only.decorated) return null;
  const at = ctx.source.offsetAt(install.run.getRange().start);
  if (update.flags !== install.flags) {
    return { key: `decline-update-${k}`, message: `the apt-get update at line ${update.line} has other RUN flags than the install at line ${install.line}; not merged`, span: { start: at, end: at } };
  }
  const source = ctx.source;
  const start = source.offsetAt(previous.getRange().start);
  const end = source.offsetAt(previous.getRange().end);
  const lineStart = source.lineStart(source.positionAt(start).line);
  const lineEnd = source.lineEndAt(source.positionAt(end).line);
  if (source.text.slice(lineStart, start).trim() !== '' || source.text.slice(end, lineEnd).trim() !== '') return null;
  return {
    key: `update-${k}`,
    message: `merge the apt-get update at line ${update.line} into the install at line ${install.line} (a separate update goes stale in the build cache)`,
    span: { start: at, end: at },
    fix: {
      edits: [
        replaceSpan({ start: lineStart, end: source.nextLineStart(end) }, ''),
        insertAt(install.scriptStart, `${update.script.slice(only.start, only.end)} && `),
      ],
    },
  };
}

/** `&& rm -rf /var/lib/apt/lists/*` after the chain's last command, written like the chain's last separator. */
function cleanupFinding(reading: RunReading, k: number, at: number, eol: string): Finding {
  const commands = reading.commands!;
  const last = commands[commands.length - 1]!;
  let separator = reading.script.slice(commands[commands.length - 2]!.end, last.start);
  // An install whose packages go one per continuation line gets the cleanup on a line of its own.
  const lastText = reading.script.slice(last.start, last.end);
  const lastLine = /\\\r?\n([ \t]*)[^\r\n]*$/.exec(lastText);
  if (!/[\r\n]/.test(separator) && lastLine) separator = ` \\${eol}${lastLine[1]}&& `;
  return {
    key: `lists-${k}`,
    message: `remove the package lists in the RUN at line ${reading.line} that fetched them (${LISTS_CLEANUP})`,
    span: { start: at, end: at },
    fix: { edits: [insertAt(reading.scriptStart + last.end, `${separator}${LISTS_CLEANUP}`)] },
  };
}

/**
 * Why the package lists or index must stay after RUN `index` of `stage`: a later RUN of the stage,
 * or of a stage built on it, reads them (or may: a script, an unreadable RUN) before fetching its
 * own. Null when nothing does.
 */
function laterListsUse(ctx: Ctx, stages: readonly Stage[], stage: Stage, index: number): string | null {
  const queue: { stage: Stage; from: number }[] = [{ stage, from: index + 1 }];
  for (let q = 0; q < queue.length; q++) {
    const { stage: s, from } = queue[q]!;
    for (const instruction of s.instructions.slice(from)) {
      const text = instruction.getArgumentsContent() ?? '';
      const line = ctx.source.lineNumberAt(ctx.source.offsetAt(instruction.getRange().start));
      if (instruction.getKeyword() === 'ONBUILD' && MAY_READ_LISTS.test(text)) return `the ONBUILD at line ${line} may install packages`;
      if (!(instruction instanceof Run)) continue;
      const reading = readRun(ctx.source, instruction);
      if (!reading.commands) {
        if (MAY_READ_LISTS.test(text)) return `the RUN at line ${line} may read them, and it ${reading.problem}`;
        continue;
      }
      for (const [i, command] of reading.commands.entries()) {
        const words = command.words;
        const os = readOsCommand(words);
        if (os && readsLists(os, words) && !reading.commands.slice(0, i).some((c) => readOsCommand(c.words)?.action === 'update')) {
          return `the RUN at line ${line} runs ${words[0]} ${os.action ?? ''} without updating first`;
        }
        if (!os && MAY_READ_LISTS.test(reading.script.slice(command.start, command.end))) return `the RUN at line ${line} runs ${words[0] ?? 'a command'}, which may install packages`;
        const program = words[0];
        if (program && (program.endsWith('.sh') || (['sh', 'bash'].includes(program) && words[1] !== undefined && !words[1]?.startsWith('-')))) {
          return `the RUN at line ${line} runs a script, which may install packages`;
        }
      }
    }
    // Stages built FROM this one inherit its files, package lists included.
    for (const child of stages) {
      if (child.index > s.index && child.image !== null && (child.image.toLowerCase() === s.name?.toLowerCase() || child.image === String(s.index))) {
        queue.push({ stage: child, from: 0 });
      }
    }
  }
  return null;
}

function readsLists(os: OsCommand, words: readonly (string | null)[]): boolean {
  if (os.manager === 'apk') {
    if (os.action === 'add') return !words.some((w) => w === '--no-cache' || w === '-U' || w === '--update' || w === '--update-cache');
    return os.action !== 'update' && os.action !== 'del' && os.action !== 'cache';
  }
  return !['update', 'clean', 'autoclean', 'autoremove', 'remove', 'purge', 'mark', 'hold', 'unhold'].includes(os.action ?? '');
}

/** The last apt install of the chain: the cleanup goes after it once, not after each install. */
function isLastAptInstall(commands: readonly { os: OsCommand | null }[], i: number): boolean {
  return !commands.slice(i + 1).some((c) => c.os?.manager === 'apt' && c.os.action === 'install');
}

function assumesYes(words: readonly (string | null)[]): boolean {
  return words.some((w) => w !== null && (/^-[a-zA-Z]*y[a-zA-Z]*$/.test(w) || /^-[a-zA-Z]*qq/.test(w) || ['--yes', '--assume-yes', '--force-yes', '-q=2', '--quiet=2'].includes(w) || /^APT::Get::Assume-Yes=/i.test(w)));
}

function setsRecommends(words: readonly (string | null)[]): boolean {
  return words.some((w) => w !== null && /^(--no-install-recommends=|--install-recommends|APT::Install-Recommends=)/i.test(w));
}

function removesLists(words: readonly (string | null)[]): boolean {
  return words[0] === 'rm' && words.some((w) => w !== null && w.startsWith('/var/lib/apt/lists'));
}

/** A cache mount over the lists keeps them out of the image already (and removing them would empty the cache). */
function cachesAptLists(run: Run): boolean {
  const cached = mountTargets(run, 'cache');
  return cached.has('/var/lib/apt') || cached.has('/var/lib/apt/lists');
}

/**
 * Where the words of a command up to the one after its action are, as offsets into the file: the
 * command's text split at blanks and line continuations. Null when that does not give back those
 * words (a word with quotes or an escape), so that an edit never lands inside one. Later words (a
 * quoted package name) are not placed: no edit goes after them.
 */
function wordSpans(reading: RunReading, command: SimpleCommand, actionIndex: number): { start: number; end: number }[] | null {
  const text = reading.script.slice(command.start, command.end);
  const offset = reading.scriptStart + command.start;
  const spans: { start: number; end: number }[] = [];
  const re = /[^ \t\r\n\\]+|\\(?!\r?\n|\r)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) spans.push({ start: offset + m.index, end: offset + m.index + m[0].length });
  const words = spans.slice(command.assigns.length);
  let placed = Math.min(actionIndex + 2, command.words.length);
  if (command.words[actionIndex + 1] === null) placed = actionIndex + 1;
  for (let i = 0; i < placed; i++) {
    const span = words[i];
    if (!span || command.words[i] === null || text.slice(span.start - offset, span.end - offset) !== command.words[i]) return null;
  }
  return words.slice(0, placed);
}
