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
