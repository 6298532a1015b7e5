import { acknowledgeSuite } from './acknowledge-suite';
import { concurrencySuite } from './concurrency-suite';
import { mailboxSuite } from './mailbox-suite';
import { pushSuite } from './push-suite';
import { routingSuite } from './routing-suite';
import { statusSuite } from './status-suite';
import { sqliteUrls } from './world';

// The delivery stage on the embedded default: SQLite and the embedded bus, a fresh database per suite.
describe('deliveries on SQLite with the embedded bus', () => {
  const urls = sqliteUrls();
  routingSuite(urls);
  mailboxSuite(urls);
  acknowledgeSuite(urls);
  pushSuite(urls);
  statusSuite(urls);
  concurrencySuite(urls);
});
