import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { buildSignedMail } from '../../../adapters/email/smime';
import { issueGatewayIdentity } from '../../../gateway/identity';
import { createDevCa } from '../../../gateway/signing/dev-pki';
import type { Credential } from '../../../gateway/signing/credential';

/**
 * The gateway's S/MIME signature checked by OpenSSL, an independent implementation:
 * `openssl cms -verify` with the dev CA accepts the mail and gives back the signed entity, and
 * refuses it once one byte of the attached document is changed.
 */
function openssl(args: string[]): { ok: boolean; out: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { ok: r.status === 0, out: `${r.stdout}${r.stderr}` };
}

describe('S/MIME signing of delivery mail (multipart/signed, detached, SHA-256)', () => {
  const now = new Date('2026-11-28T02:00:00Z');
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'mmgw-smime-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const doc = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<Message>签名 \r\n kept as is</Message>\n', 'utf8');

  for (const keyType of ['ec', 'rsa'] as const) {
    it(`openssl cms -verify accepts the mail signed with an ${keyType.toUpperCase()} gateway key and refuses a changed one`, async () => {
      const ca = createDevCa({ now, keyType });
      const credential: Credential = issueGatewayIdentity(ca, { now, keyType }).credential;
      const caFile = join(dir, `ca-${keyType}.pem`);
      writeFileSync(caFile, ca.certificate.toString());
      const mail = await buildSignedMail({
        headers: { From: 'gw@gw.example', To: 'duty@ca11.example.cn', Subject: '《事件报告》 op-cmcc-1', 'Message-ID': '<dlv-00000001.abc@gw.example>' },
        text: '您有一份新的报文。\nA new message.',
        attachments: [{ filename: 'op-cmcc-1.xml', content: doc, contentType: 'application/xml' }],
        credential, at: now,
      });
      const file = join(dir, `mail-${keyType}.eml`);
      writeFileSync(file, mail);
      expect(mail.toString('latin1')).toMatch(/Content-Type: multipart\/signed; protocol="application\/pkcs7-signature";\s+micalg=sha-256/);
      expect(mail.toString('latin1')).toContain('Content-Type: application/pkcs7-signature; name=smime.p7s');

      const out = join(dir, `content-${keyType}.eml`);
      const verified = openssl(['cms', '-verify', '-in', file, '-CAfile', caFile, '-out', out]);
      expect(verified.out).toContain('Verification successful');
      expect(verified.ok).toBe(true);
      expect(openssl(['smime', '-verify', '-in', file, '-CAfile', caFile, '-out', join(dir, 'x.eml')]).ok).toBe(true);

      // The signed entity carries the document byte for byte and the summary.
      const inner = await simpleParser(readFileSync(out));
      expect(inner.attachments).toHaveLength(1);
      expect(inner.attachments[0]!.content.equals(doc)).toBe(true);
      expect(inner.text).toContain('您有一份新的报文');

      // The whole mail read as a mail: the document is still attached unchanged.
      const parsed = await simpleParser(mail);
      expect(parsed.attachments.find((a) => a.filename === 'op-cmcc-1.xml')?.content.equals(doc)).toBe(true);

      // One byte of the attached document changed (in its base64): the signature no longer holds.
      const b64 = doc.toString('base64').slice(0, 20);
      const tampered = mail.toString('latin1').replace(b64, `${b64.slice(0, 10)}${b64[10] === 'A' ? 'B' : 'A'}${b64.slice(11)}`);
      expect(tampered).not.toBe(mail.toString('latin1'));
      writeFileSync(join(dir, 'tampered.eml'), tampered, 'latin1');
      const refused = openssl(['cms', '-verify', '-in', join(dir, 'tampered.eml'), '-CAfile', caFile, '-out', join(dir, 'y.eml')]);
      expect(refused.ok).toBe(false);
      expect(refused.out).toMatch(/digest failure|verification failure/i);

      // Another CA: the chain does not verify.
      const other = createDevCa({ now, keyType });
      writeFileSync(join(dir, 'other.pem'), other.certificate.toString());
      expect(openssl(['cms', '-verify', '-in', file, '-CAfile', join(dir, 'other.pem'), '-out', join(dir, 'z.eml')]).ok).toBe(false);
    });
  }
});
