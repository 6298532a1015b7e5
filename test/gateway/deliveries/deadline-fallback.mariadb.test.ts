import { useMariaDb } from '../../support/services';
import { deadlineFallbackSuite } from './deadline-fallback-suite';

// The deadline-aware fall-back on MariaDB (a fresh database for this file): two concurrent runs
// contend on the row lock and the dedupe claim for real.
describe('deadline-aware fall-back on MariaDB', () => {
  const db = useMariaDb('test/gateway/deliveries/deadline-fallback.mariadb.test.ts');
  deadlineFallbackSuite(() => (db.available ? db.url : undefined));
});
