// A streaming reader of tar archives, just enough for `docker export`: every entry's path, kind
// and symlink target, plus the contents of a few small files the caller asks for (package.json,
// the lockfile). Reading the stream in-process means distroless images without a shell work, the
// host needs no tar, and a 1 GB image is never written to disk.

export type EntryKind = 'file' | 'dir' | 'symlink' | 'other';

export interface TarEntry {
  kind: EntryKind;
  size: number;
  /** Owner and group ids and permission bits (with setuid/setgid/sticky), as the archive stores them. */
  uid?: number;
  gid?: number;
  mode?: number;
  /** Symlink target as stored, for symlinks. */
  link?: string;
}

export interface Listing {
  /** Absolute paths ("/app/server.js"), without a trailing slash. */
  entries: Map<string, TarEntry>;
  /** Contents of the captured files, by absolute path. */
  captured: Map<string, Buffer>;
}

const BLOCK = 512;
const MAX_CAPTURE = 8 * 1024 * 1024;

export class TarLister {
  readonly listing: Listing = { entries: new Map(), captured: new Map() };
  private buffer: Buffer = Buffer.alloc(0);
  /** Bytes of the current entry's data still to come, and of padding after it. */
  private remaining = 0;
  private padding = 0;
  private current: { path: string; kind: string; chunks: Buffer[] | null } | null = null;
  /** Names carried over from a PAX ('x') or GNU long-name ('L') header to the next entry. */
  private nextPath: string | null = null;
  private nextLink: string | null = null;
  /** Ids too large for the header's octal fields, carried in a PAX header. */
  private nextUid: number | null = null;
  private nextGid: number | null = null;
  private ended = false;

  constructor(private readonly capture: (path: string) => boolean = () => false) {}

  push(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    let offset = 0;
    while (!this.ended) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, this.buffer.length - offset);
        if (take === 0) break;
        this.current?.chunks?.push(this.buffer.subarray(offset, offset + take));
        offset += take;
        this.remaining -= take;
        if (this.remaining === 0) this.finishEntry();
        continue;
      }
      if (this.padding > 0) {
        const take = Math.min(this.padding, this.buffer.length - offset);
        if (take === 0) break;
        offset += take;
        this.padding -= take;
        continue;
      }
      if (this.buffer.length - offset < BLOCK) break;
      this.readHeader(this.buffer.subarray(offset, offset + BLOCK));
      offset += BLOCK;
    }
    // Keep only what is not consumed; copy so the big chunk it came from can be freed.
    this.buffer = Buffer.from(this.buffer.subarray(offset));
  }

  private readHeader(header: Buffer): void {
    if (header.every((b) => b === 0)) {
      this.ended = true; // end-of-archive marker
      return;
    }
    const size = readNumber(header.subarray(124, 136));
    const type = String.fromCharCode(header[156] || 48);
    const name = cString(header.subarray(0, 100));
    const prefix = header.subarray(257, 262).toString('latin1') === 'ustar' ? cString(header.subarray(345, 500)) : '';
    const link = cString(header.subarray(157, 257));
    const path = normal(this.nextPath ?? (prefix ? `${prefix}/${name}` : name));
    const meta = type === 'x' || type === 'L' || type === 'K' || type === 'g';
    const wanted = meta || (type !== '5' && size <= MAX_CAPTURE && this.capture(path));
    this.current = { path, kind: type, chunks: wanted ? [] : null };
    if (!meta) {
      const kind: EntryKind = type === '0' || type === '7' || type === '1' ? 'file' : type === '5' ? 'dir' : type === '2' ? 'symlink' : 'other';
      const owner = { uid: this.nextUid ?? readNumber(header.subarray(108, 116)), gid: this.nextGid ?? readNumber(header.subarray(116, 124)), mode: readNumber(header.subarray(100, 108)) & 0o7777 };
      this.listing.entries.set(path, { kind, size, ...owner, ...(type === '2' ? { link: this.nextLink ?? link } : {}) });
      this.nextUid = null;
      this.nextGid = null;
      this.nextPath = null;
      this.nextLink = null;
    }
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0) this.finishEntry();
  }

  private finishEntry(): void {
    const entry = this.current;
    this.current = null;
    if (!entry?.chunks) return;
    const data = Buffer.concat(entry.chunks);
    if (entry.kind === 'L') this.nextPath = cString(data);
    else if (entry.kind === 'K') this.nextLink = cString(data);
    else if (entry.kind === 'x') {
      const pax = parsePax(data);
      if (pax.path !== undefined) this.nextPath = pax.path;
      if (pax.linkpath !== undefined) this.nextLink = pax.linkpath;
      if (pax.uid !== undefined && /^\d+$/.test(pax.uid)) this.nextUid = Number(pax.uid);
      if (pax.gid !== undefined && /^\d+$/.test(pax.gid)) this.nextGid = Number(pax.gid);
    } else if (entry.kind !== 'g') this.listing.captured.set(entry.path, data);
  }
}

/** PAX records: "<length> <key>=<value>\n", repeated. */
function parsePax(data: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space === -1) break;
    const length = Number(data.subarray(offset, space).toString('latin1'));
    if (!Number.isInteger(length) || length <= 0) break;
    const record = data.subarray(space + 1, offset + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    offset += length;
  }
  return out;
}

function cString(bytes: Buffer): string {
  const nul = bytes.indexOf(0);
  return bytes.subarray(0, nul === -1 ? bytes.length : nul).toString('utf8');
}

/** Octal, or GNU base-256 when the top bit of the first byte is set (files over 8 GiB). */
function readNumber(field: Buffer): number {
  if (field[0]! & 0x80) {
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + field[i]!;
    return n;
  }
  const text = cString(field).trim();
  return text ? parseInt(text, 8) : 0;
}

function normal(name: string): string {
  const trimmed = name.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  return `/${trimmed}`;
}

/**
 * True when the path exists in the image, following symlinked folders on the way
 * (/bin → usr/bin on merged-/usr Debian): "/bin/sh" exists when "/usr/bin/sh" does.
 */
export function pathExists(listing: Listing, path: string): boolean {
  return resolvePath(listing, path) !== null;
}

export function resolvePath(listing: Listing, path: string, hops = 0): string | null {
  if (hops > 20) return null;
  const parts = path.split('/').filter((p) => p && p !== '.');
  let at = '';
  for (const [i, part] of parts.entries()) {
    if (part === '..') {
      at = at.slice(0, at.lastIndexOf('/'));
      continue;
    }
    const next = `${at}/${part}`;
    const entry = listing.entries.get(next);
    if (!entry) return null;
    if (entry.kind === 'symlink' && entry.link !== undefined) {
      const base = entry.link.startsWith('/') ? entry.link : `${at}/${entry.link}`;
      return resolvePath(listing, [base, ...parts.slice(i + 1)].join('/'), hops + 1);
    }
    at = next;
  }
  return at || '/';
}
