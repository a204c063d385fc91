// Quoting a file's text in a message: stageopt reads files of other people's repositories, and its
// log may be public (CI). A message names the offending token — its leading word, at most 24
// characters, `…` marking what was left out — never a whole line.

const MAX = 24;

/** The leading word of `text` (letters, digits, `_ . -`), cut to 24 characters, `…` when anything was left out. */
export function token(text: string): string {
  const flat = text.trim();
  const word = (/^[A-Za-z0-9_.-]*/.exec(flat)?.[0] ?? '').slice(0, MAX);
  return word.length < flat.length ? `${word}…` : word;
}

// A quoted part of a message ("…") longer than this is cut: commands and scripts of the file are
// quoted so the user can find them, not reproduced.
const MAX_QUOTED = 40;

/**
 * A message as it may be printed: control characters (terminal escapes, carriage returns, bidi
 * overrides that make a log lie) removed, every double-quoted part cut to 40 characters. The
 * engine passes every decline and fix message through it, whichever transform wrote it.
 */
export function safeMessage(message: string): string {
  const clean = message.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g, ' ');
  return clean.replace(/"([^"]{41,})"/g, (_, inner: string) => `"${inner.slice(0, MAX_QUOTED)}…"`);
}
