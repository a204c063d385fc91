// Reading the shell of a RUN instruction with a real parser (mvdan/sh, the parser behind shfmt)
// instead of regexes: `&&` chains, quoting and continuations mean what the shell says they mean.
// Plain scripts (words joined by operators) are read by simple-shell.ts, held to this parser's
// answers by a differential test; everything else comes here.
// The parser is 1.5 MB of JavaScript, so it is loaded on first use, not at start-up, and from the
// build's V8 code cache (see code-cache.ts).
import { requireCached } from './code-cache.js';
import { readSimpleScript, type SimpleScript } from './simple-shell.js';

interface ShNode {
  Pos(): { Offset(): number };
  End(): { Offset(): number };
}
interface ShWord extends ShNode {
  Lit(): string;
  Parts: ShPart[];
}
interface ShPart extends ShNode {
  Value?: string;
  Dollar?: boolean;
  Parts?: ShPart[];
  /** ParamExp: `$NAME` / `${NAME}`, and whatever else `${…}` may say (`${NAME:-x}`, `${#NAME}`). */
  Param?: { Value: string };
  Excl?: boolean;
  Length?: boolean;
  Width?: boolean;
  Index?: unknown;
  Slice?: unknown;
  Repl?: unknown;
  Exp?: unknown;
}
interface ShCall extends ShNode {
  Assigns: unknown[];
  Args: ShWord[];
}
interface ShStmt extends ShNode {
  Cmd: (ShNode & { Op?: number; X?: ShStmt; Y?: ShStmt; Args?: ShWord[]; Assigns?: { Name?: { Value: string } }[] }) | null;
  Negated: boolean;
  Background: boolean;
  Coprocess: boolean;
  Redirs: unknown[] | null;
}
interface ShFile {
  Stmts: ShStmt[];
}
interface ShApi {
  syntax: {
    NewParser(): { Parse(src: string, name: string): ShFile };
    NodeType(node: unknown): string;
    Walk(node: unknown, visit: (node: unknown) => boolean): void;
  };
}

let api: { parser: ReturnType<ShApi['syntax']['NewParser']>; nodeType: ShApi['syntax']['NodeType']; walk: ShApi['syntax']['Walk']; and: number } | null = null;

function sh() {
  if (!api) useShellLibrary(requireCached<ShApi>('mvdan-sh').exports);
  return api!;
}

/**
 * Reads scripts with this instance of mvdan-sh from now on. The build step that makes the code
 * cache passes the instance it is caching, so that what andChain runs is compiled into the cache.
 */
export function useShellLibrary(library: unknown): void {
  const loaded = library as ShApi;
  const parser = loaded.syntax.NewParser();
  // Operator codes are internal to the parser: learn `&&`'s from a sample instead of hard-coding it.
  const and = parser.Parse('a && b', '').Stmts[0]!.Cmd!.Op!;
  api = { parser, nodeType: loaded.syntax.NodeType, walk: loaded.syntax.Walk, and };
}

/** One simple command of a chain: its span in the script and its words (null where a word is not a plain literal). */
export interface SimpleCommand {
  start: number;
  end: number;
  words: (string | null)[];
  /** Variables the command sets for itself (`CGO_ENABLED=0 go build` → CGO_ENABLED). */
  assigns: string[];
  /** True when it redirects, or is negated/backgrounded. */
  decorated: boolean;
}

const MAX_SCRIPT_CHARS = 16 * 1024;
/** Statements visited: a chain of n commands has n - 1 `&&` nodes above them. */
const MAX_STATEMENTS = 1000;

const PIPE_OR_OR = 'it uses "||" or a pipe';

export type Chain = { ok: true; commands: SimpleCommand[] } | { ok: false; reason: string };

/**
 * Reads a script that must be one statement made of simple commands joined by `&&`
 * (`npm ci && npm run build`). Anything else — `;`, `||`, pipes, subshells, functions — is
 * reported, since splitting such a script would change when later commands run. With
 * `anyOperator`, `||` and pipes are read too, for callers that only ask which commands may run
 * (`curl -f http://localhost/ || exit 1`), not in which order.
 */
export function andChain(script: string, options: { anyOperator?: boolean } = {}): Chain {
  const simple = plainReading(script);
  if (simple) {
    if (!options.anyOperator && simple.operators.some((op) => op !== '&&')) return { ok: false, reason: PIPE_OR_OR };
    return { ok: true, commands: simple.commands };
  }
  return parsedChain(script, options);
}

/** andChain as the full parser reads it: for scripts outside the simple subset, and for tests. */
export function parsedChain(script: string, options: { anyOperator?: boolean } = {}): Chain {
  const parsed = parse(script);
  if (!parsed.ok) return parsed;
  const file = parsed.file;
  if (file.Stmts.length !== 1) return { ok: false, reason: 'it runs several statements (";" or newlines)' };
  const commands: SimpleCommand[] = [];
  // `a && b && c` nests to the left, one level per `&&`: a recursive walk overflowed the stack on a
  // RUN of 10,000 continuation lines, so the tree is walked with a stack of its own, in source order.
  const pending: ShStmt[] = [file.Stmts[0]!];
  let problem: string | null = null;
  for (let visited = 0; pending.length > 0 && problem === null; visited++) {
    if (visited === MAX_STATEMENTS) problem = `it chains more than ${MAX_STATEMENTS / 2} commands, more than stageopt reads`;
    else problem = visit(pending.pop()!, pending, commands, options.anyOperator ?? false);
  }
  if (problem) return { ok: false, reason: problem };
  // The parser is Go: its offsets count UTF-8 bytes, and JavaScript strings count UTF-16 units.
  if (/[^\x00-\x7f]/.test(script)) {
    const toIndex = byteToIndex(script);
    for (const c of commands) {
      c.start = toIndex[c.start]!;
      c.end = toIndex[c.end]!;
    }
  }
  return { ok: true, commands };
}

/** The simple reader's answer, within the size every reading is held to (a longer script is refused by parse). */
function plainReading(script: string): SimpleScript | null {
  return script.length <= MAX_SCRIPT_CHARS ? readSimpleScript(script) : null;
}

/** The script's syntax tree, or why there is none (too big to read, or not valid shell). */
function parse(script: string): { ok: true; file: ShFile } | { ok: false; reason: string } {
  // Every node read from the parser crosses the GopherJS boundary (tens of µs each): a 200 KB RUN of
  // words or a chain of 10,000 commands took seconds. Real RUN scripts are far below both limits.
  if (script.length > MAX_SCRIPT_CHARS) return { ok: false, reason: `it is over ${MAX_SCRIPT_CHARS / 1024} KB, more than stageopt reads` };
  try {
    return { ok: true, file: sh().parser.Parse(script, '') };
  } catch (err) {
    // GopherJS throws the Go error value, which has an Error() method rather than a message.
    const message = typeof (err as { Error?: unknown })?.Error === 'function' ? (err as { Error(): string }).Error() : String(err);
    return { ok: false, reason: `the shell cannot parse it (${message.split('\n')[0]})` };
  }
}

/** A command's words as literals, null where a word is not a plain literal (quotes, `$x`). */
function literalWords(args: readonly ShWord[] | null | undefined): (string | null)[] {
  return (args ?? []).map((w) => {
    const lit = w.Lit();
    return lit === '' ? null : lit;
  });
}

/** Reads one statement of a chain: a simple command is recorded, an `&&` queues its two sides. */
function visit(stmt: ShStmt, pending: ShStmt[], commands: SimpleCommand[], anyOperator: boolean): string | null {
  const cmd = stmt.Cmd;
  if (!cmd) return 'it has an empty statement';
  const type = sh().nodeType(cmd);
  if (type === 'BinaryCmd') {
    if (cmd.Op !== sh().and && !anyOperator) return PIPE_OR_OR;
    if (stmt.Negated || stmt.Background || (stmt.Redirs?.length ?? 0) > 0) return 'it redirects or negates a chain';
    pending.push(cmd.Y!, cmd.X!); // X is popped, and so read, first
    return null;
  }
  if (type !== 'CallExpr') return `it uses a ${type}`;
  commands.push({
    start: stmt.Pos().Offset(),
    end: stmt.End().Offset(),
    words: literalWords(cmd.Args),
    assigns: (cmd.Assigns ?? []).map((a) => a.Name?.Value ?? ''),
    decorated: stmt.Negated || stmt.Background || stmt.Coprocess || (stmt.Redirs?.length ?? 0) > 0,
  });
  return null;
}

function byteToIndex(text: string): number[] {
  const map: number[] = [];
  let byte = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!;
    const bytes = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let b = 0; b < bytes; b++) map[byte + b] = i;
    byte += bytes;
    if (code >= 0x10000) i++; // a surrogate pair is one code point
  }
  map[byte] = text.length;
  return map;
}

/**
 * Every simple command a script may run, wherever it sits (`a || b`, pipes, `$(…)`), with its
 * literal words (null where a word is not a plain literal). Used to learn which programs a CMD or
 * HEALTHCHECK needs; null when the script cannot be parsed or is too big to read. With `quoted`,
 * a word of plain text and quotes without expansions reads as its value (`"babel-node index.js"`
 * → `babel-node index.js`): what a launcher receives as the command to run.
 */
export function calledCommands(script: string, options: { quoted?: boolean } = {}): (string | null)[][] | null {
  const simple = plainReading(script);
  if (simple) return simple.commands.map((c) => c.words).filter((words) => words.length > 0);
  return parsedCalls(script, options);
}

/** calledCommands as the full parser reads it. */
export function parsedCalls(script: string, options: { quoted?: boolean; env?: ReadonlyMap<string, string> } = {}): (string | null)[][] | null {
  const parsed = parse(script);
  if (!parsed.ok) return null;
  const found: (string | null)[][] = [];
  sh().walk(parsed.file, (node) => {
    if (node && sh().nodeType(node) === 'CallExpr') {
      const args = (node as ShCall).Args;
      const words = options.quoted ? args.map((w) => unquotedWord(w, options.env)) : literalWords(args);
      if (words.length > 0) found.push(words);
    }
    return true;
  });
  return found;
}

/**
 * A word's value when it is plain text and quotes with no expansion in them; null otherwise. A
 * backslash anywhere also gives null: its meaning differs inside and outside double quotes. With
 * `env`, a plain `$NAME` or `${NAME}` that env names reads as its value: inside double quotes only,
 * or where the value has no blank or glob character, since elsewhere the shell would split it.
 */
function unquotedWord(word: ShWord, env?: ReadonlyMap<string, string>): string | null {
  let value = '';
  const text = (part: ShPart, quoted: boolean): boolean => {
    const type = sh().nodeType(part);
    if (type === 'ParamExp') {
      const name = plainParam(part);
      const known = name === null ? undefined : env?.get(name);
      if (known === undefined || (!quoted && /[\s*?[\]]/.test(known))) return false;
      value += known;
      return true;
    }
    if (type !== 'Lit' || part.Value === undefined || part.Value.includes('\\')) return false;
    value += part.Value;
    return true;
  };
  for (const part of word.Parts ?? []) {
    const type = sh().nodeType(part);
    if (type === 'Lit' || type === 'ParamExp') {
      if (!text(part, false)) return null;
    } else if (type === 'SglQuoted' && !part.Dollar && part.Value !== undefined) value += part.Value;
    else if (type === 'DblQuoted' && !part.Dollar) {
      for (const inner of part.Parts ?? []) if (!text(inner, true)) return null;
    } else return null;
  }
  return value;
}

/** NAME of a `$NAME` or `${NAME}` with nothing else in the braces; null for any other expansion. */
function plainParam(part: ShPart): string | null {
  const extra = part.Excl || part.Length || part.Width || part.Index || part.Slice || part.Repl || part.Exp;
  return part.Param && !extra ? part.Param.Value : null;
}

/** The value of the first of `names` in a command's words, given as `-o value` or `-o=value`. */
export function flagValue(words: readonly string[], ...names: string[]): string | null {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    for (const name of names) {
      if (w === name && i + 1 < words.length) return words[i + 1]!;
      if (w.startsWith(name + '=')) return w.slice(name.length + 1);
    }
  }
  return null;
}
