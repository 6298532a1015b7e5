import { useMariaDb } from '../../support/services';
import { receiptClockSuite } from './receipt-clock-suite';

// The fall-back on the would-be receipt clock and the superseded copy, on MariaDB (a fresh database for this file).
describe('receipt clock and superseded copies on MariaDB', () => {
  const db = useMariaDb('test/gateway/deliveries/receipt-clock.mariadb.test.ts');
  receiptClockSuite(() => (db.available ? db.url : undefined));
});
