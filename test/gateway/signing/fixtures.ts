import { randomUUID } from 'node:crypto';
import type { Credential } from '../../../gateway/signing/credential';
import { createDevCa, issueInstitutionCredential, type CertificateAuthority } from '../../../gateway/signing/dev-pki';
import type { KeyType } from '../../../gateway/signing/keys';

/** The instant test PKIs are created at; documents are sent a day later. */
export const PKI_NOW = new Date('2026-11-28T02:00:00Z');
export const SENT_AT = '2026-11-29T10:00:00+08:00';

/** A message in the shape the contracts produce (issue 3): envelope + IncidentReport body, about `bodyBytes` long. */
export function messageXml(opts: { from?: string; sentAt?: string; bodyBytes?: number } = {}): string {
  const filler = 'x'.repeat(Math.max(0, (opts.bodyBytes ?? 600) - 400));
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<Message xmlns="urn:mmgw:message:1"><id>${randomUUID()}</id><type>IncidentReport</type><version>1.0</version>` +
    `<from>${opts.from ?? 'op-cmcc'}</from><to><code>miit</code></to><cc><code>ca-11</code><code>cncert</code></cc>` +
    `<sentAt>${opts.sentAt ?? SENT_AT}</sentAt><references><taskNumber>2026-MIIT-0042</taskNumber></references>` +
    '<body><IncidentReport><title>恶意程序 &amp; 样本</title><summary>Trojan found in app store &lt;demo&gt;</summary>' +
    `<sampleCount>3</sampleCount><notes>${filler}</notes></IncidentReport></body></Message>`
  );
}

/** The same message as a JSON document. */
export function messageJson(opts: { from?: string; sentAt?: string; bodyBytes?: number } = {}): string {
  const filler = 'x'.repeat(Math.max(0, (opts.bodyBytes ?? 600) - 400));
  return JSON.stringify({
    id: randomUUID(),
    type: 'IncidentReport',
    version: '1.0',
    from: opts.from ?? 'op-cmcc',
    to: ['miit'],
    cc: ['ca-11', 'cncert'],
    sentAt: opts.sentAt ?? SENT_AT,
    references: { taskNumber: '2026-MIIT-0042' },
    body: { IncidentReport: { title: '恶意程序 & 样本', summary: 'Trojan found in app store <demo>', sampleCount: 3, notes: filler } },
  });
}

/** A dev CA and credentials for a few institutions. */
export interface TestPki {
  readonly ca: CertificateAuthority;
  readonly cred: (code: string, type?: KeyType) => Credential;
}

/** Makes a CA once; credentials are made on first use and kept (RSA key generation is slow). */
export function testPki(caKeyType: KeyType = 'rsa'): TestPki {
  const ca = createDevCa({ now: PKI_NOW, keyType: caKeyType });
  const made = new Map<string, Credential>();
  return {
    ca,
    cred: (code, type = 'rsa') => {
      const key = `${code}/${type}`;
      let c = made.get(key);
      if (!c) made.set(key, (c = issueInstitutionCredential(ca, code, { now: PKI_NOW, keyType: type })));
      return c;
    },
  };
}
