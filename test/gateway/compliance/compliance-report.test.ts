import { complianceSuite } from './compliance-suite';

describe('complianceReport (Art. 19) on SQLite', () => {
  complianceSuite(undefined, () => true);
});
