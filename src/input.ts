// Reading a Dockerfile without surprises: every way a file can be unusable becomes one short
// reason, and the run goes on with the other files.
import fs from 'node:fs';

export const MAX_BYTES = 1024 * 1024;

export type Decoded = { ok: true; raw: string } | { ok: false; reason: string };
export type ReadResult = { ok: true; raw: string; bytes: Buffer } | { ok: false; reason: string };

export function readDockerfile(file: string): ReadResult {
  let bytes: Buffer;
  try {
    const stat = fs.statSync(file);
    if (stat.isDirectory()) return { ok: false, reason: 'is a directory' };
    // A FIFO, socket or device: reading one may block forever (a FIFO until someone writes to it).
    if (!stat.isFile()) return { ok: false, reason: 'not a regular file (a FIFO, socket or device)' };
    if (stat.size > MAX_BYTES) return { ok: false, reason: `too large (${formatSize(stat.size)}; the limit is 1 MiB)` };
    bytes = fs.readFileSync(file);
  } catch (err) {
    return { ok: false, reason: `unreadable (${systemReason(err)})` };
  }
  const decoded = decodeDockerfile(bytes);
  return decoded.ok ? { ok: true, raw: decoded.raw, bytes } : decoded;
}

export function decodeDockerfile(bytes: Uint8Array): Decoded {
  if (bytes.length > MAX_BYTES) return { ok: false, reason: `too large (${formatSize(bytes.length)}; the limit is 1 MiB)` };
  const encoding = unicodeBomEncoding(bytes);
  if (encoding) return { ok: false, reason: `encoded as ${encoding}; only UTF-8 Dockerfiles are edited` };
  const nul = bytes.indexOf(0);
  if (nul !== -1) return { ok: false, reason: `binary content (NUL byte at offset ${nul})` };
  try {
    // ignoreBOM keeps a UTF-8 BOM in the string, so the engine can preserve it.
    return { ok: true, raw: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { ok: false, reason: 'not valid UTF-8' };
  }
}

function unicodeBomEncoding(b: Uint8Array): string | null {
  if (b[0] === 0x00 && b[1] === 0x00 && b[2] === 0xfe && b[3] === 0xff) return 'UTF-32 (big-endian)';
  if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0x00 && b[3] === 0x00) return 'UTF-32 (little-endian)';
  if (b[0] === 0xfe && b[1] === 0xff) return 'UTF-16 (big-endian)';
  if (b[0] === 0xff && b[1] === 0xfe) return 'UTF-16 (little-endian)';
  return null;
}

export function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
}

export function systemReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory';
    case 'ELOOP':
      return 'symbolic link loop';
    case 'ENOSPC':
      return 'no space left on device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOTDIR':
      return 'a path component is not a directory';
    case 'EBUSY':
      return 'resource busy';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files';
    case 'EIO':
      return 'input/output error';
    default:
      return code ?? (err as Error).message;
  }
}
