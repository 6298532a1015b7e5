import { useMariaDb } from '../support/services';
import { monthSubjectsSuite } from './month-subjects-suite';

// Production: MariaDB through mysql2, in a fresh database.
describe('migration MonthSubjects on MariaDB', () => {
  const db = useMariaDb(__filename);
  monthSubjectsSuite(() => db.url, () => db.available);
});
