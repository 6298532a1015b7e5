import * as path from 'node:path';
import type { Command } from 'commander';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { systemClock, type Clock } from '../../../gateway/clock';
import { DEFAULT_RETENTION_DAYS, purgeExpired, setLegalHold } from '../../../gateway/retention';
import { DATABASE_URL_VARIABLE } from '../../../gateway/store';
import { withStore } from '../store';
import type { CommandContext, CommandModule } from './index';

interface PurgeCliOptions {
  days: string;
  dryRun?: boolean;
}

function parseDays(text: string): number {
  if (!/^\d+$/.test(text.trim()) || Number(text) < 1) {
    throw new GatewayError('retention.bad-days', `--days "${text}" is not a whole number of days, 1 or more (Art. 12 default: ${DEFAULT_RETENTION_DAYS})`, { field: '--days', value: text, article: 'Art. 12' });
  }
  return Number(text);
}

/**
 * `mmgw retention purge [--days N] [--dry-run]` and `mmgw retention hold CASE [--release]`: Art. 12 — purges message content and sample
 * files (under MMGW_DATA_DIR/samples) older than N days, keeping hash stubs and legal holds.
 */
export function createRetentionCommand(env: NodeJS.ProcessEnv = process.env, clock: Clock = systemClock): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      const retention = program.command('retention').description('Art. 12 retention of message content and sample files');
      retention
        .command('purge')
        .description(`purges the content of messages (and sample files) accepted more than N days ago; the hash, size and envelope stay; cases under legal hold are kept; each purge is audited`)
        .option('--days <n>', 'the retention period in days', String(DEFAULT_RETENTION_DAYS))
        .option('--dry-run', 'list what would be purged and change nothing')
        .addHelpText('after', `\n${DATABASE_URL_VARIABLE}: the database, as for \`mmgw migrate\`; sample files under MMGW_DATA_DIR/samples (default ./data). Exit 0, 2 for bad --days.`)
        .action(async (opts: PurgeCliOptions) => {
          const days = parseDays(opts.days);
          await withStore(env, async (dataSource) => {
            const r = await purgeExpired(dataSource, clock.now(), { days, dryRun: opts.dryRun === true, samplesDir: path.join(env.MMGW_DATA_DIR ?? './data', 'samples') });
            const verb = r.dryRun ? 'would purge' : 'purged';
            for (const p of r.purged) ctx.io.out(`${verb} ${p.id} (${p.type}, ${p.size} bytes, sha256 ${p.hash})`);
            for (const s of r.samplesPurged) ctx.io.out(`${verb} sample file ${s}`);
            for (const h of r.held) ctx.io.out(`kept ${h}: its case is under legal hold`);
            for (const u of r.undelivered) ctx.io.out(`kept ${u}: a delivery of it is still queued or retrying`);
            ctx.io.out(`${r.dryRun ? 'dry run: ' : ''}${verb} ${r.purged.length} message(s) and ${r.samplesPurged.length} sample file(s) accepted before ${r.cutoff} (${r.days} days); ${r.held.length} kept under legal hold`);
          });
        });
      retention
        .command('hold <case>')
        .description('puts a case (task number or case key) under legal hold: purges keep its messages until released; audited')
        .option('--release', 'release the hold instead')
        .option('--actor <name>', 'who orders it, for the audit', 'admin')
        .action(async (caseRef: string, opts: { release?: boolean; actor: string }) => {
          await withStore(env, async (dataSource) => {
            const c = await setLegalHold(dataSource, caseRef, opts.release !== true, opts.actor, clock.now());
            ctx.io.out(`case ${c.key}${c.taskNumber === null ? '' : ` (task ${c.taskNumber})`}: legal hold ${c.legalHold ? 'set' : 'released'}`);
          });
        });
    },
  };
}

/** The command as registered in `commandModules`. */
export const retentionCommand = createRetentionCommand();
