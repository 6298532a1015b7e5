import { GatewayError } from '../../../contracts/errors/gateway-error';
import { obligationHooks, type CoreHooks } from '../../../gateway/obligations/hooks';
import { ObligationEntity } from '../../../gateway/obligations/entities/obligation';
import { counts, example, openWorld, signed, sqliteUrls, type World } from './world';

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

  it('a custom onMessageAccepted over obligationHooks() runs on the batch path (not bypassed by their onMessagesAccepted)', async () => {
    const base = obligationHooks();
    const seen: string[] = [];
    const custom: CoreHooks = { ...base, onMessageAccepted: async (m, a, now) => { seen.push(a.id); await base.onMessageAccepted(m, a, now); } };
    const intake = w.intakeWith({ hooks: custom });
    const before = await w.ds.manager.count(ObligationEntity);
    const doc = example('sample-report');
    expect((await intake.submit({ bytes: await signed(w, doc, 'json'), caller: 'op-cmcc' })).accepted).toBe(true);
    expect(seen).toEqual([doc.id]);
    expect(await w.ds.manager.count(ObligationEntity)).toBeGreaterThan(before);
  });

  it('a custom onMessageAccepted that refuses rolls the accept back on the batch path too', async () => {
    const refusing: CoreHooks = { ...obligationHooks(), onMessageAccepted: async (_m, a) => { throw new GatewayError('obligation.unknown-task', `refused ${a.id}`); } };
    const written = async () => {
      const c = await counts(w);
      return [c['messages'], c['outbox'], c['samples'], await w.ds.manager.count(ObligationEntity)];
    };
    const before = await written();
    const out = await w.intakeWith({ hooks: refusing }).submit({ bytes: await signed(w, example('sample-report'), 'json'), caller: 'op-cmcc' });
    expect(out.accepted).toBe(false);
    expect(await written()).toEqual(before);
  });
});
