// Whether ADD would extract a local file. Docker decides by content, not by name: the builder
// (moby pkg/archive IsArchivePath, and BuildKit's copy with AttemptUnpack) decompresses the file if
// it starts with a gzip, bzip2, xz or zstd header, then asks Go's tar reader for a first header;
// only when one is read is the file unpacked. A file named like an archive is meant as one, so the
// name counts too (hadolint's DL3020 list, and a few BuildKit has learned since).

/** Names ADD users give archives (compared lower-cased, as suffixes of the last path segment). */
const ARCHIVE_SUFFIXES = [
  '.tar', '.z', '.bz2', '.gz', '.lz', '.lzma', '.tz', '.tb2', '.tbz', '.tbz2', '.tgz', '.tlz', '.tpz', '.txz', '.xz',
  '.zst', '.tzst', '.taz', '.tzo', '.t7z', '.lz4', '.tlz4',
];

export function hasArchiveName(path: string): boolean {
  const name = path.replace(/\/+$/, '').split('/').pop()!.toLowerCase();
  return ARCHIVE_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/** The compression headers Docker's DecompressStream recognises. */
const COMPRESSION_MAGIC: readonly (readonly number[])[] = [
  [0x1f, 0x8b, 0x08], // gzip
  [0x42, 0x5a, 0x68], // bzip2 ("BZh")
  [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], // xz
  [0x28, 0xb5, 0x2f, 0xfd], // zstd
];

/** Bytes of the file's start that archiveKind needs: one tar header block. */
export const ARCHIVE_HEAD_BYTES = 512;

/**
 * What ADD would do with a file that starts with `head` (its first ARCHIVE_HEAD_BYTES bytes):
 * `tar` (a tar header: extracted), `compressed` (may hold a tar, which only decompressing tells),
 * or `plain` (copied as it is, like COPY).
 */
export function archiveKind(head: Uint8Array): 'tar' | 'compressed' | 'plain' {
  if (COMPRESSION_MAGIC.some((magic) => magic.every((byte, i) => head[i] === byte))) return 'compressed';
  // Go's tar reader needs a whole first block; a shorter file, or an empty block, has no header.
  if (head.length < 512 || head.every((b) => b === 0)) return 'plain';
  return tarChecksumMatches(head) ? 'tar' : 'plain';
}

/**
 * A tar header's checksum (bytes 148–155, octal) is the sum of the block's bytes with that field
 * read as spaces, unsigned or (old tars) signed. Go's reader refuses a block where neither matches,
 * so a match is the test; it is conservative (a header Go then rejects for another reason still
 * counts as a tar here, and the transform declines).
 */
function tarChecksumMatches(block: Uint8Array): boolean {
  const field = String.fromCharCode(...block.subarray(148, 156)).replace(/[\0 ]+/g, ' ').trim();
  if (!/^[0-7]+$/.test(field)) return false;
  const recorded = parseInt(field, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return recorded === unsigned || recorded === signed;
}
