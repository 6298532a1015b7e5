import { useMariaDb } from '../../support/services';
import { complianceSuite } from './compliance-suite';

describe('complianceReport (Art. 19) on MariaDB', () => {
  const db = useMariaDb(__filename);
  complianceSuite(() => db.url, () => db.available);
});
