import type { DataSource } from 'typeorm';
import { GatewayError } from '../../contracts/errors/gateway-error';
import { DATABASE_URL_VARIABLE, openStore } from '../../gateway/store';
import { migrations } from '../../migrations';

/**
 * Opens the store named by MMGW_DATABASE_URL in `env` (absent: the embedded default), refuses
 * with `store.not-migrated` when migrations are pending, runs `work` and closes the store.
 */
export async function withStore<T>(env: NodeJS.ProcessEnv, work: (ds: DataSource) => Promise<T>): Promise<T> {
  const dataSource = await openStore(env[DATABASE_URL_VARIABLE], { migrations });
  try {
    if (await dataSource.showMigrations()) throw new GatewayError('store.not-migrated', 'the database has pending migrations (or none ran yet): run `mmgw migrate` first');
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
