import { useMariaDb } from '../../support/services';
import { contactUpdateApiSuite } from './contact-update-api-suite';

jest.setTimeout(300_000);

const db = useMariaDb('contact-update-api.mariadb.test.ts');
contactUpdateApiSuite('MariaDB', () => db.url, () => db.available);
