import { regradeSuite } from './regrade-suite';

describe('re-grading, refusals, special periods and queries on SQLite', () => {
  regradeSuite(undefined, () => true);
});
