import { pageObligationsSuite } from './page-obligations-suite';

describe('pageObligations on SQLite', () => {
  pageObligationsSuite(undefined, () => true);
});
