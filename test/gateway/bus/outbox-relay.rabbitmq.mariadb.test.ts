import { useMariaDb, useRabbitMq } from '../../support/services';
import { relaySuite } from './outbox-relay-suite';

// On MariaDB the relays really run at once; FOR UPDATE SKIP LOCKED keeps them apart.
describe('outbox relay to RabbitMQ, MariaDB store', () => {
  const rabbit = useRabbitMq(__filename);
  const db = useMariaDb(__filename);
  relaySuite(() => db.url, () => rabbit.url, () => rabbit.available && db.available);
});
