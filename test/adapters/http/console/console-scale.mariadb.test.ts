import { useMariaDb } from '../../../support/services';
import { consoleScaleSuite } from './console-scale-suite';

jest.setTimeout(300_000);

const db = useMariaDb('console-scale.mariadb.test.ts');
consoleScaleSuite('MariaDB', () => (db.available ? db.url : undefined));
