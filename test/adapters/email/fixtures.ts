import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { createDevCa, issueInstitutionCredential } from '../../../gateway/signing/dev-pki';
import { signDocument, verifyDocument } from '../../../gateway/signing/documents';
import { decode } from '../../../contracts/codec';
import type { ContactDirectory } from '../../../adapters/email/classify-mail';
import type { IntakePort, UnsignedMailPort } from '../../../adapters/email/ports';
import { TrustStore } from '../../../gateway/signing/trust-store';

/** The instant the test PKI is made at (a day before the examples' sentAt). */
const PKI_NOW = new Date('2026-11-27T00:00:00Z');
const EXAMPLES = join(__dirname, '../../../contracts/examples');

/** Signed forms made from the contracts' examples with a fresh dev PKI (EC keys: fast). */
export interface SignedCorpus {
  readonly trust: TrustStore;
  /** contracts/examples/incident-report.xml signed (XML-DSig) by its sender op-cmcc. */
  readonly incidentXml: string;
  /** contracts/examples/disposal-feedback.json signed (flattened JWS) by its sender. */
  readonly feedbackJws: string;
  readonly feedbackFrom: string;
  /** The IncidentReport example with its own id (and a tag in its summary), signed by op-cmcc. */
  signIncident(id: string): Promise<string>;
}

/** Signs two examples, once per test file. */
export async function signedCorpus(): Promise<SignedCorpus> {
  const ca = createDevCa({ now: PKI_NOW, keyType: 'ec' });
  const incident = readFileSync(join(EXAMPLES, 'incident-report.xml'), 'utf8');
  const feedback = readFileSync(join(EXAMPLES, 'disposal-feedback.json'), 'utf8');
  const feedbackFrom = (JSON.parse(feedback) as { from: string }).from;
  const cmcc = issueInstitutionCredential(ca, 'op-cmcc', { now: PKI_NOW, keyType: 'ec' });
  const incidentXml = await signDocument(incident, cmcc);
  const signIncident = (id: string) => signDocument(incident.replace(/<id>[^<]*<\/id>/, `<id>${id}</id>`), cmcc);
  const feedbackJws = await signDocument(feedback, issueInstitutionCredential(ca, feedbackFrom, { now: PKI_NOW, keyType: 'ec' }));
  return { trust: new TrustStore([ca.certificate]), incidentXml, feedbackJws, feedbackFrom, signIncident };
}

/** A mail built by nodemailer's MailComposer. */
export function compose(options: Mail.Options): Promise<Buffer> {
  return new MailComposer(options).compile().build();
}

/** CRLF line ends, as mail travels. */
export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** Base64 in 76-character lines. */
export function base64Lines(bytes: Buffer): string {
  return bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
}

/** A minimal .xlsx: a stored (uncompressed) ZIP with the parts Excel needs to recognise a workbook. */
export function minimalXlsx(): Buffer {
  const files: [string, string][] = [
    ['[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'],
    ['xl/workbook.xml', '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="月报" sheetId="1"/></sheets></workbook>'],
  ];
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of files) {
    const data = Buffer.from(text, 'utf8');
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20); central.writeUInt32LE(data.length, 24); central.writeUInt16LE(nameBytes.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.length, 8); end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

/** A random boundary. */
export function boundary(): string {
  return `b_${randomBytes(6).toString('hex')}`;
}

/** An intake that verifies the signature like the real one and records what it accepted. */
export interface FakeIntake extends IntakePort {
  /** Document ids of completed submissions, in order (accepted or rejected). */
  readonly completed: string[];
  /** Runs before each submission (may throw or never resolve, to simulate failures). */
  before?: (n: number) => Promise<void>;
}

/** A fake of gateway/intake's submit: accepted when the signature verifies, else rejected with its reason code. */
export function fakeIntake(trust: TrustStore): FakeIntake {
  let n = 0;
  const intake: FakeIntake = {
    completed: [],
    async submitForm(bytes) {
      n++;
      await intake.before?.(n);
      const doc = decode(bytes).document;
      const id = typeof doc?.id === 'string' ? doc.id : '?';
      const formType = typeof doc?.type === 'string' ? doc.type : undefined;
      const v = await verifyDocument(bytes, { trust });
      intake.completed.push(id);
      return v.ok
        ? { outcome: 'accepted', messageId: id, ...(formType ? { formType } : {}) }
        : { outcome: 'rejected', code: v.code, reason: v.message, ...(formType ? { formType } : {}) };
    },
  };
  return intake;
}

/** A directory where security@chinamobile.example.cn is op-cmcc's registered contact. */
export const testContacts: ContactDirectory = {
  institutionOfContact: async (address) => (address === 'security@chinamobile.example.cn' ? 'op-cmcc' : undefined),
};

/** Records unsigned mails from contacts as accepted EmergencyNotices. */
export function fakeUnsigned(): UnsignedMailPort & { readonly recorded: string[] } {
  const recorded: string[] = [];
  return {
    recorded,
    recordUnsigned: async (c) => { recorded.push(c.address); return { outcome: 'accepted', messageId: `en-${recorded.length}`, formType: 'EmergencyNotice' }; },
  };
}
