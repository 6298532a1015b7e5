import { receiptClockSuite } from './receipt-clock-suite';
import { sqliteUrls } from './world';

// The fall-back on the would-be receipt clock and the superseded copy, on SQLite (a fresh database).
describe('receipt clock and superseded copies on SQLite', () => {
  receiptClockSuite(sqliteUrls());
});
