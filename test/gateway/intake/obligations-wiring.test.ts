import { obligationHooks } from '../../../gateway/obligations/hooks';
import { ObligationEntity } from '../../../gateway/obligations/entities/obligation';
import { example, openWorld, signed, sqliteUrls, type World } from './world';

// Seam 3 with the real obligations hooks: they run inside the accept transaction.
describe('intake with the obligations hooks', () => {
  const urls = sqliteUrls();
  let w: World;
  beforeAll(async () => { w = await openWorld(urls()!); });
  afterAll(() => w.ds.destroy());

  it('a SampleReport accepted opens its obligations in the same commit; a refused one opens none', async () => {
    const intake = w.intakeWith({ hooks: obligationHooks() });
    const before = await w.ds.manager.count(ObligationEntity);
    const doc = example('sample-report');
    const out = await intake.submit({ bytes: await signed(w, doc, 'json'), caller: 'op-cmcc' });
    expect(out.accepted).toBe(true);
    const opened = await w.ds.manager.count(ObligationEntity);
    expect(opened).toBeGreaterThan(before);
    const unsigned = await intake.submit({ bytes: Buffer.from(JSON.stringify(example('sample-report'))), caller: 'op-cmcc' });
    expect(unsigned.accepted).toBe(false);
    expect(await w.ds.manager.count(ObligationEntity)).toBe(opened);
  });
});
