import { useMariaDb } from '../../support/services';
import { regradeSuite } from './regrade-suite';

describe('re-grading, refusals, special periods and queries on MariaDB', () => {
  const db = useMariaDb(__filename);
  regradeSuite(() => db.url, () => db.available);
});
