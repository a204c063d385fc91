// Deterministic byte-level mutations of Dockerfiles, for test/fuzz.test.ts. Mutations work on
// bytes, not strings, so they can also produce what a decoder must reject (NUL, invalid UTF-8).

/** mulberry32: a tiny seeded PRNG, good enough to pick mutations and reproducible everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string mixed with a seed: each (seed, file, mutant) gets a PRNG of its own, so one
 * failing mutant replays alone and adding a corpus file changes no other file's mutants. */
export function seedFor(seed: number, ...parts: (string | number)[]): number {
  let h = 0x811c9dc5 ^ seed;
  for (const c of parts.join('\0')) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193);
  return h >>> 0;
}

export type Rng = () => number;
const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, items: readonly T[]): T => items[int(rng, items.length)]!;
const b = (s: string) => Buffer.from(s, 'utf8');

/** Lines with their own line breaks, so joining them gives the bytes back exactly. */
function splitLines(buf: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, start)) {
    lines.push(buf.subarray(start, i + 1));
    start = i + 1;
  }
  if (start < buf.length) lines.push(buf.subarray(start));
  return lines;
}

function withLines(buf: Buffer, edit: (lines: Buffer[]) => void): Buffer {
  const lines = splitLines(buf);
  edit(lines);
  return Buffer.concat(lines);
}

function insertBytes(buf: Buffer, at: number, bytes: Buffer): Buffer {
  return Buffer.concat([buf.subarray(0, at), bytes, buf.subarray(at)]);
}

/** A line break in the file's own style (or \n), so an inserted line does not also mix endings. */
function eolOf(buf: Buffer): string {
  return buf.includes('\r\n') ? '\r\n' : '\n';
}

/** Inserts whole lines at a random line boundary. */
function insertLines(rng: Rng, buf: Buffer, text: string): Buffer {
  return withLines(buf, (lines) => {
    const at = int(rng, lines.length + 1);
    if (at > 0 && !lines[at - 1]!.includes(10)) lines[at - 1] = Buffer.concat([lines[at - 1]!, b(eolOf(buf))]);
    lines.splice(at, 0, b(text.replace(/\n/g, eolOf(buf))));
  });
}

const PRINTABLE = ' !"#$%&\'()*+,-./0123456789:;<=>?@ABCXYZ[\\]^_`abcxyz{|}~';
const CONTROL = [1, 7, 8, 9, 11, 12, 13, 27, 127];

export type Mutator = (rng: Rng, buf: Buffer) => Buffer;

/** Cheap mutations: each mutant of a corpus file applies one to three of them. */
export const LIGHT: Record<string, Mutator> = {
  'delete-line': (rng, buf) => withLines(buf, (l) => void l.splice(int(rng, l.length), 1)),
  'duplicate-line': (rng, buf) =>
    withLines(buf, (l) => {
      const i = int(rng, l.length);
      if (l[i]) l.splice(i, 0, l[i]!.includes(10) ? l[i]! : Buffer.concat([l[i]!, b('\n')]));
    }),
  'swap-lines': (rng, buf) =>
    withLines(buf, (l) => {
      if (l.length < 2) return;
      const i = int(rng, l.length - 1);
      const eol = (x: Buffer) => (x.includes(10) ? x : Buffer.concat([x, b('\n')]));
      [l[i], l[i + 1]] = [eol(l[i + 1]!), l[i]!];
    }),
  junk: (rng, buf) => {
    const bytes = Array.from({ length: 1 + int(rng, 8) }, () => (rng() < 0.7 ? PRINTABLE.charCodeAt(int(rng, PRINTABLE.length)) : pick(rng, CONTROL)));
    return insertBytes(buf, int(rng, buf.length + 1), Buffer.from(bytes));
  },
  'stray-backslash': (rng, buf) =>
    withLines(buf, (l) => {
      const i = int(rng, l.length);
      if (!l[i]) return void l.push(b('\\'));
      const text = l[i]!.toString('latin1');
      const body = text.replace(/\r?\n$/, '');
      l[i] = Buffer.from(body + pick(rng, ['\\', ' \\', '\\\\', '\\ ']) + text.slice(body.length), 'latin1');
    }),
  'unbalanced-quote': (rng, buf) => {
    const space = buf.indexOf(32, int(rng, buf.length));
    return insertBytes(buf, space === -1 ? buf.length : space + 1, b(pick(rng, ['"', "'", '`', '["'])));
  },
  'unterminated-heredoc': (rng, buf) =>
    insertLines(rng, buf, pick(rng, ['RUN <<EOF\necho hi\n', 'RUN <<-"EOT" bash\n\tset -e\n', 'COPY <<EOF /etc/app.conf\nkey=1\n', 'RUN <<EOF\n', 'RUN cat <<A <<B\na\nA\n'])),
  'unterminated-json': (rng, buf) => {
    const text = buf.toString('latin1');
    const arrays = [...text.matchAll(/^\s*(CMD|RUN|COPY|ENTRYPOINT|ADD)\s+\[[^\n]*\]/gim)];
    if (arrays.length > 0 && rng() < 0.6) {
      const m = pick(rng, arrays);
      const close = m.index! + m[0].length - 1; // cut the closing bracket, at times with up to 3 characters before it
      return Buffer.concat([buf.subarray(0, rng() < 0.5 ? close : close - int(rng, 4)), buf.subarray(close + 1)]);
    }
    return insertLines(rng, buf, pick(rng, ['CMD ["node", "server.js"\n', 'RUN ["sh", "-c", "echo\n', 'COPY ["package.json", "./"\n', 'ENTRYPOINT [\n', 'CMD ["a", \\\n']));
  },
  'mix-line-endings': (rng, buf) => {
    const text = buf.toString('latin1');
    const style = pick(rng, ['\r\n', '\n', '\r']);
    return Buffer.from(text.replace(/\r?\n/g, (eol) => (rng() < 0.4 ? style : eol)), 'latin1');
  },
  bom: (rng, buf) => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    return rng() < 0.7 ? Buffer.concat([bom, buf]) : insertBytes(buf, int(rng, buf.length + 1), bom);
  },
  nul: (rng, buf) => insertBytes(buf, int(rng, buf.length + 1), Buffer.from([0])),
  'invalid-utf8': (rng, buf) =>
    insertBytes(buf, int(rng, buf.length + 1), Buffer.from(pick(rng, [[0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80]]))),
  'utf16-bom': (rng, buf) => Buffer.concat([Buffer.from(pick(rng, [[0xff, 0xfe], [0xfe, 0xff]])), buf]),
  truncate: (rng, buf) => buf.subarray(0, int(rng, buf.length + 1)),
};

/** Continues a random RUN of the file with `lines` (or inserts `RUN true` + them where it has none),
 * so the long instruction sits where the file's own structure (COPY . ., installs) surrounds it. */
function extendRun(rng: Rng, buf: Buffer, lines: string): Buffer {
  return withLines(buf, (l) => {
    const runs = l.map((line, i) => (/^\s*RUN\s[^\\]*\r?\n$/i.test(line.toString('latin1')) ? i : -1)).filter((i) => i >= 0);
    const eol = eolOf(buf);
    const text = lines.replace(/\n/g, eol);
    if (runs.length === 0) return void l.splice(int(rng, l.length + 1), 0, b(`${eol}RUN true \\${eol}${text}`));
    const i = pick(rng, runs);
    l[i] = Buffer.concat([Buffer.from(l[i]!.toString('latin1').replace(/\r?\n$/, ` \\${eol}`), 'latin1'), b(text)]);
  });
}

/** Expensive shapes, each tried on a sample of files: they probe for super-linear behaviour. */
export const HEAVY: Record<string, Mutator> = {
  // 200 KB in one RUN argument: a single word, a quoted string, or many words naming a package manager.
  'long-line': (rng, buf) => {
    const arg = pick(rng, ['a'.repeat(200_000), `"${'x '.repeat(100_000)}"`, 'npm '.repeat(50_000), '\\ '.repeat(100_000)]);
    return rng() < 0.5 ? insertLines(rng, buf, `RUN echo ${arg}\n`) : extendRun(rng, buf, `  && echo ${arg}\n`);
  },
  // 2,000 build stages, anonymous or named, some copying from stage 0: every stage is named,
  // resolved and checked, so per-stage work that scans the other stages shows at once.
  'many-stages': (rng, buf) => {
    const stage = (i: number) => `FROM golang:1.22${i % 3 === 0 ? ` as s${i}` : ''}\nRUN go build -o /out/${i} .\n${i % 7 === 6 ? 'COPY --from=0 /out /out\n' : ''}`;
    return insertLines(rng, buf, Array.from({ length: 2_000 }, (_, i) => stage(i)).join(''));
  },
  // 10,000 continuation lines in one RUN, as an && chain a shell parser must walk.
  'many-continuations': (rng, buf) => {
    const chain = Array.from({ length: 10_000 }, (_, i) => `  && echo ${i} \\\n`).join('');
    return extendRun(rng, buf, `${chain}  && ${pick(rng, ['true', 'npm ci', 'go build .'])}\n`);
  },
};

const DECODE_BREAKERS = new Set(['nul', 'invalid-utf8', 'utf16-bom']);

/** One to three light mutations, chosen and applied with `rng`; returns the names applied. */
export function mutate(rng: Rng, input: Buffer): { bytes: Buffer; applied: string[] } {
  // Mutations a decoder rejects end the interesting part of a mutant: they get a third of the weight.
  const names = Object.keys(LIGHT).flatMap((n) => (DECODE_BREAKERS.has(n) ? [n] : [n, n, n]));
  const applied: string[] = [];
  let bytes = input;
  for (let n = 1 + int(rng, 3); n > 0; n--) {
    const name = pick(rng, names);
    applied.push(name);
    bytes = LIGHT[name]!(rng, bytes);
  }
  return { bytes, applied };
}
