import { useMariaDb } from '../../support/services';
import { acknowledgeSuite } from './acknowledge-suite';
import { concurrencySuite } from './concurrency-suite';
import { mailboxSuite } from './mailbox-suite';
import { pushSuite } from './push-suite';
import { routingSuite } from './routing-suite';
import { statusSuite } from './status-suite';

// The same suites on MariaDB (a fresh database for this file, shared by the suites one after the
// other; each test uses its own institutions and messages), with the embedded bus on its outbox.
describe('deliveries on MariaDB with the embedded bus', () => {
  const db = useMariaDb('test/gateway/deliveries/deliveries.mariadb.test.ts');
  const urls = () => (db.available ? db.url : undefined);
  routingSuite(urls);
  mailboxSuite(urls);
  acknowledgeSuite(urls);
  pushSuite(urls);
  statusSuite(urls);
  concurrencySuite(urls);
});
