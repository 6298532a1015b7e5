import { remindersSuite } from './reminders-suite';

// On SQLite the two callers share one connection and transaction() runs them in turn; each
// still computes its own list before claiming, so the claim is what keeps one reminder.
describe('contact confirmation reminders on SQLite', () => {
  remindersSuite(() => undefined);
});
