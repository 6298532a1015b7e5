import { purgeSuite } from './purge-suite';

describe('purgeExpired (Art. 12 retention) on SQLite', () => {
  purgeSuite(undefined, () => true);
});
