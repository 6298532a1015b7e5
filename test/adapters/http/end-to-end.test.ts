import { endToEndSuite } from './end-to-end-suite';

// The embedded defaults: SQLite and the embedded bus (what `npm start` runs with no configuration).
describe('end to end over HTTPS on SQLite and the embedded bus', () => {
  endToEndSuite(() => ({ databaseUrl: 'sqlite' }));
});
