import { useMariaDb } from '../../support/services';
import { intakeSuite } from './intake-suite';

// The same suite on MariaDB, in a fresh database for this file (skipped loudly outside CI when unreachable).
describe('intake on MariaDB', () => {
  const db = useMariaDb('test/gateway/intake/intake.mariadb.test.ts');
  intakeSuite(() => (db.available ? db.url : undefined));
});
