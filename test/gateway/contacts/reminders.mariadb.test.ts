import { useMariaDb } from '../../support/services';
import { remindersSuite } from './reminders-suite';

// On MariaDB the two callers use two connection pools and really run at once: the unique
// (unit, period) claim in the dedupe table makes the loser wait for the winner's commit, then skip.
describe('contact confirmation reminders on MariaDB', () => {
  const db = useMariaDb(__filename);
  remindersSuite(() => db.url, () => db.available, true);
});
