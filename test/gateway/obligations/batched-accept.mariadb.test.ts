import { useMariaDb } from '../../support/services';
import { batchedAcceptSuite } from './batched-accept-suite';

describe('the accept hook for a batch equals one by one (MariaDB)', () => {
  const a = useMariaDb(__filename);
  const b = useMariaDb(__filename);
  batchedAcceptSuite({ a: () => a.url, b: () => b.url }, () => a.available && b.available);
});
