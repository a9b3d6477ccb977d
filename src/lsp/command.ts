/** Commander wiring of `shipshape lsp`: one registration call from src/program/main.ts. */
import type { Command } from 'commander';

/**
 * Register the `lsp` command on the program. `--stdio` is the only transport (and the default);
 * the flag is accepted because editors pass it. `done` is never called: the server ends the
 * process when the client sends `exit` or closes stdin.
 */
export function registerLspCommand(program: Command): void {
  program
    .command('lsp')
    .description('run the language server (LSP over stdio) for editor diagnostics and quick fixes')
    .option('--stdio', 'talk LSP over stdin/stdout (the default and only transport)')
    .option('--clientProcessId <pid>', 'accepted for compatibility; the server exits when the client does')
    .allowUnknownOption()
    .action(async () => {
      const { startServer } = await import('./server.js');
      await startServer();
      // Never settles: the protocol library exits the process on `exit` or when stdin closes.
      await new Promise<never>(() => undefined);
    });
}
