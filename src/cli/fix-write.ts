/**
 * Writing fixed manifests back without losing anything: through symbolic links to the real file,
 * with its mode and owner, atomically (a temporary file beside it, then a rename), and never over
 * a read-only file.
 */
import { chmodSync, chownSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Why a file cannot be fixed in place, or undefined when it can. */
export function whyNotWritable(abs: string): string | undefined {
  let st;
  try {
    st = statSync(realpathSync(abs));
  } catch (err) {
    return (err as Error).message;
  }
  if (!st.isFile()) return 'not a regular file';
  // Root may write anything; a file without write bits was made read-only on purpose all the same.
  if ((st.mode & 0o222) === 0) return `read-only (mode ${(st.mode & 0o7777).toString(8).padStart(4, '0')})`;
  return undefined;
}

/**
 * Replace the content of the file at `abs` (a link is followed: the file it points to is
 * rewritten and the link stays). The new content is written to a temporary file in the same folder
 * with the original's mode (and owner, when this process may set it), then renamed over it.
 */
export function writeFixed(abs: string, text: string | Uint8Array): void {
  const target = realpathSync(abs);
  const st = statSync(target);
  const tmp = join(dirname(target), `.${basename(target)}.shipshape-${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text, { mode: st.mode & 0o7777, flag: 'wx' });
    chmodSync(tmp, st.mode & 0o7777); // the umask may have cleared bits of the requested mode
    try {
      chownSync(tmp, st.uid, st.gid);
    } catch {
      // Not permitted for another user's file: the owner then becomes this user, as with any editor.
    }
    renameSync(tmp, target);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created
    }
    throw err;
  }
}
