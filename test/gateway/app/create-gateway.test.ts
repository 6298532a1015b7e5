import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createGateway, PASSPHRASE_FILE } from '../../../gateway/app';
import { TestClock } from '../../../gateway/clock';
import { readGatewayConfig } from '../../../gateway/config';
import { InstitutionEntity, MessageEntity, transaction, writeOutbox } from '../../../gateway/store';
import { DeliveryEntity } from '../../../gateway/store';
import { listMailbox } from '../../../gateway/deliveries';
import { DEMO_REGISTRY } from '../../../gateway/registry';

jest.setTimeout(120_000);

const NOW = '2026-11-28T03:00:00Z';

describe('createGateway', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmgw-app-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('on first start seeds the demo registry and creates the dev PKI with a generated passphrase; a restart keeps both and the data', async () => {
    const config = readGatewayConfig({ MMGW_LISTEN: '127.0.0.1:0' }, dir);
    expect(config.dataDir).toBe(path.join(dir, 'data'));
    const clock = new TestClock(NOW);
    const first = await createGateway(config, { clock, embeddedPollMs: 20 });
    let caPem: string;
    try {
      expect(first.firstStart.pkiCreated).toBe(true);
      expect(first.firstStart.passphraseGenerated).toBe(true);
      expect(first.firstStart.seeded).toEqual(expect.arrayContaining(['miit', 'cncert', 'ca-44', 'op-cmcc', 'dr-cnnic']));
      expect(first.firstStart.seeded).toHaveLength(DEMO_REGISTRY.length);
      const passFile = path.join(dir, 'data', 'pki', PASSPHRASE_FILE);
      expect(fs.statSync(passFile).mode & 0o777).toBe(0o600);
      expect(fs.readFileSync(passFile, 'utf8').trim()).toBe(first.passphrase.passphrase);
      for (const f of ['ca.key.pem', 'institutions/op-cmcc.key.pem', 'gateway/mmgw.key.pem', 'server/server.key.pem']) {
        const file = path.join(dir, 'data', 'pki', f);
        expect(fs.statSync(file).mode & 0o777).toBe(0o600);
        expect(fs.readFileSync(file, 'utf8')).toContain('-----BEGIN ENCRYPTED PRIVATE KEY-----');
      }
      expect(fs.existsSync(path.join(dir, 'data', 'mmgw.sqlite'))).toBe(true);
      expect(first.bus.kind).toBe('embedded');
      expect(first.pki.identity.code).toBe('mmgw');
      caPem = first.pki.caPem;

      // An accepted message (as intake leaves it) is routed by the running workers into the mailbox.
      const bytes = Buffer.from('<Message/>');
      await transaction(first.dataSource, async (m) => {
        await m.insert(MessageEntity, {
          id: 'op-cmcc-20261128-0001', type: 'IncidentReport', version: '1.0', fromCode: 'op-cmcc', toCodes: ['miit', 'cncert'], ccCodes: ['ca-44'], sentAt: clock.now(), taskNumber: null, inReplyTo: null,
          format: 'xml', bytes, hash: '0'.repeat(64), size: bytes.length, acceptedAt: clock.now(),
        });
        await writeOutbox(m, [{ topic: 'message.accepted.IncidentReport', messageId: 'accepted:op-cmcc-20261128-0001', payload: Buffer.from(JSON.stringify({ messageId: 'op-cmcc-20261128-0001' })) }], clock.now());
      });
      const page = await listMailbox(first.dataSource, 'ca-44', { waitMs: 10_000 }, first.delivery);
      expect(page.items.map((i) => i.messageId)).toEqual(['op-cmcc-20261128-0001']);
    } finally {
      await first.stop();
    }
    await first.stop(); // twice is harmless

    const second = await createGateway(config, { clock: new TestClock('2026-11-29T03:00:00Z') });
    try {
      expect(second.firstStart).toEqual({ seeded: [], pkiCreated: false, passphraseGenerated: false });
      expect(second.pki.caPem).toBe(caPem);
      expect(await second.dataSource.getRepository(InstitutionEntity).count()).toBe(DEMO_REGISTRY.length);
      expect(await second.dataSource.getRepository(DeliveryEntity).countBy({ messageId: 'op-cmcc-20261128-0001' })).toBe(3);
    } finally {
      await second.stop();
    }
  });

  it('uses MMGW_KEY_PASSPHRASE when set and writes no passphrase file; a wrong one on restart is refused', async () => {
    const env = { MMGW_DATA_DIR: path.join(dir, 'd'), MMGW_KEY_PASSPHRASE: 'correct horse battery staple' };
    const gw = await createGateway(readGatewayConfig(env, dir), { clock: new TestClock(NOW) });
    await gw.stop();
    expect(gw.passphrase.source).toBe('environment');
    expect(fs.existsSync(path.join(dir, 'd', 'pki', PASSPHRASE_FILE))).toBe(false);
    await expect(createGateway(readGatewayConfig({ ...env, MMGW_KEY_PASSPHRASE: 'wrong' }, dir), { clock: new TestClock(NOW) })).rejects.toThrow();
  });
});
