import { useMariaDb } from '../../support/services';
import { schemaSuite } from './schema-suite';

// Production: MariaDB 10.11 (MySQL 8 alike) through mysql2, in a fresh database.
describe('store on MariaDB', () => {
  const db = useMariaDb(__filename);
  schemaSuite(() => db.url, () => db.available);
});
