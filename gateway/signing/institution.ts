/**
 * Institution codes as certificates bind them. mmgw's convention: the certificate subject's
 * common name (CN) IS the institution code, e.g. `CN=op-cmcc, O=…, C=CN`; nothing else in the
 * subject is read.
 */

/** GB/T 2260 codes of the 31 provincial-level divisions (one Communications Administration each). */
export const PROVINCE_CODES = [
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41',
  '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65',
] as const;

const CODE = new RegExp(`^(miit|cncert|ca-(${PROVINCE_CODES.join('|')})|(op|dr|rr)-[a-z0-9][a-z0-9-]{0,30})$`);

/** True when `code` is a well-formed institution code: `miit`, `cncert`, `ca-NN`, `op-*`, `dr-*`, `rr-*`. */
export function isInstitutionCode(code: string): boolean {
  return CODE.test(code);
}

/** The demo registry `mmgw pki init` issues credentials for. */
export const DEMO_INSTITUTIONS: readonly string[] = [
  'miit',
  'cncert',
  ...PROVINCE_CODES.map((n) => `ca-${n}`),
  'op-cmcc',
  'op-cucc',
  'op-ctcc',
  'op-cbn',
  'dr-cnnic',
  'rr-demo',
];
