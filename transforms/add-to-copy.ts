// add-to-copy: `ADD` of local files and folders does what `COPY` does, plus two things nobody asked
// for — fetching URLs and extracting tar archives. Writing COPY says what happens (hadolint DL3020).
// ADD stays where it fetches, clones or extracts, and where stageopt cannot tell whether it would.
import type { Instruction } from 'dockerfile-ast';
import { ARCHIVE_HEAD_BYTES, archiveKind, hasArchiveName } from '../src/archives.js';
import type { BuildContext } from '../src/build-context.js';
import { replaceSpan } from '../src/edits.js';
import { copyOperands, flagsOf } from '../src/stages.js';
import { defineTransform, type Finding, type TransformContext } from '../src/transform.js';

type Options = Record<string, never>;
type Ctx = TransformContext<Options>;

/** Flags ADD and COPY share, with the same meaning; any other flag keeps the ADD. */
const SHARED_FLAGS = new Set(['chown', 'chmod', 'link', 'exclude']);
const REMOTE = /^([a-z][a-z0-9+.-]*:\/\/|git@|[\w.-]+@[\w.-]+:)/i;

const BY_NAME_ONLY =
  'the source is not in the build context stageopt reads, so only its name says it is not an archive ADD would extract';

export default defineTransform<Options>({
  id: 'add-to-copy',
  summary: 'Write `COPY` for `ADD` of local files and folders, which neither fetch nor extract (hadolint DL3020).',
  safety: 'safe',
  unsafeReason: BY_NAME_ONLY,
  options: {},
  run(ctx) {
    const findings: Finding[] = [];
    let ordinal = 0;
    for (const instruction of ctx.dockerfile.getInstructions()) {
      if (instruction.getKeyword() !== 'ADD') continue;
      const finding = analyzeAdd(ctx, instruction, ordinal++);
      if (finding) findings.push(finding);
    }
    return findings;
  },
});

type Verdict = { kind: 'copy'; byNameOnly: boolean } | { kind: 'keep' } | { kind: 'decline'; reason: string };

function analyzeAdd(ctx: Ctx, add: Instruction, ordinal: number): Finding | null {
  const at = ctx.source.offsetAt(add.getRange().start);
  const line = ctx.source.lineNumberAt(at);
  const decline = (reason: string): Finding => ({ key: `decline-${ordinal}`, message: `ADD at line ${line} ${reason}; left as ADD`, span: { start: at, end: at } });
  if (add.getArguments().some((a) => a.getValue().startsWith('<<'))) return decline('writes a heredoc');
  const flag = flagsOf(add).find((f) => !SHARED_FLAGS.has(f.name));
  if (flag) return flag.name === 'checksum' || flag.name === 'keep-git-dir' || flag.name === 'unpack' ? null : decline(`has --${flag.name}, which COPY does not take the same way`);
  const operands = copyOperands(add);
  if (!operands) return null; // a broken instruction: the validator's business
  const verdicts = operands.sources.map((s) => sourceVerdict(s, ctx.buildContext));
  // ADD used for what only ADD does (a URL, a git repository, an archive) is left alone silently.
  if (verdicts.some((v) => v.kind === 'keep')) return null;
  const declined = verdicts.find((v): v is Extract<Verdict, { kind: 'decline' }> => v.kind === 'decline');
  if (declined) return decline(declined.reason);
  const byNameOnly = verdicts.some((v) => v.kind === 'copy' && v.byNameOnly);
  const keyword = add.getInstruction();
  return {
    key: `add-${ordinal}`,
    message: `write COPY for ADD at line ${line}: ${operands.sources.length === 1 ? 'its source is' : 'its sources are'} local and not an archive`,
    span: { start: at, end: at },
    fix: {
      edits: [replaceSpan(ctx.source.span(add.getInstructionRange()), copyKeyword(keyword))],
      ...(byNameOnly ? { safety: 'unsafe' as const, unsafeReason: BY_NAME_ONLY } : {}),
    },
  };
}

/** COPY in the case ADD was written in: `ADD` → `COPY`, `add` → `copy`, `Add` → `Copy`. */
function copyKeyword(keyword: string): string {
  if (keyword === keyword.toUpperCase()) return 'COPY';
  if (keyword === keyword.toLowerCase()) return 'copy';
  return 'Copy';
}

function sourceVerdict(source: string, context: BuildContext): Verdict {
  if (REMOTE.test(source)) return { kind: 'keep' };
  if (hasArchiveName(source)) return { kind: 'keep' };
  if (source.includes('$')) return { kind: 'decline', reason: `names "${source}", a variable, which may be an archive` };
  if (source.includes('\\')) return { kind: 'decline', reason: `names "${source}", with an escape stageopt does not read` };
  // The context root, or a path that must be a folder: ADD copies a folder's contents like COPY.
  const rel = source.replace(/^(\.\/|\/)+/, '');
  if (rel === '' || rel === '.' || source.endsWith('/')) return { kind: 'copy', byNameOnly: false };
  if (rel.split('/').includes('..')) return { kind: 'decline', reason: `names "${source}", which leads out of its folder` };
  if (/[*?[]/.test(rel)) return wildcardVerdict(source, rel, context);
  return contextFileVerdict(rel, context);
}

/** A file or folder of the context, by what it holds; by its name alone when it is not there. */
function contextFileVerdict(rel: string, context: BuildContext): Verdict {
  if (context.root === null || !context.has(rel)) return { kind: 'copy', byNameOnly: true };
  if (context.isDirectory(rel)) return { kind: 'copy', byNameOnly: false };
  const head = context.readHead(rel, ARCHIVE_HEAD_BYTES);
  if (head === null) return { kind: 'decline', reason: `names "${rel}", which stageopt cannot read to tell whether it is an archive` };
  const kind = archiveKind(head);
  if (kind === 'tar') return { kind: 'keep' };
  if (kind === 'compressed') return { kind: 'decline', reason: `names "${rel}", a compressed file, which ADD extracts if it holds a tar archive` };
  return { kind: 'copy', byNameOnly: false };
}

/** A wildcard in the last path segment, matched against the context as Docker matches it. */
function wildcardVerdict(source: string, rel: string, context: BuildContext): Verdict {
  const cut = rel.lastIndexOf('/');
  const dir = cut === -1 ? '.' : rel.slice(0, cut);
  const pattern = rel.slice(cut + 1);
  if (/[*?[]/.test(dir) || pattern.includes('[')) return { kind: 'decline', reason: `names "${source}", a pattern stageopt does not match` };
  if (context.root === null) return { kind: 'decline', reason: `names "${source}", a wildcard, and without the build context stageopt cannot tell whether it matches an archive` };
  const entries = context.list(dir);
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  const matches = (entries ?? []).filter((e) => regex.test(e));
  if (matches.length === 0) return { kind: 'decline', reason: `names "${source}", a wildcard that matches nothing in the build context` };
  for (const name of matches) {
    const path = dir === '.' ? name : `${dir}/${name}`;
    const verdict = hasArchiveName(path) ? { kind: 'keep' as const } : contextFileVerdict(path, context);
    if (verdict.kind !== 'copy') return verdict.kind === 'keep' ? { kind: 'decline', reason: `names "${source}", which matches "${path}", an archive ADD extracts` } : verdict;
  }
  return { kind: 'copy', byNameOnly: false };
}
