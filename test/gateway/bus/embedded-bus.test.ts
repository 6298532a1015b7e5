import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { EmbeddedBus } from '../../../gateway/bus';
import { migrate, openStore } from '../../../gateway/store';
import { migrations } from '../../../migrations';
import { busConformance } from './conformance';

// The embedded bus on the store's SQLite outbox: the conformance suite, as the RabbitMQ bus runs it.
describe('embedded bus (SQLite outbox)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-bus-'));
  let ds: DataSource;
  beforeAll(async () => {
    ds = await openStore(`sqlite:${path.join(dir, 'mmgw.sqlite')}`, { migrations });
    await migrate(ds);
  });
  afterAll(async () => {
    await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  busConformance({
    available: () => true,
    open: async (declaration) => {
      const bus = new EmbeddedBus(ds, declaration, { pollIntervalMs: 20 });
      await bus.start();
      return bus;
    },
  });
});
