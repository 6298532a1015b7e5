import { useMariaDb, useRabbitMq } from '../../support/services';
import { endToEndSuite } from './end-to-end-suite';

// The production shape: MariaDB and RabbitMQ (quorum queues), a fresh database and vhost; skipped
// loudly outside CI when either is unreachable.
describe('end to end over HTTPS on MariaDB and RabbitMQ', () => {
  const db = useMariaDb(__filename);
  const rabbit = useRabbitMq(__filename);
  endToEndSuite(() => (db.available && rabbit.available ? { databaseUrl: db.url, amqpUrl: rabbit.url } : undefined));
});
