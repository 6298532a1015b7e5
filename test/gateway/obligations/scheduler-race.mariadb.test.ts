import { useMariaDb } from '../../support/services';
import { schedulerSuite } from './scheduler-suite';

// MariaDB: two DataSources (two gateway processes, each with its own pool) race on one fresh database.
describe('obligation scheduler racing on MariaDB', () => {
  const db = useMariaDb(__filename);
  schedulerSuite(() => db.url, () => db.available, true);
});
