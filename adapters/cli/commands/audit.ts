import type { Command } from 'commander';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { verifyAuditChain } from '../../../gateway/audit';
import { DATABASE_URL_VARIABLE } from '../../../gateway/store';
import { withStore } from '../store';
import type { CommandContext, CommandModule } from './index';

interface VerifyOptions {
  anchor?: string;
}

function parseAnchor(value: string): { seq: number; hash: string } {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(value.trim());
  if (!m || Number(m[1]) < 1) throw new GatewayError('usage.invalid-argument', `--anchor must be SEQ:HASH as printed by an earlier \`mmgw audit verify\` (a seq ≥ 1, a colon, 64 lower-case hex digits), not "${value}"`, { field: '--anchor' });
  return { seq: Number(m[1]), hash: m[2] };
}

/** `mmgw audit verify`: checks the hash chain of the audit log. `env` supplies MMGW_DATABASE_URL. */
export function createAuditCommand(env: NodeJS.ProcessEnv = process.env): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      const audit = program.command('audit').description('the append-only, hash-chained audit log of accepts, rejects, deliveries and acknowledgements');
      audit
        .command('verify')
        .description(`verifies the audit chain of the database of ${DATABASE_URL_VARIABLE}: exit 0 when it verifies, 1 with the first edited, inserted or deleted seq`)
        .option('--anchor <seq:hash>', 'a head printed by an earlier verify and kept elsewhere: the chain must still hold it')
        .addHelpText('after', '\nPrints the head (seq:hash) on success; keep it off the database to catch a chain rewritten whole next time (--anchor).')
        .action(async (opts: VerifyOptions) => {
          const anchor = opts.anchor === undefined ? undefined : parseAnchor(opts.anchor);
          await withStore(env, async (dataSource) => {
            const result = await verifyAuditChain(dataSource, anchor ? { anchor } : {});
            if (result.ok) {
              ctx.io.out(`audit chain verifies: ${result.count} entr${result.count === 1 ? 'y' : 'ies'}, head ${result.head.seq}:${result.head.hash}`);
            } else {
              ctx.io.out(`audit chain BROKEN at seq ${result.seq}: ${result.reason} [${result.code}] (${result.checked} entries before it verify)`);
              ctx.exitCode = 1;
            }
          });
        });
    },
  };
}

/** The command as registered in `commandModules`. */
export const auditCommand = createAuditCommand();
