import { mainJobSuite } from './main-job-suite';

jest.setTimeout(180_000);

// The main job of issue 5: `npm start` with no configuration (SQLite, the embedded bus, the
// demo registry and a dev PKI made on first start) and the CLI acting as the institutions.
describe('npm start with no configuration: SQLite and the embedded bus', () => {
  mainJobSuite(() => ({}));
});
