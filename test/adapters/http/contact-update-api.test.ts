import { contactUpdateApiSuite } from './contact-update-api-suite';

jest.setTimeout(120_000);

contactUpdateApiSuite('SQLite', () => undefined);
