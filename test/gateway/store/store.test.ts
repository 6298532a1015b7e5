import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { schemaSuite } from './schema-suite';

// The embedded default: SQLite through better-sqlite3, in a temporary file.
describe('store on SQLite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-store-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  schemaSuite(() => `sqlite:${path.join(dir, 'nested', 'mmgw.sqlite')}`);
});
