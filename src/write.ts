// Writing a result so that nothing is ever lost: a temporary file in the same folder (same file
// system, so the rename is atomic), the original mode and owner, and a refusal to overwrite a file
// that someone changed after we read it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isWithin } from './repo-root.js';
import { systemReason } from './input.js';

export type WriteResult = { ok: true } | { ok: false; reason: string };

/**
 * Writes `content` over `file`, which must still hold `readBytes`. `within` is the repository the
 * file belongs to: a file that is a symbolic link to somewhere outside it is never written, even
 * when the user named the link — a batch over other people's repositories must not reach out.
 */
export function writeAtomically(file: string, content: string, readBytes: Buffer, within?: string): WriteResult {
  let target: string;
  let stat: fs.Stats;
  try {
    // Write through a symlink to its target rather than replacing the link with a file.
    target = fs.realpathSync(file);
    if (within !== undefined && !isWithin(target, fs.realpathSync(within))) {
      return { ok: false, reason: 'a symbolic link to a file outside its repository; not written' };
    }
    stat = fs.statSync(target);
    if (!fs.readFileSync(target).equals(readBytes)) return changedOnDisk();
    // Made read-only since it was read (or always): its owner said not to change it. A rename would
    // replace it anyway (and root may write anything), so the mode is asked, not the kernel.
    if ((stat.mode & 0o222) === 0) return { ok: false, reason: 'the file is read-only; not written' };
  } catch (err) {
    return { ok: false, reason: `cannot write (${systemReason(err)})` };
  }
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.stageopt-${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx', stat.mode & 0o7777);
    try {
      fs.writeFileSync(fd, content, 'utf8');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.chmodSync(tmp, stat.mode & 0o7777); // openSync's mode is filtered by the umask
    try {
      fs.chownSync(tmp, stat.uid, stat.gid);
    } catch {
      // Only root may give a file away; anyone else keeps their own ownership, as an editor would.
    }
    // Checked again as late as possible: an editor may have saved while we were working.
    if (!fs.readFileSync(target).equals(readBytes)) {
      fs.rmSync(tmp, { force: true });
      return changedOnDisk();
    }
    fs.renameSync(tmp, target);
    return { ok: true };
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    return { ok: false, reason: `cannot write (${systemReason(err)})` };
  }
}

function changedOnDisk(): WriteResult {
  return { ok: false, reason: 'changed on disk since it was read; not overwritten' };
}

/**
 * Writes an output file of our own (the --report summary): the whole text appears at once, or
 * nothing does — a temporary file beside it, then a rename. An existing file is replaced, as the
 * user asked for that path.
 */
export function writeOutputFile(file: string, content: string): WriteResult {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.stageopt-${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(tmp, content, { encoding: 'utf8', flag: 'wx' });
    fs.renameSync(tmp, file);
    return { ok: true };
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    return { ok: false, reason: `cannot write (${systemReason(err)})` };
  }
}

/**
 * Creates `file` with `content`, never over anything: the text goes to a temporary file in the same
 * folder, which is then hard-linked to the name (link fails when the name exists, so a file that
 * appeared since the run read the folder is kept, and the new file is never seen half-written).
 * `within` is the repository: a folder that leads out of it through a symbolic link is refused.
 */
export function createAtomically(file: string, content: string, within: string): WriteResult {
  const dir = path.dirname(file);
  let realDir: string;
  try {
    realDir = fs.realpathSync(dir);
    if (!isWithin(realDir, fs.realpathSync(within))) return { ok: false, reason: `${path.basename(file)} would be created outside its repository; not written` };
    fs.lstatSync(file);
    return { ok: false, reason: `${path.basename(file)} exists now (it appeared since it was read); not overwritten` };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || realDir! === undefined) return { ok: false, reason: `cannot create ${path.basename(file)} (${systemReason(err)})` };
  }
  const target = path.join(realDir, path.basename(file));
  const tmp = path.join(realDir, `.${path.basename(file)}.stageopt-${process.pid}-${crypto.randomBytes(4).toString('hex')}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'wx', 0o666);
    try {
      fs.writeFileSync(fd, content, 'utf8');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.linkSync(tmp, target);
    return { ok: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return { ok: false, reason: `${path.basename(file)} exists now (it appeared since it was read); not overwritten` };
    return { ok: false, reason: `cannot create ${path.basename(file)} (${systemReason(err)})` };
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}
