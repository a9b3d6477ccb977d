// The one in-process CLI runner of the tests: argv in, exit code and the captured streams out.
import { run } from '../../src/program/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** Working folder (default the process's). */
  cwd?: string;
  /** What standard input holds for `-`. */
  stdin?: string;
  /** Whether stdout is a terminal (colour); stderr never is (no progress line). */
  tty?: boolean;
  /** The environment the CLI sees (default empty: no XDG_CACHE_HOME, no NO_COLOR, …). */
  env?: Record<string, string | undefined>;
}

/** Run `shipshape <args>` in this process with injected IO. */
export async function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    cwd: opts.cwd ?? process.cwd(),
    stdout: { write: (s: string) => (stdout += s), isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => (stderr += s) },
    readStdin: () => Promise.resolve(opts.stdin ?? ''),
    env: opts.env ?? {},
  });
  return { code, stdout, stderr };
}
