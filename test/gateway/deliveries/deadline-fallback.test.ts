import { deadlineFallbackSuite } from './deadline-fallback-suite';
import { sqliteUrls } from './world';

// The deadline-aware fall-back on SQLite (a fresh database).
describe('deadline-aware fall-back on SQLite', () => {
  deadlineFallbackSuite(sqliteUrls());
});
