// Most RUN scripts are plain words joined by `&&` (`apt-get update && apt-get install -y curl`).
// For those the answer is known without the full shell parser, which costs 30–40 ms to load on a
// one-file run and is the largest library cost per file in a batch (every node read crosses the
// GopherJS boundary). This reader accepts only a strict subset of the shell — anything it is not
// sure of (quotes, `$`, redirections, `;`, newlines, comments, reserved words, non-ASCII) makes it
// answer null, and the caller asks the real parser. A differential test holds it to the parser's
// answers on every script of the fixtures and the corpus.
import type { SimpleCommand } from './shell.js';

export type Operator = '&&' | '||' | '|';

export interface SimpleScript {
  commands: SimpleCommand[];
  /** The operators between the commands, in order: one fewer than the commands. */
  operators: Operator[];
}

// Characters that are literal in every position of a word in bash (globs stay literal for a parser;
// extended globs need a parenthesis, which is not here). Everything else makes the script not simple.
const WORD_CHAR = /[A-Za-z0-9_./:@%+,=*?[\]~^-]/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
// Words the parser reads as something other than a simple command when they come first:
// reserved words, and bash's declaration builtins (read as declarations, not calls). `!`, `{` and
// `}` are not word characters here, and `[[` is caught as a bracketed command name.
const NOT_A_CALL = new Set([
  'case', 'coproc', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'function', 'if', 'in',
  'select', 'then', 'time', 'until', 'while', 'declare', 'export', 'local', 'readonly', 'typeset', 'nameref', 'let',
]);
/** Longer chains go to the parser, which knows how to refuse them. */
const MAX_COMMANDS = 200;

interface Token {
  text: string;
  start: number;
  end: number;
}

/** The script's commands and operators when it is inside the simple subset, else null. */
export function readSimpleScript(script: string): SimpleScript | null {
  const commands: SimpleCommand[] = [];
  const operators: Operator[] = [];
  let words: Token[] = [];
  const endCommand = (): boolean => {
    const command = toCommand(words);
    if (command === null) return false;
    commands.push(command);
    words = [];
    return commands.length <= MAX_COMMANDS;
  };
  let i = 0;
  while (i < script.length) {
    const c = script[i]!;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '\\') {
      // A line continuation, only between words: inside a word the parser joins the two halves.
      if (script[i + 1] !== '\n' || (i > 0 && WORD_CHAR.test(script[i - 1]!))) return null;
      i += 2;
    } else if (c === '&' || c === '|') {
      const op = script.startsWith('&&', i) ? '&&' : script.startsWith('||', i) ? '||' : c === '|' ? '|' : null;
      if (op === null || script[i + op.length] === '&' || script[i + op.length] === '|') return null;
      if (!endCommand()) return null;
      operators.push(op);
      i += op.length;
    } else if (WORD_CHAR.test(c)) {
      const start = i;
      while (i < script.length && WORD_CHAR.test(script[i]!)) i++;
      words.push({ text: script.slice(start, i), start, end: i });
    } else {
      return null;
    }
  }
  if (!endCommand()) return null;
  return { commands, operators };
}

/** A command's tokens as the parser reads them: leading `NAME=value` words set variables. */
function toCommand(tokens: Token[]): SimpleCommand | null {
  if (tokens.length === 0) return null; // an operator with nothing on one side: let the parser say why
  let first = 0;
  while (first < tokens.length && ASSIGNMENT.test(tokens[first]!.text)) first++;
  const name = tokens[first];
  // `a[1]=x`, `a+=x` and the like are assignments of other kinds, and a bracket after a name
  // in command position starts an array index (`a[` is a syntax error) unless it is the `[` command.
  if (name && (name.text.includes('=') || NOT_A_CALL.has(name.text) || (name.text !== '[' && /[[\]]/.test(name.text)))) return null;
  return {
    start: tokens[0]!.start,
    end: tokens[tokens.length - 1]!.end,
    words: tokens.slice(first).map((t) => t.text),
    assigns: tokens.slice(0, first).map((t) => t.text.slice(0, t.text.indexOf('='))),
    decorated: false,
  };
}
