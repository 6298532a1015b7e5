import { encode } from '../../../contracts/codec';
import { formByName } from '../../../contracts/forms';
import type { Gateway } from '../../../gateway/app';
import type { Credential } from '../../../gateway/signing/credential';
import { issueInstitutionCredential } from '../../../gateway/signing/dev-pki';
import { signDocument } from '../../../gateway/signing/documents';

/** The five annex forms, in the order of a case (each answers the one before it). */
export const ANNEX_FORMS = ['SampleReport', 'SampleIdentification', 'IncidentReport', 'IncidentNotice', 'DisposalFeedback'] as const;

/** 附件N and the annex's title as the mechanism writes them (mechanism.zh.txt). */
export const ANNEX_TITLES: Readonly<Record<(typeof ANNEX_FORMS)[number], string>> = {
  SampleReport: '附件一 移动互联网疑似恶意程序样本报送表',
  SampleIdentification: '附件二 移动互联网恶意程序样本认定信息表',
  IncidentReport: '附件三 较大以上移动互联网恶意程序事件报送表',
  IncidentNotice: '附件四 较大以上移动互联网恶意程序事件信息通报',
  DisposalFeedback: '附件五 较大以上移动互联网恶意程序处置反馈表',
};

const credentials = new Map<string, Credential>();

/**
 * Submits the published example of `type` to the gateway's intake as its sender would: signed
 * (XML-DSig or JWS) with a credential of the gateway's dev CA, `sentAt` now; `change` edits a copy
 * of the example first. Returns the accepted message's id; throws with intake's errors otherwise.
 */
export async function submitExample(gateway: Gateway, type: string, format: 'xml' | 'json', change: (doc: Record<string, unknown> & { body: Record<string, unknown> }) => void = () => undefined): Promise<string> {
  const doc = JSON.parse(JSON.stringify(formByName(type)!.example)) as Record<string, unknown> & { body: Record<string, unknown> };
  doc.sentAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  change(doc);
  const from = String(doc.from);
  let credential = credentials.get(`${gateway.pki.dir}:${from}`);
  if (!credential) credentials.set(`${gateway.pki.dir}:${from}`, (credential = issueInstitutionCredential(gateway.pki.ca, from, { now: new Date(), keyType: 'ec' })));
  const bytes = Buffer.from(await signDocument(encode(doc, format), credential));
  const out = await gateway.intake.submit({ bytes, caller: from });
  if (!out.accepted) throw new Error(`${type} refused: ${JSON.stringify(out.errors)}`);
  return out.messageId;
}
