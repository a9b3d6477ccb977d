/**
 * The `shipshape` program: one commander root that each front end adds its commands to (lint, fix,
 * rules, init and audit from src/cli; lsp from src/lsp; serve and certs from src/webhook), and the one
 * mapping of errors to exit codes. run(argv, io) → exit code.
 */
import { Command, CommanderError } from 'commander';
import { registerAuditCommand } from '../cli/audit.js';
import { registerLintCommands } from '../cli/commands.js';
import { ConfigError } from '../config/config.js';
import { RuleConfigError } from '../engine/compile.js';
import { processIO, VERSION, type ProgramIO } from '../linter/io.js';
import { registerLspCommand } from '../lsp/command.js';
import { SchemaUsageError } from '../schema/registry.js';
import { registerServeCommands } from '../webhook/command.js';

export type { ProgramIO } from '../linter/io.js';

function buildProgram(io: ProgramIO, done: (code: number) => void): Command {
  const program = new Command('shipshape')
    .description('Kubernetes manifest linter, schema validator and policy admission webhook')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  registerLintCommands(program, io, done);
  registerAuditCommand(program, io, done);
  registerLspCommand(program);
  registerServeCommands(program, io, done);
  return program;
}

/** Run the CLI; resolves to the process exit code (0 clean, 1 findings, 2 usage/config/internal error). */
export async function run(argv: string[], ioIn?: Partial<ProgramIO>): Promise<number> {
  const io: ProgramIO = { ...processIO(), ...ioIn };
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof ConfigError || err instanceof RuleConfigError || err instanceof SchemaUsageError) {
      io.stderr.write(`shipshape: ${err.message}\n`);
      return 2;
    }
    io.stderr.write(
      `shipshape: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return 2;
  }
}
