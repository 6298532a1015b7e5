import { batchedAcceptSuite } from './batched-accept-suite';

describe('the accept hook for a batch equals one by one (SQLite)', () => {
  batchedAcceptSuite();
});
