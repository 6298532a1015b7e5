import { PROVINCES } from '../provinces';
import { fail, pass, shown, textCheck } from './check';

/** Whether `v` is an institution code of the mechanism (rules.md, "Parties"); `mmgw` is the gateway itself. */
export function isInstitution(v: string): boolean {
  if (v === 'miit' || v === 'cncert' || v === 'mmgw') return true;
  const ca = /^ca-([0-9]{2})$/.exec(v);
  if (ca) return Object.hasOwn(PROVINCES, ca[1] ?? '');
  return /^(op|dr|rr)-[a-z0-9]{1,32}$/.test(v);
}

/** An institution code: miit, cncert, mmgw, ca-NN (GB/T 2260), op-*, dr-*, rr-*. */
export const checkInstitution = textCheck((v) =>
  isInstitution(v) ? pass(v) : fail('contract.institution', `must be an institution code (miit, cncert, mmgw, ca-NN with a GB/T 2260 province, op-x, dr-x, rr-x in lower-case letters and digits), got ${shown(v)}`),
);
