// go.mod read line by line. The readers matched it with multi-line regular expressions
// (`/^\s*module\s+…/m`); `\s` also matches a newline, so on a file of blank lines every line start
// rescanned the rest of the file, and 5 MB of newlines never finished. Go's own grammar is one
// directive per line (or a parenthesised block of lines), which a linear pass reads exactly.

/**
 * The lines of go.mod with `//` comments and surrounding space removed, one at a time: a file of
 * millions of blank lines split into an array (twice, with the map) held hundreds of MB, and
 * every transform that asks about the install reads it again.
 */
function* directiveLines(text: string): Generator<string> {
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end);
    const comment = line.indexOf('//');
    yield (comment === -1 ? line : line.slice(0, comment)).trim();
    start = end + 1;
  }
}

/** The module path of the `module` directive, or null when there is none. */
export function goModulePath(text: string): string | null {
  for (const line of directiveLines(text)) {
    const match = /^module[ \t]+"?([^\s"]+)"?/.exec(line);
    if (match) return match[1]!;
    if (/^module\b/.test(line)) return null;
  }
  return null;
}

/** Whether a `replace` directive (single or in a block) points at a local folder (`=> ./x`, `../x`, `/x`). */
export function replacesWithLocalFolder(text: string): boolean {
  const local = /=>[ \t]*\.{0,2}\//;
  let inBlock = false;
  for (const line of directiveLines(text)) {
    if (inBlock) {
      if (line.startsWith(')')) inBlock = false;
      else if (local.test(line)) return true;
    } else if (/^replace[ \t]*\($/.test(line)) {
      inBlock = true;
    } else if (/^replace\b/.test(line) && local.test(line)) {
      return true;
    }
  }
  return false;
}
