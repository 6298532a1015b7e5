import { schedulerSuite } from './scheduler-suite';

// SQLite: the schedulers share the one connection of the process (the store's transaction()
// queue serialises them); the claim key is still what keeps each alert single.
describe('obligation scheduler on SQLite', () => {
  schedulerSuite(undefined, () => true, false);
});
