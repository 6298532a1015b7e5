import { createHash, verify as nodeVerify } from 'node:crypto';
import { factsFromTree } from './signed-facts';
import type { KnownCertificate } from './trust-store';
import { checkSigner, failure, keyFits, type Verification, type VerificationFailure, type VerifyOptions } from './verification';
import { DSIG } from './xml-dsig-algorithms';
import { excC14n } from './xml-c14n';
import { parseXml, textOf, XmlSyntaxError, type XElement } from './xml-tree';

/**
 * Strict verification of an enveloped XML-DSig made by `signXml` or any standard tool. It does
 * what xml-crypto's `checkSignature` does (digest of the referenced content after its transforms,
 * then the SignatureValue over the canonical SignedInfo, with Node's crypto), and it refuses what
 * a wrapping attack needs. It parses with the strict parser of `xml-tree.ts` and canonicalises
 * with `xml-c14n.ts` (no xmldom, no XPath: those took most of the time):
 *
 * - no DOCTYPE or entity declaration, no processing instruction;
 * - exactly one ds:Signature in the document, a child of the document element;
 * - SignedInfo with exactly one Reference, URI="" (the whole document), transforms exactly
 *   enveloped-signature + exclusive c14n, SHA-256; SignatureMethod RSA-SHA256 or ECDSA-SHA256
 *   fitting the certificate's key; no ds:Object, no other children;
 * - no two Id/ID/id attributes with the same value.
 *
 * `from` and `sentAt` are then read from the very tree whose digest was checked.
 */
export function verifyXml(xml: string, opts: VerifyOptions): Verification {
  if (xml.includes('<!') && /<!(DOCTYPE|ENTITY)/i.test(xml)) return failure('signature.doctype-forbidden');
  let root: XElement;
  try {
    root = parseXml(xml);
  } catch (e) {
    if (e instanceof XmlSyntaxError) return failure(/DOCTYPE/.test(e.message) ? 'signature.doctype-forbidden' : 'signature.malformed', `${e.message} (at offset ${e.offset})`);
    throw e;
  }

  const scan = scanTree(root);
  if (scan.signatures.length === 0) return failure('signature.missing', 'no ds:Signature element was found');
  if (scan.signatures.length > 1) return failure('signature.multiple', `${scan.signatures.length} ds:Signature elements were found`);
  if (scan.duplicateId) return failure('signature.wrapped', `the Id ${JSON.stringify(scan.duplicateId)} appears more than once`);
  const signature = scan.signatures[0]!;
  if (signature.parent !== root) return failure('signature.wrapped', 'the ds:Signature is not a child of the document element');

  const parts = readSignature(signature);
  if ('code' in parts) return parts;

  // The canonical SignedInfo (exc-c14n renders the namespaces it uses from its ancestors).
  const signedInfoC14n = excC14n(parts.signedInfo);
  // URI="": the whole document, less the Signature (enveloped-signature), in exclusive c14n.
  const digest = createHash('sha256').update(excC14n(root, signature)).digest();
  if (!digest.equals(parts.digestValue)) return failure('signature.tampered', 'the SHA-256 digest of the document differs from the signed DigestValue');

  let leaf: KnownCertificate;
  let intermediates: KnownCertificate[];
  try {
    [leaf, ...intermediates] = parts.certificates.map((b64) => opts.trust.certificate(b64)) as [KnownCertificate, ...KnownCertificate[]];
  } catch (e) {
    return failure('signature.malformed', `a KeyInfo/X509Data/X509Certificate cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  const ec = parts.signatureMethod === DSIG.ecdsaSha256;
  if (!keyFits(leaf.publicKey, ec ? 'ec' : 'rsa')) return failure('signature.unsupported-algorithm', `the SignatureMethod ${parts.signatureMethod} does not fit the certificate's ${leaf.publicKey.asymmetricKeyType ?? '?'} key`);
  let valid: boolean;
  try {
    valid = nodeVerify('sha256', Buffer.from(signedInfoC14n, 'utf8'), ec ? { key: leaf.publicKey, dsaEncoding: 'ieee-p1363' } : leaf.publicKey, parts.signatureValue);
  } catch {
    valid = false;
  }
  if (!valid) return failure('signature.invalid', `the SignatureValue does not verify with the key of ${leaf.facts.commonName ?? leaf.certificate.subject}`);

  const facts = factsFromTree(root, signature);
  if (typeof facts === 'string') return failure('signature.signed-facts-missing', facts);
  const signer = checkSigner(opts.trust, leaf, intermediates, facts);
  if (!signer.ok) return signer;
  return {
    ok: true,
    format: 'xml',
    institution: signer.institution,
    certificate: leaf.certificate,
    chain: signer.chain.map((c) => c.certificate),
    signedAt: facts.signedAt,
    algorithm: parts.signatureMethod,
  };
}

const ID_ATTRIBUTES = new Set(['Id', 'ID', 'id']);

/** Every ds:Signature in the tree and the first Id/ID/id value that appears twice. */
function scanTree(root: XElement): { signatures: XElement[]; duplicateId: string | undefined } {
  const signatures: XElement[] = [];
  const ids = new Set<string>();
  let duplicateId: string | undefined;
  const stack: XElement[] = [root];
  while (stack.length > 0) {
    const el = stack.pop()!;
    if (el.local === 'Signature' && el.ns === DSIG.ns) signatures.push(el);
    for (const a of el.attrs) {
      if (ID_ATTRIBUTES.has(a.local)) {
        if (ids.has(a.value)) duplicateId ??= a.value;
        ids.add(a.value);
      }
    }
    for (const c of el.children) if (typeof c !== 'string') stack.push(c);
  }
  return { signatures, duplicateId };
}

/** The element children of `el`, refusing non-blank text between them. */
function children(el: XElement): XElement[] | string {
  const out: XElement[] = [];
  for (const c of el.children) {
    if (typeof c !== 'string') out.push(c);
    else if (c.trim() !== '') return `ds:${el.local} holds text`;
  }
  return out;
}

const attr = (el: XElement, name: string): string | null => el.attrs.find((a) => a.ns === '' && a.local === name)?.value ?? null;

const isDs = (el: XElement | undefined, name: string): el is XElement => el !== undefined && el.ns === DSIG.ns && el.local === name;
// Node's base64 decoder skips whitespace, so line-wrapped values need no clean-up first.
const b64 = (el: XElement): Buffer => Buffer.from(textOf(el), 'base64');
const compact = (s: string): string => (/\s/.test(s) ? s.replace(/\s+/g, '') : s);

interface SignatureParts {
  readonly signedInfo: XElement;
  readonly signatureMethod: string;
  readonly digestValue: Buffer;
  readonly signatureValue: Buffer;
  /** base64 DER, leaf first. */
  readonly certificates: string[];
}

function readSignature(signature: XElement): SignatureParts | VerificationFailure {
  const top = children(signature);
  if (typeof top === 'string') return failure('signature.malformed', top);
  const [signedInfo, signatureValue, keyInfo, ...rest] = top;
  if (!isDs(signedInfo, 'SignedInfo') || !isDs(signatureValue, 'SignatureValue')) return failure('signature.malformed', 'ds:Signature must start with ds:SignedInfo and ds:SignatureValue');
  if (rest.length > 0 || (keyInfo && !isDs(keyInfo, 'KeyInfo'))) {
    return failure('signature.wrapped', `ds:Signature holds ${[keyInfo, ...rest].filter((e) => e !== undefined && e.local !== 'KeyInfo').map((e) => e!.local).join(', ')} besides SignedInfo, SignatureValue and KeyInfo`);
  }
  const si = children(signedInfo);
  if (typeof si === 'string') return failure('signature.malformed', si);
  const [c14nMethod, sigMethod, ...refs] = si;
  if (!isDs(c14nMethod, 'CanonicalizationMethod') || !isDs(sigMethod, 'SignatureMethod')) return failure('signature.malformed', 'ds:SignedInfo must start with CanonicalizationMethod and SignatureMethod');
  const c14nAlg = attr(c14nMethod, 'Algorithm');
  if (c14nAlg !== DSIG.excC14n || c14nMethod.children.length > 0) return failure('signature.unsupported-algorithm', `CanonicalizationMethod ${c14nAlg ?? '(none)'}; only ${DSIG.excC14n} without parameters is accepted`);
  const sigAlg = attr(sigMethod, 'Algorithm') ?? '';
  if (sigAlg !== DSIG.rsaSha256 && sigAlg !== DSIG.ecdsaSha256) return failure('signature.unsupported-algorithm', `SignatureMethod ${sigAlg || '(none)'}; only rsa-sha256 and ecdsa-sha256 are accepted`);
  if (refs.length !== 1 || !refs.every((r) => isDs(r, 'Reference'))) return failure('signature.wrapped', `ds:SignedInfo has ${refs.length} entries after SignatureMethod; exactly one ds:Reference is accepted`);
  const ref = refs[0]!;
  if (attr(ref, 'URI') !== '') return failure('signature.wrapped', `the Reference URI is ${JSON.stringify(attr(ref, 'URI'))}; only URI="" (the whole document) is accepted`);
  const rc = children(ref);
  if (typeof rc === 'string') return failure('signature.malformed', rc);
  const [transforms, digestMethod, digestValue, ...more] = rc;
  if (!isDs(transforms, 'Transforms') || !isDs(digestMethod, 'DigestMethod') || !isDs(digestValue, 'DigestValue') || more.length > 0) {
    return failure('signature.malformed', 'ds:Reference must hold Transforms, DigestMethod and DigestValue');
  }
  const tl = children(transforms);
  const algs = typeof tl === 'string' ? [] : tl.map((t) => (isDs(t, 'Transform') && t.children.length === 0 ? attr(t, 'Algorithm') : null));
  if (algs.length !== 2 || algs[0] !== DSIG.enveloped || algs[1] !== DSIG.excC14n) {
    return failure('signature.unsupported-algorithm', `the Reference transforms are ${JSON.stringify(algs)}; exactly enveloped-signature then exclusive c14n are accepted`);
  }
  if (attr(digestMethod, 'Algorithm') !== DSIG.sha256) return failure('signature.unsupported-algorithm', `DigestMethod ${attr(digestMethod, 'Algorithm') ?? '(none)'}; only SHA-256 is accepted`);
  const certificates: string[] = [];
  const kc = keyInfo ? children(keyInfo) : [];
  for (const x509Data of typeof kc === 'string' ? [] : kc.filter((e) => isDs(e, 'X509Data'))) {
    const xc = children(x509Data);
    for (const c of typeof xc === 'string' ? [] : xc) if (isDs(c, 'X509Certificate')) certificates.push(compact(textOf(c)));
  }
  if (certificates.length === 0) return failure('signature.certificate-missing', 'there is no KeyInfo/X509Data/X509Certificate');
  return { signedInfo, signatureMethod: sigAlg, digestValue: b64(digestValue), signatureValue: b64(signatureValue), certificates };
}
