import { useMariaDb } from '../../support/services';
import { auditSuite } from './audit-suite';

// On MariaDB the concurrent appends really run in parallel: the head row lock keeps one chain.
describe('audit chain on MariaDB', () => {
  const db = useMariaDb(__filename);
  auditSuite(() => db.url, () => db.available);
});
