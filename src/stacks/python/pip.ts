// pip as Dockerfiles call it: `pip install …`, `pip3 install …`, `python -m pip install …`.

/** The arguments after `install`, or null when the command is not a pip install. */
export function pipArgs(words: readonly string[]): string[] | null {
  if ((words[0] === 'pip' || words[0] === 'pip3') && words[1] === 'install') return words.slice(2);
  if ((words[0] === 'python' || words[0] === 'python3') && words[1] === '-m' && /^pip3?$/.test(words[2] ?? '') && words[3] === 'install') return words.slice(4);
  return null;
}
