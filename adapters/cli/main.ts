import { Command, CommanderError } from 'commander';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { commandModules, type CommandContext } from './commands';
import { processIo, type CliIo } from './io';

/** Exit code for a wrong invocation (unknown command, missing argument, bad option value). */
export const EXIT_USAGE = 2;

export function buildProgram(ctx: CommandContext): Command {
  const program = new Command('mmgw')
    .description('mmgw, the Mobile Malware Gateway: forms, clocks and signatures of the MIIT mobile-malware mechanism')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.io.out(s),
      writeErr: (s) => ctx.io.err(s),
    });
  for (const module of commandModules) module.register(program, ctx);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: (s) => ctx.io.out(s), writeErr: (s) => ctx.io.err(s) });
  return program;
}

/** Runs the CLI with `argv` as `process.argv` would give it; resolves to the exit code. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const ctx: CommandContext = { io, exitCode: 0 };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv);
    return ctx.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end here with exit code 0; usage errors were already printed.
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (e instanceof GatewayError) {
      io.err(`mmgw: ${e.message} [${e.code}]`);
      return e.exitCode;
    }
    io.err(`mmgw: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return 70;
  }
}
