import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { TestClock } from '../../../gateway/clock';
import { checkRoutingFromStore, DEMO_REGISTRY, DomainManagerEntity, domainAndZones, loadRoutingFacts, recordSampleReporters, Registry, seedRegistry } from '../../../gateway/registry';
import { DEMO_INSTITUTIONS } from '../../../gateway/signing/institution';
import { InstitutionEntity, MessageEntity, migrate, openStore, transaction } from '../../../gateway/store';
import { migrations } from '../../../migrations';

describe('registry', () => {
  let dir: string;
  let ds: DataSource;
  const clock = new TestClock('2026-11-28T03:00:00Z');
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-registry-'));
    ds = await openStore(`sqlite:${path.join(dir, 'r.sqlite')}`, { migrations });
    await migrate(ds);
  });
  afterAll(async () => {
    await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('seeds the demo registry once: the codes of the dev PKI, CAs with their province and Chinese name, mailbox first', async () => {
    const first = await seedRegistry(ds, clock.now());
    expect(new Set(first.institutions)).toEqual(new Set(DEMO_INSTITUTIONS));
    expect(first.domains).toEqual(['cn', '中国']);
    const again = await seedRegistry(ds, clock.now());
    expect(again).toEqual({ institutions: [], domains: [] });
    const rows = await ds.manager.find(InstitutionEntity);
    expect(rows).toHaveLength(DEMO_REGISTRY.length);
    expect(rows.filter((r) => r.kind === 'ca')).toHaveLength(31);
    const gd = rows.find((r) => r.code === 'ca-44')!;
    expect(gd).toMatchObject({ kind: 'ca', province: '44', name: '广东省通信管理局', channels: [{ kind: 'mailbox' }] });
    expect(rows.find((r) => r.code === 'rr-demo')).toMatchObject({ kind: 'registrar', province: null });
    expect(rows.filter((r) => r.kind !== 'ca').every((r) => r.province === null)).toBe(true);
  });

  it('keeps institutions in memory until the TTL passes or it is invalidated', async () => {
    const reg = new Registry(ds, { clock, ttlMs: 1000 });
    expect(await reg.missing(['miit', 'op-nobody', 'ca-11', 'op-nobody'])).toEqual(['op-nobody']);
    await ds.manager.insert(InstitutionEntity, { code: 'op-nobody', kind: 'operator', name: 'x', province: null, channels: [{ kind: 'mailbox' }], createdAt: clock.now(), updatedAt: clock.now() });
    expect(await reg.get('op-nobody')).toBeUndefined(); // still cached
    reg.invalidate();
    expect((await reg.get('op-nobody'))?.kind).toBe('operator');
    await ds.manager.delete(InstitutionEntity, { code: 'op-nobody' });
    expect(await reg.get('op-nobody')).toBeDefined();
    clock.advance(1000);
    expect(await reg.get('op-nobody')).toBeUndefined();
  });

  it('answers routing facts from the store: most specific zone, sample reporters, senders', async () => {
    expect(domainAndZones('A.Example.CN.')).toEqual(['a.example.cn', 'example.cn', 'cn']);
    await transaction(ds, async (m) => {
      await m.insert(DomainManagerEntity, { domain: 'example.cn', institutionCode: 'rr-demo', addedAt: clock.now() });
      await recordSampleReporters(m, { id: 'op-cmcc-20261128-0001', type: 'SampleReport', from: 'op-cmcc', body: { samples: [{ md5: 'ABCDEF0123456789ABCDEF0123456789' }, { md5: 'abcdef0123456789abcdef0123456789' }] } }, clock.now());
      expect(await recordSampleReporters(m, { id: 'x', type: 'IncidentReport', from: 'op-cmcc', body: { samples: [{ md5: 'a' }] } }, clock.now())).toBe(0);
      await m.insert(MessageEntity, {
        id: 'op-cmcc-20261128-0001', type: 'SampleReport', version: '1.0', fromCode: 'op-cmcc', toCodes: ['cncert'], ccCodes: [], sentAt: clock.now(), taskNumber: null, inReplyTo: null,
        format: 'json', bytes: Buffer.from('{}'), hash: '0'.repeat(64), size: 2, acceptedAt: clock.now(),
      });
    });
    const facts = await loadRoutingFacts(ds.manager, { domains: ['www.example.cn', 'other.cn', 'example.com'], md5s: ['abcdef0123456789abcdef0123456789', 'f'.repeat(32)], messageIds: ['op-cmcc-20261128-0001', 'nope-00000000'] });
    expect(facts.domainManagers('www.example.cn')).toEqual(['rr-demo']);
    expect(facts.domainManagers('other.cn')).toEqual(['dr-cnnic']);
    expect(facts.domainManagers('example.com')).toBeUndefined();
    expect(facts.sampleReporters('ABCDEF0123456789ABCDEF0123456789')).toEqual(['op-cmcc']);
    expect(facts.sampleReporters('f'.repeat(32))).toEqual([]);
    expect(facts.senderOf('op-cmcc-20261128-0001')).toBe('op-cmcc');
    expect(facts.senderOf('nope-00000000')).toBeUndefined();
  });

  it('routes a SampleIdentification to the reporters on record and refuses an unknown domain', async () => {
    const ident = await checkRoutingFromStore(ds.manager, {
      type: 'SampleIdentification', from: 'cncert', to: ['op-cmcc'], cc: ['ca-11'],
      body: { provinces: ['11'], samples: [{ md5: 'abcdef0123456789abcdef0123456789' }] },
    });
    expect(ident.errors).toEqual([]);
    expect(ident.decision.to).toEqual(['op-cmcc']);
    const domain = await checkRoutingFromStore(ds.manager, { type: 'DomainDisposalRequest', from: 'cncert', to: ['rr-demo'], body: { domains: [{ domain: 'evil.example.com' }] } });
    expect(domain.errors.map((e) => e.code)).toContain('routing.unresolved');
  });
});
