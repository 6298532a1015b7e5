import type { Command } from 'commander';
import { DATABASE_URL_VARIABLE, migrate, openStore } from '../../../gateway/store';
import { migrations } from '../../../migrations';
import type { CommandContext, CommandModule } from './index';

/** `mmgw migrate`: brings the database named by MMGW_DATABASE_URL up to the current schema. `env` supplies the variable. */
export function createMigrateCommand(env: NodeJS.ProcessEnv = process.env): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      program
        .command('migrate')
        .description(`runs the pending schema migrations on the database of ${DATABASE_URL_VARIABLE} (absent: the SQLite file ./data/mmgw.sqlite); running it again does nothing`)
        .addHelpText('after', `\n${DATABASE_URL_VARIABLE}: mysql://user:password@host:3306/database (MySQL 8 / MariaDB 10.11) or sqlite:PATH.\nExit 0 when the schema is up to date, 2 for a bad ${DATABASE_URL_VARIABLE}, 3 when the database is unreachable or a migration failed.`)
        .action(async () => {
          const dataSource = await openStore(env[DATABASE_URL_VARIABLE], { migrations });
          try {
            const ran = await migrate(dataSource);
            for (const name of ran) ctx.io.out(`applied ${name}`);
            ctx.io.out(ran.length === 0 ? `schema up to date (${migrations.length} migration(s)), nothing to do` : `schema up to date: applied ${ran.length} migration(s)`);
          } finally {
            await dataSource.destroy();
          }
        });
    },
  };
}

/** The command as registered in `commandModules`. */
export const migrateCommand = createMigrateCommand();
