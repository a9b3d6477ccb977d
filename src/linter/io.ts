/** What a front end is given from outside: working folder, streams, stdin and environment (injected, so tests need no process). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface ProgramIO {
  cwd: string;
  stdout: { write(s: string): unknown; isTTY?: boolean };
  stderr: { write(s: string): unknown; isTTY?: boolean };
  readStdin: () => Promise<string>;
  env: Record<string, string | undefined>;
}

/** The running process's IO. */
export function processIO(): ProgramIO {
  return {
    cwd: process.cwd(),
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
}

/** shipshape's version (package.json; two folders up from src/<area>/, dist/<area>/ and dist/bundle/). */
export const VERSION = (() => {
  try {
    const pkg = JSON.parse(
      readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8'),
    ) as { version: string };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
})();
