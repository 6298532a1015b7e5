import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { consoleScaleSuite } from './console-scale-suite';

jest.setTimeout(300_000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-console-scale-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
consoleScaleSuite('SQLite', () => `sqlite:${path.join(dir, 'mmgw.sqlite')}`);
