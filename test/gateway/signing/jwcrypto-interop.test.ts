import { spawnSync } from 'node:child_process';
import { signJws, type JwsAlgorithm } from '../../../gateway/signing/jws-sign';
import { verifyJws } from '../../../gateway/signing/jws-verify';
import { TrustStore } from '../../../gateway/signing/trust-store';
import { messageJson, testPki, type TestPki } from './fixtures';
import { DEBIAN_PYTHON, toolAvailable } from './interop-tools';

// Done-when of issue 3: JWS made by mmgw verify with python jwcrypto, and JWS made by jwcrypto
// verify with mmgw. Needs Debian's python3-jwcrypto (.ci/setup-signing.sh).
const available = toolAvailable('python3-jwcrypto', [DEBIAN_PYTHON, '-c', 'import jwcrypto']);

/** Verifies a flattened JWS with jwcrypto against the key of x5c[0], checks that certificate was issued by the CA; prints the payload's from. */
const VERIFY_PY = `
import sys, json, base64
from jwcrypto import jws, jwk
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding
data = json.load(sys.stdin)
jws_text, ca_pem, alg = data['jws'], data['ca'].encode(), data['alg']
header = json.loads(base64.urlsafe_b64decode(json.loads(jws_text)['protected'] + '=='))
leaf = x509.load_der_x509_certificate(base64.b64decode(header['x5c'][0]))
ca = x509.load_pem_x509_certificate(ca_pem)
# cryptography 38 (Debian 12) has no verify_directly_issued_by: check name and signature (RSA CA).
assert leaf.issuer == ca.subject
ca.public_key().verify(leaf.signature, leaf.tbs_certificate_bytes, padding.PKCS1v15(), leaf.signature_hash_algorithm)
key = jwk.JWK.from_pem(leaf.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
token = jws.JWS()
token.deserialize(jws_text)
token.verify(key, alg=alg)
print(json.loads(token.payload)['from'])
`;

/** Signs a payload as a flattened JWS with jwcrypto, x5c in the protected header. */
const SIGN_PY = `
import sys, json
from jwcrypto import jws, jwk
data = json.load(sys.stdin)
key = jwk.JWK.from_pem(data['key'].encode())
token = jws.JWS(data['payload'].encode())
token.add_signature(key, alg=data['alg'], protected=json.dumps({'alg': data['alg'], 'x5c': data['x5c']}))
print(token.serialize())
`;

const python = (script: string, input: unknown): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(DEBIAN_PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
};

const CASES: [JwsAlgorithm, 'rsa' | 'ec'][] = [
  ['RS256', 'rsa'],
  ['PS256', 'rsa'],
  ['ES256', 'ec'],
];

(available ? describe : describe.skip)('JWS interop with python jwcrypto', () => {
  let pki: TestPki;
  let trust: TrustStore;
  beforeAll(() => {
    pki = testPki();
    trust = new TrustStore([pki.ca.certificate]);
  });

  it.each(CASES)('jwcrypto verifies what mmgw signs (%s), and refuses it once tampered', async (alg, type) => {
    const jws = await signJws(messageJson(), pki.cred('op-cmcc', type), alg);
    const ok = python(VERIFY_PY, { jws: JSON.stringify(jws), ca: pki.ca.certificate.toString(), alg });
    expect([ok.status, ok.stdout, ok.stderr]).toEqual([0, 'op-cmcc', '']);
    const payload = Buffer.from(Buffer.from(jws.payload, 'base64url').toString().replace('"sampleCount":3', '"sampleCount":4')).toString('base64url');
    const bad = python(VERIFY_PY, { jws: JSON.stringify({ ...jws, payload }), ca: pki.ca.certificate.toString(), alg });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/InvalidJWSSignature|Verification failed/);
  });

  it.each(CASES)('mmgw verifies what jwcrypto signs (%s), and refuses it once tampered', async (alg, type) => {
    const cred = pki.cred('op-cmcc', type);
    const made = python(SIGN_PY, {
      key: cred.privateKey.export({ type: 'pkcs8', format: 'pem' }),
      payload: messageJson(),
      alg,
      x5c: [cred.certificate.raw.toString('base64')],
    });
    expect([made.status, made.stderr]).toEqual([0, '']);
    expect(Object.keys(JSON.parse(made.stdout) as object).sort()).toEqual(['payload', 'protected', 'signature']);
    expect(await verifyJws(made.stdout, { trust })).toEqual(expect.objectContaining({ ok: true, institution: 'op-cmcc', algorithm: alg }));
    const jws = JSON.parse(made.stdout) as Record<string, string>;
    const payload = Buffer.from(Buffer.from(jws.payload!, 'base64url').toString().replace('"sampleCount":3', '"sampleCount":4')).toString('base64url');
    const v = await verifyJws(JSON.stringify({ ...jws, payload }), { trust });
    expect(v.ok ? 'ok' : v.code).toBe(type === 'rsa' ? 'signature.tampered' : 'signature.invalid');
  });
});
