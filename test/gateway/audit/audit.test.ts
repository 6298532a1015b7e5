import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { auditSuite } from './audit-suite';

describe('audit chain on SQLite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-audit-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  auditSuite(() => `sqlite:${path.join(dir, 'mmgw.sqlite')}`);
});
