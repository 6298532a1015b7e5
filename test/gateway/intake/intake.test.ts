import { intakeSuite } from './intake-suite';
import { sqliteUrls } from './world';

describe('intake on SQLite', () => {
  intakeSuite(sqliteUrls());
});
