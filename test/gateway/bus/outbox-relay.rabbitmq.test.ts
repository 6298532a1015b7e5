import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { useRabbitMq } from '../../support/services';
import { relaySuite } from './outbox-relay-suite';

describe('outbox relay to RabbitMQ, SQLite store', () => {
  const rabbit = useRabbitMq(__filename);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-relay-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  relaySuite(() => `sqlite:${path.join(dir, 'mmgw.sqlite')}`, () => rabbit.url, () => rabbit.available);
});
