/**
 * Writing a report as it is formatted: the formatter's chunks are joined into batches of about
 * 64 KiB, each written as soon as it is full, so a report of a million findings never exists as one
 * string. Files are written beside the target and renamed over it (a reader never sees half a
 * report); standard output is written with backpressure (wait for `drain` when the stream asks).
 * Failures to write are one-line errors (exit 2), never stack traces.
 */
import { closeSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '../config/config.js';
import type { ProgramIO } from '../linter/io.js';
import { ruleHelpUri, type RuleDefinition } from '../engine/rule.js';
import type { RuleMeta } from '../formatters/index.js';

/** A report or file that cannot be written: one line for the user, exit code 2 (a ConfigError). */
export class OutputError extends ConfigError {}

/** Why a write failed, in words, for the system errors a bad path or a full disk gives. */
const REASONS: Readonly<Record<string, string>> = {
  EISDIR: 'it is a directory',
  ENOENT: 'its folder does not exist',
  ENOTDIR: 'a part of its path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'the file is too large',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links in its path',
  EBUSY: 'the file is busy',
  EXDEV: 'cannot rename across devices',
};

const codeOf = (err: unknown): string | undefined =>
  err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string'
    ? (err as NodeJS.ErrnoException).code
    : undefined;

/** The user-facing error for a failed write of `label`; other errors (say a formatter bug) pass through. */
function outputError(err: unknown, label: string): unknown {
  const code = codeOf(err);
  if (code === undefined || !(err instanceof Error) || !('syscall' in err)) return err;
  return new OutputError(`cannot write ${label}: ${REASONS[code] ?? code.toLowerCase()}`);
}

/** Characters per write: large enough to make system calls rare, small enough to stay cheap. */
export const BATCH_SIZE = 64 * 1024;

/** The chunks joined into batches of at least `size` characters (the last one may be shorter). */
export function* batches(chunks: Iterable<string>, size = BATCH_SIZE): Generator<string> {
  let pending: string[] = [];
  let length = 0;
  for (const chunk of chunks) {
    if (chunk === '') continue;
    pending.push(chunk);
    length += chunk.length;
    if (length >= size) {
      yield pending.join('');
      pending = [];
      length = 0;
    }
  }
  if (length > 0) yield pending.join('');
}

type Stream = ProgramIO['stdout'];

interface EventedStream {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  removeListener(event: string, listener: (...args: unknown[]) => void): unknown;
}

const isEvented = (s: Stream): s is Stream & EventedStream =>
  typeof (s as Partial<EventedStream>).on === 'function' &&
  typeof (s as Partial<EventedStream>).once === 'function' &&
  typeof (s as Partial<EventedStream>).removeListener === 'function';

/** Resolves when `out` has drained, closed or failed (the caller's error listener records why). */
function settled(out: Stream & EventedStream): Promise<void> {
  return new Promise((done) => {
    const settle = () => {
      for (const event of ['drain', 'close', 'error']) out.removeListener(event, settle);
      done();
    };
    for (const event of ['drain', 'close', 'error']) out.once(event, settle);
  });
}

/**
 * Write the chunks to a stream in batches, waiting whenever `write` reports a full buffer. A reader
 * that has gone away (EPIPE: `shipshape lint | head`) ends the report quietly; any other failure
 * (a full disk behind a redirect) is an {@link OutputError}.
 */
export async function writeChunks(out: Stream, chunks: Iterable<string>): Promise<void> {
  const evented = isEvented(out) ? out : undefined;
  let failure: unknown;
  const onError = (err: unknown) => {
    failure ??= err;
  };
  evented?.on('error', onError);
  try {
    for (const batch of batches(chunks)) {
      if (failure !== undefined || (out as { destroyed?: boolean }).destroyed === true) break;
      let full: boolean;
      try {
        full = out.write(batch) === false;
      } catch (err) {
        // A synchronous stream (a file behind `>`) throws instead of emitting `error`.
        failure = err;
        break;
      }
      if (full && evented) await settled(evented);
    }
    // A failed asynchronous write is reported on a later tick: give it one before letting go.
    if (evented && failure === undefined) await new Promise((r) => setImmediate(r));
  } finally {
    evented?.removeListener('error', onError);
  }
  if (failure === undefined || codeOf(failure) === 'EPIPE') return;
  throw outputError(failure, 'the report to standard output');
}

/** Write every byte of `text` at the file's current position. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
}

/**
 * Write the chunks to `target` (an absolute path) through a temporary file beside it, renamed over
 * the target when complete, so readers never see a partial file and a failed run keeps the old one.
 * On any failure (a bad path, a full disk, an error while the chunks are produced) the temporary
 * file is removed; file-system errors become an {@link OutputError} naming `label` (the path as the
 * user gave it) and the reason.
 */
export function writeFileAtomic(target: string, chunks: Iterable<string>, label: string): void {
  let isDirectory = false;
  try {
    isDirectory = statSync(target).isDirectory();
  } catch {
    // Not there yet (or not reachable): opening the temporary file says why.
  }
  if (isDirectory) throw new OutputError(`cannot write ${label}: ${REASONS.EISDIR}`);

  const tmp = `${target}.${process.pid}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'w');
    for (const batch of batches(chunks)) writeAll(fd, batch);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, target);
  } catch (err) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // Already failing; the first error is the one to report.
      }
    }
    try {
      unlinkSync(tmp);
    } catch {
      // Never created, or already gone.
    }
    throw outputError(err, label);
  }
}

/** Write a report to `outputFile` (relative to the working directory) or, without one, to stdout. */
export async function writeReport(
  io: ProgramIO,
  chunks: Iterable<string>,
  outputFile: string | undefined,
): Promise<void> {
  if (outputFile) writeFileAtomic(resolve(io.cwd, outputFile), chunks, outputFile);
  else await writeChunks(io.stdout, chunks);
}

/** What the formatters show of each rule (help links, why, remediation), by rule id. */
export function ruleMetas(defs: Iterable<RuleDefinition>): Map<string, RuleMeta> {
  const metas = new Map<string, RuleMeta>();
  for (const d of defs)
    metas.set(d.id, {
      id: d.id,
      description: d.description,
      category: d.category,
      severity: d.severity,
      helpUri: ruleHelpUri(d),
      why: d.why,
      remediation: d.remediation,
    });
  return metas;
}

/** Colour: `--color`/`--no-color` when given, else only on a terminal without NO_COLOR or -o. */
export function useColor(flags: { color?: boolean; outputFile?: string }, io: ProgramIO): boolean {
  return flags.color ?? (!flags.outputFile && io.stdout.isTTY === true && !io.env.NO_COLOR);
}
