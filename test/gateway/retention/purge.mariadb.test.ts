import { useMariaDb } from '../../support/services';
import { purgeSuite } from './purge-suite';

describe('purgeExpired (Art. 12 retention) on MariaDB', () => {
  const db = useMariaDb(__filename);
  purgeSuite(() => db.url, () => db.available);
});
