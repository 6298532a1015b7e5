import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monthSubjectsSuite } from './month-subjects-suite';

// The embedded default: SQLite through better-sqlite3, in a temporary file.
describe('migration MonthSubjects on SQLite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-month-subjects-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  monthSubjectsSuite(() => `sqlite:${path.join(dir, 'mmgw.sqlite')}`);
});
