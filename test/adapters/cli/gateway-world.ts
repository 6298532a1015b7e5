import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command, CommanderError } from 'commander';
import type { CommandModule } from '../../../adapters/cli/commands';
import { serveGateway } from '../../../adapters/cli/commands/start';
import type { RunningServer } from '../../../adapters/http';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { createGateway, type Gateway } from '../../../gateway/app';
import { systemClock } from '../../../gateway/clock';
import { readGatewayConfig } from '../../../gateway/config';
import { captureIo, runCli } from '../../support/capture-io';

/** A gateway core and its HTTPS interface in this process, on a fresh data directory and a free port. */
export interface GatewayWorld {
  readonly dir: string;
  readonly dataDir: string;
  readonly gateway: Gateway;
  readonly server: RunningServer;
  /** `mmgw ARGS… --gateway URL --data-dir DIR`, in-process. */
  cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/** Starts a GatewayWorld (close it in afterAll). */
export async function openGatewayWorld(): Promise<GatewayWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-cli-'));
  const config = readGatewayConfig({ MMGW_LISTEN: '127.0.0.1:0', MMGW_RATE_LIMIT_BURST: '1000' }, dir);
  const gateway = await createGateway(config, { clock: systemClock, embeddedPollMs: 20, log: () => undefined });
  const server = await serveGateway(config, gateway, systemClock, () => undefined);
  return {
    dir, dataDir: config.dataDir, gateway, server,
    cli: (...args) => runCli(...args, '--gateway', server.url, '--data-dir', config.dataDir),
    async close() {
      await server.close();
      await gateway.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs one command module built with its own environment, as `main` would (GatewayError → its exit code and message). */
export async function runModule(module: CommandModule, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo();
  const ctx = { io, exitCode: 0 };
  const program = new Command('mmgw').exitOverride().configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  module.register(program, ctx);
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(['node', 'mmgw', ...args]);
  } catch (e) {
    if (e instanceof GatewayError) {
      io.err(`mmgw: ${e.message} [${e.code}]`);
      return { code: e.exitCode, stdout: io.stdout(), stderr: io.stderr() };
    }
    if (e instanceof CommanderError) return { code: 2, stdout: io.stdout(), stderr: io.stderr() };
    throw e;
  }
  return { code: ctx.exitCode, stdout: io.stdout(), stderr: io.stderr() };
}

/** The id `mmgw send` printed. */
export function acceptedId(stdout: string): string {
  const id = /^accepted (\S+)/m.exec(stdout)?.[1];
  if (id === undefined) throw new Error(`no "accepted" line in:\n${stdout}`);
  return id;
}
