// What discovery saw in the folders it listed, kept for the config lookup so it does not list the
// same folders again (in a batch over 10,000 folders that second readdir was an eighth of the run).
// Only the names someone asked for are kept: this module knows neither discovery nor config; the
// config module says which names it needs (CONFIG_NAMES) and the CLI hands them to discovery.
import path from 'node:path';

const NONE: ReadonlySet<string> = new Set();

/** The form that crosses to a worker thread: one string instead of 10,000 small objects to clone. */
export interface EncodedListings {
  wanted: string[];
  /**
   * Each listed folder's absolute path followed by the wanted names it holds, separated by NUL,
   * which no path or name can contain. A folder is absolute and a name holds no separator, so
   * each part says which it is; most folders hold none of the names and cost only their path.
   */
  folders: string;
}

export class FolderListings {
  private readonly byDir = new Map<string, ReadonlySet<string>>();

  constructor(readonly wanted: ReadonlySet<string>) {
    for (const name of wanted) {
      if (name.includes('/') || name.includes(path.sep) || name.includes('\0')) throw new Error(`not a plain file name: ${name}`);
    }
  }

  /** A folder's full listing, of which the wanted names are kept. */
  record(absDir: string, names: Iterable<string>): void {
    if (!path.isAbsolute(absDir)) throw new Error(`not an absolute folder: ${absDir}`);
    let kept: Set<string> | null = null;
    for (const name of names) if (this.wanted.has(name)) (kept ??= new Set()).add(name);
    this.byDir.set(absDir, kept ?? NONE);
  }

  /** The wanted names the folder held when it was listed, or undefined when it was not listed. */
  get(absDir: string): ReadonlySet<string> | undefined {
    return this.byDir.get(absDir);
  }

  get size(): number {
    return this.byDir.size;
  }

  encode(): EncodedListings {
    const parts: string[] = [];
    for (const [dir, names] of this.byDir) parts.push(dir, ...names);
    return { wanted: [...this.wanted], folders: parts.join('\0') };
  }

  static decode(encoded: EncodedListings): FolderListings {
    const listings = new FolderListings(new Set(encoded.wanted));
    if (encoded.folders === '') return listings;
    let dir = '';
    let names: string[] = [];
    for (const part of encoded.folders.split('\0')) {
      if (!path.isAbsolute(part)) {
        names.push(part);
        continue;
      }
      if (dir) listings.record(dir, names);
      dir = part;
      names = [];
    }
    listings.record(dir, names);
    return listings;
  }
}
