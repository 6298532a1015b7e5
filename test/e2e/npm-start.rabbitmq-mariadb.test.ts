import { useMariaDb, useRabbitMq } from '../support/services';
import { mainJobSuite } from './main-job-suite';

jest.setTimeout(180_000);

// The same main job with MMGW_DATABASE_URL on a fresh MariaDB database and MMGW_AMQP_URL on a
// fresh RabbitMQ vhost (quorum queues, the outbox relay): skipped loudly outside CI without them.
describe('npm start on RabbitMQ and MariaDB', () => {
  const db = useMariaDb(__filename);
  const mq = useRabbitMq(__filename);
  mainJobSuite(() => (db.available && mq.available ? { MMGW_DATABASE_URL: db.url, MMGW_AMQP_URL: mq.url } : undefined));
});
