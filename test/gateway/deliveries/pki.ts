import { encode } from '../../../contracts/codec';
import { createDevCa, issueInstitutionCredential, type CertificateAuthority } from '../../../gateway/signing/dev-pki';
import type { Credential } from '../../../gateway/signing/credential';
import { signDocument } from '../../../gateway/signing/documents';
import { TrustStore } from '../../../gateway/signing/trust-store';

/** A dev CA, its trust store and credentials issued on demand (EC keys: fast). */
export class TestPki {
  readonly ca: CertificateAuthority;
  readonly trust: TrustStore;
  private readonly credentials = new Map<string, Credential>();

  constructor(private readonly now: Date) {
    this.ca = createDevCa({ now, keyType: 'ec' });
    this.trust = new TrustStore([this.ca.certificate]);
  }

  /** The credential of `institution`, issued the first time. */
  credential(institution: string): Credential {
    let c = this.credentials.get(institution);
    if (c === undefined) this.credentials.set(institution, (c = issueInstitutionCredential(this.ca, institution, { now: this.now, keyType: 'ec' })));
    return c;
  }
}

let n = 0;

/** A signed Acknowledgement by `signer` of delivery `deliveryId` of message `messageId`. */
export async function signedAck(pki: TestPki, signer: string, ack: { messageId: string; deliveryId: string; format?: 'xml' | 'json'; id?: string }): Promise<Buffer> {
  n += 1;
  const doc = {
    id: ack.id ?? `${signer}-20261128-ack${String(n).padStart(4, '0')}`, type: 'Acknowledgement', version: '1.0', from: signer, to: ['mmgw'],
    sentAt: '2026-11-28T11:01:00+08:00', references: { inReplyTo: ack.messageId },
    body: { messageId: ack.messageId, deliveryId: ack.deliveryId, receivedAt: '2026-11-28T11:00:30+08:00' },
  };
  return Buffer.from(await signDocument(encode(doc, ack.format ?? 'json'), pki.credential(signer)));
}
