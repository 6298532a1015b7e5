import { useMariaDb } from '../../support/services';
import { pageObligationsSuite } from './page-obligations-suite';

describe('pageObligations on MariaDB', () => {
  const db = useMariaDb(__filename);
  pageObligationsSuite(() => db.url, () => db.available);
});
