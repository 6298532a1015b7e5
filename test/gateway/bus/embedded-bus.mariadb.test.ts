import type { DataSource } from 'typeorm';
import { EmbeddedBus } from '../../../gateway/bus';
import { migrate, openStore } from '../../../gateway/store';
import { migrations } from '../../../migrations';
import { useMariaDb } from '../../support/services';
import { busConformance } from './conformance';

// The embedded bus on a MariaDB outbox: the same conformance suite. MariaDB lets the bus's pass
// read rows while handlers' acknowledgements commit on other connections (SQLite serialises them),
// so races between a pass and a handler finishing show here first.
describe('embedded bus (MariaDB outbox)', () => {
  const db = useMariaDb('test/gateway/bus/embedded-bus.mariadb.test.ts');
  let ds: DataSource | undefined;
  beforeAll(async () => {
    if (!db.available) return;
    ds = await openStore(db.url, { migrations });
    await migrate(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
  });

  busConformance({
    available: () => db.available,
    open: async (declaration) => {
      const bus = new EmbeddedBus(ds!, declaration, { pollIntervalMs: 20 });
      await bus.start();
      return bus;
    },
  });
});
