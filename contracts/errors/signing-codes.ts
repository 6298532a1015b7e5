import { defineCodes } from './code-info';

/**
 * Why a signed document is refused (issue 3). Verification answers one question — is this
 * document signed by a trusted certificate whose institution code equals the document's `from`?
 * — and when the answer is no, it names exactly one of these reasons.
 */
export const signatureCodes = defineCodes('signature', {
  'signature.missing': { description: 'The document carries no signature.', http: 400, exit: 1 },
  'signature.malformed': { description: 'The document or its signature is not well-formed and cannot be read.', http: 400, exit: 1 },
  'signature.invalid': { description: 'The signature value does not match the signed content under the certificate\'s key: the signature was altered or made with another key.', http: 400, exit: 1 },
  'signature.tampered': { description: 'The signed content was changed after signing: its digest no longer matches the one that was signed.', http: 400, exit: 1 },
  'signature.certificate-missing': { description: 'The signature does not carry the signer\'s certificate (KeyInfo/X509Data or x5c).', http: 400, exit: 1 },
  'signature.untrusted-chain': { description: 'The signer\'s certificate does not chain to a trust anchor of this gateway.', http: 400, exit: 1 },
  'signature.expired': { description: 'A certificate of the chain had expired at the signing time carried in the document.', http: 400, exit: 1 },
  'signature.not-yet-valid': { description: 'A certificate of the chain was not yet valid at the signing time carried in the document.', http: 400, exit: 1 },
  'signature.revoked': { description: 'A certificate of the chain is revoked by its issuer\'s CRL.', http: 400, exit: 1 },
  'signature.key-usage': { description: 'The signer\'s certificate is not allowed to make digital signatures (keyUsage digitalSignature is missing).', http: 400, exit: 1 },
  'signature.institution-missing': { description: 'The signer\'s certificate does not bind an institution code in its subject CN.', http: 400, exit: 1 },
  'signature.sender-mismatch': { description: 'The institution in the signer\'s certificate is not the document\'s sender (from).', http: 400, exit: 1 },
  'signature.signed-facts-missing': { description: 'The signed content does not carry exactly one valid from and sentAt.', http: 400, exit: 1 },
  'signature.wrapped': { description: 'The signature does not cover the whole document as a single enveloped reference (possible signature wrapping).', http: 400, exit: 1 },
  'signature.multiple': { description: 'The document carries more than one signature; exactly one is allowed.', http: 400, exit: 1 },
  'signature.doctype-forbidden': { description: 'The document contains a DOCTYPE or entity declaration, which signed documents must not have.', http: 400, exit: 1 },
  'signature.unsupported-algorithm': { description: 'The signature uses an algorithm or transform this gateway does not accept.', http: 400, exit: 1 },
  'signature.unknown-format': { description: 'The document is neither an XML document nor a flattened JSON JWS.', http: 400, exit: 1 },
});

/** Problems with keys, certificates, CSRs and CRLs handled by `mmgw pki` and the signing code. */
export const pkiCodes = defineCodes('pki', {
  'pki.passphrase-missing': { description: 'The passphrase for private keys at rest is not set (environment variable MMGW_KEY_PASSPHRASE).', http: 500, exit: 2 },
  'pki.key-unreadable': { description: 'The private key cannot be read: wrong passphrase, or not a PEM private key.', http: 400, exit: 1 },
  'pki.certificate-unreadable': { description: 'The certificate cannot be read as PEM or DER X.509.', http: 400, exit: 1 },
  'pki.key-mismatch': { description: 'The private key does not belong to the certificate.', http: 400, exit: 1 },
  'pki.csr-invalid': { description: 'The certificate signing request cannot be read or its self-signature does not verify.', http: 400, exit: 1 },
  'pki.unknown-institution': { description: 'The institution code is not well-formed or not in the registry.', http: 400, exit: 1 },
  'pki.crl-invalid': { description: 'The CRL cannot be read or is not signed by a trust anchor of the store.', http: 400, exit: 1 },
  'pki.pkcs12-invalid': { description: 'The PKCS#12 file cannot be read: wrong password or no key and certificate in it.', http: 400, exit: 1 },
  'pki.unsupported-key': { description: 'The key type is not supported; use RSA (2048 bits or more) or EC P-256.', http: 400, exit: 1 },
  'pki.exists': { description: 'The target already holds a CA; refusing to overwrite it.', http: 409, exit: 1 },
});

/** Every code of the signing area, for the registry. */
export const signingCodes = { ...signatureCodes, ...pkiCodes };
