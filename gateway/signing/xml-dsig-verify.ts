import { createHash, verify as nodeVerify } from 'node:crypto';
import { DOMParser } from '@xmldom/xmldom';
import { XMLValidator } from 'fast-xml-parser';
import { ExclusiveCanonicalization } from 'xml-crypto';
import { factsFromXml } from './signed-facts';
import type { KnownCertificate } from './trust-store';
import { checkSigner, failure, keyFits, type Verification, type VerificationFailure, type VerifyOptions } from './verification';
import { DSIG } from './xml-dsig-algorithms';

/**
 * Strict verification of an enveloped XML-DSig made by `signXml` or any standard tool. It does
 * what xml-crypto's `checkSignature` does (digest of the referenced content after its transforms,
 * then the SignatureValue over the canonical SignedInfo, with Node's crypto), and it refuses what
 * a wrapping attack needs, so it reads the DOM directly instead of through XPath:
 *
 * - no DOCTYPE or entity declaration, no processing instruction;
 * - exactly one ds:Signature in the document, a child of the document element;
 * - SignedInfo with exactly one Reference, URI="" (the whole document), transforms exactly
 *   enveloped-signature + exclusive c14n, SHA-256; SignatureMethod RSA-SHA256 or ECDSA-SHA256
 *   fitting the certificate's key; no ds:Object, no other children;
 * - no two Id/ID/id attributes with the same value.
 *
 * `from` and `sentAt` are then read from the very DOM whose digest was checked.
 */
export function verifyXml(xml: string, opts: VerifyOptions): Verification {
  if (/<!(DOCTYPE|ENTITY)/i.test(xml)) return failure('signature.doctype-forbidden');
  const parsed = parse(xml);
  if ('code' in parsed) return parsed;
  const root = parsed.documentElement;
  if (!root) return failure('signature.malformed', 'there is no document element');

  const scan = scanDocument(parsed);
  if (typeof scan === 'string') return failure('signature.malformed', scan);
  if (scan.signatures.length === 0) return failure('signature.missing', 'no ds:Signature element was found');
  if (scan.signatures.length > 1) return failure('signature.multiple', `${scan.signatures.length} ds:Signature elements were found`);
  if (scan.duplicateId) return failure('signature.wrapped', `the Id ${JSON.stringify(scan.duplicateId)} appears more than once`);
  const signature = scan.signatures[0]!;
  if (signature.parentNode !== root) return failure('signature.wrapped', 'the ds:Signature is not a child of the document element');

  const parts = readSignature(signature);
  if ('code' in parts) return parts;

  // The canonical SignedInfo, with the namespaces it uses from its ancestors (exc-c14n renders them).
  const c14n = new ExclusiveCanonicalization();
  const signedInfoC14n = c14n.process(parts.signedInfo, {});
  // Enveloped-signature transform, then exclusive c14n of the whole document (URI="").
  root.removeChild(signature);
  const digest = createHash('sha256').update(c14n.process(root, {})).digest();
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

  const facts = factsFromXml(root);
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

function parse(xml: string): Document | VerificationFailure {
  // xmldom 0.8 silently repairs some errors (a mismatched end tag such as </ds:Sx> closing
  // <ds:S>), so a strict well-formedness check comes first.
  const valid = XMLValidator.validate(xml, { allowBooleanAttributes: false });
  if (valid !== true) return failure('signature.malformed', `the XML is not well-formed: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  // xmldom reports some well-formedness errors (e.g. a mismatched end tag) only as warnings.
  const errors: string[] = [];
  const onError = (msg: string): void => {
    errors.push(msg);
  };
  const doc = new DOMParser({ errorHandler: { warning: onError, error: onError, fatalError: onError } }).parseFromString(xml, 'text/xml');
  if (errors.length > 0) return failure('signature.malformed', `the XML is not well-formed: ${errors[0]!.replace(/\s+/g, ' ').trim()}`);
  return doc;
}

const ID_ATTRIBUTES = new Set(['Id', 'ID', 'id']);

/** One pass over the tree: every ds:Signature, a repeated Id, or a processing instruction. */
function scanDocument(doc: Document): { signatures: Element[]; duplicateId: string | undefined } | string {
  const signatures: Element[] = [];
  const ids = new Set<string>();
  let duplicateId: string | undefined;
  const stack: Node[] = [];
  for (let n = doc.firstChild; n; n = n.nextSibling) stack.push(n);
  while (stack.length > 0) {
    const node = stack.pop()!;
    // xmldom keeps the XML declaration as a processing instruction "xml"; any other is refused.
    if (node.nodeType === 7 && !(node.parentNode === doc && (node as ProcessingInstruction).target === 'xml')) {
      return 'processing instructions are not accepted in signed documents';
    }
    if (node.nodeType !== 1) continue;
    const el = node as Element;
    if (el.localName === 'Signature' && el.namespaceURI === DSIG.ns) signatures.push(el);
    const attrs = el.attributes;
    for (let i = 0; i < attrs.length; i++) {
      const a = attrs[i]!;
      if (ID_ATTRIBUTES.has(a.localName ?? a.name)) {
        if (ids.has(a.value)) duplicateId ??= a.value;
        ids.add(a.value);
      }
    }
    for (let c = el.firstChild; c; c = c.nextSibling) stack.push(c);
  }
  return { signatures, duplicateId };
}

/** The element children of `el`, refusing non-blank text between them. */
function children(el: Element): Element[] | string {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1) out.push(n as Element);
    else if ((n.nodeType === 3 || n.nodeType === 4) && (n.nodeValue ?? '').trim() !== '') return `ds:${el.localName} holds text`;
  }
  return out;
}

const isDs = (el: Element | undefined, name: string): el is Element => el !== undefined && el.namespaceURI === DSIG.ns && el.localName === name;
const b64 = (el: Element): Buffer => Buffer.from((el.textContent ?? '').replace(/\s+/g, ''), 'base64');

interface SignatureParts {
  readonly signedInfo: Element;
  readonly signatureMethod: string;
  readonly digestValue: Buffer;
  readonly signatureValue: Buffer;
  /** base64 DER, leaf first. */
  readonly certificates: string[];
}

function readSignature(signature: Element): SignatureParts | VerificationFailure {
  const top = children(signature);
  if (typeof top === 'string') return failure('signature.malformed', top);
  const [signedInfo, signatureValue, keyInfo, ...rest] = top;
  if (!isDs(signedInfo, 'SignedInfo') || !isDs(signatureValue, 'SignatureValue')) return failure('signature.malformed', 'ds:Signature must start with ds:SignedInfo and ds:SignatureValue');
  if (rest.length > 0 || (keyInfo && !isDs(keyInfo, 'KeyInfo'))) {
    return failure('signature.wrapped', `ds:Signature holds ${[keyInfo, ...rest].filter((e) => e !== undefined && e.localName !== 'KeyInfo').map((e) => e!.localName).join(', ')} besides SignedInfo, SignatureValue and KeyInfo`);
  }
  const si = children(signedInfo);
  if (typeof si === 'string') return failure('signature.malformed', si);
  const [c14nMethod, sigMethod, ...refs] = si;
  if (!isDs(c14nMethod, 'CanonicalizationMethod') || !isDs(sigMethod, 'SignatureMethod')) return failure('signature.malformed', 'ds:SignedInfo must start with CanonicalizationMethod and SignatureMethod');
  const c14nAlg = c14nMethod.getAttribute('Algorithm');
  if (c14nAlg !== DSIG.excC14n || c14nMethod.firstChild) return failure('signature.unsupported-algorithm', `CanonicalizationMethod ${c14nAlg ?? '(none)'}; only ${DSIG.excC14n} without parameters is accepted`);
  const sigAlg = sigMethod.getAttribute('Algorithm') ?? '';
  if (sigAlg !== DSIG.rsaSha256 && sigAlg !== DSIG.ecdsaSha256) return failure('signature.unsupported-algorithm', `SignatureMethod ${sigAlg || '(none)'}; only rsa-sha256 and ecdsa-sha256 are accepted`);
  if (refs.length !== 1 || !refs.every((r) => isDs(r, 'Reference'))) return failure('signature.wrapped', `ds:SignedInfo has ${refs.length} entries after SignatureMethod; exactly one ds:Reference is accepted`);
  const ref = refs[0]!;
  if (!ref.hasAttribute('URI') || ref.getAttribute('URI') !== '') return failure('signature.wrapped', `the Reference URI is ${JSON.stringify(ref.getAttribute('URI'))}; only URI="" (the whole document) is accepted`);
  const rc = children(ref);
  if (typeof rc === 'string') return failure('signature.malformed', rc);
  const [transforms, digestMethod, digestValue, ...more] = rc;
  if (!isDs(transforms, 'Transforms') || !isDs(digestMethod, 'DigestMethod') || !isDs(digestValue, 'DigestValue') || more.length > 0) {
    return failure('signature.malformed', 'ds:Reference must hold Transforms, DigestMethod and DigestValue');
  }
  const tl = children(transforms);
  const algs = typeof tl === 'string' ? [] : tl.map((t) => (isDs(t, 'Transform') && !t.firstChild ? t.getAttribute('Algorithm') : null));
  if (algs.length !== 2 || algs[0] !== DSIG.enveloped || algs[1] !== DSIG.excC14n) {
    return failure('signature.unsupported-algorithm', `the Reference transforms are ${JSON.stringify(algs)}; exactly enveloped-signature then exclusive c14n are accepted`);
  }
  if (digestMethod.getAttribute('Algorithm') !== DSIG.sha256) return failure('signature.unsupported-algorithm', `DigestMethod ${digestMethod.getAttribute('Algorithm') ?? '(none)'}; only SHA-256 is accepted`);
  const certificates: string[] = [];
  const kc = keyInfo ? children(keyInfo) : [];
  for (const x509Data of typeof kc === 'string' ? [] : kc.filter((e) => isDs(e, 'X509Data'))) {
    const xc = children(x509Data);
    for (const c of typeof xc === 'string' ? [] : xc) if (isDs(c, 'X509Certificate')) certificates.push((c.textContent ?? '').replace(/\s+/g, ''));
  }
  if (certificates.length === 0) return failure('signature.certificate-missing', 'there is no KeyInfo/X509Data/X509Certificate');
  return { signedInfo, signatureMethod: sigAlg, digestValue: b64(digestValue), signatureValue: b64(signatureValue), certificates };
}
