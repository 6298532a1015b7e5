import { PROVINCES } from '../provinces';
import { fail, pass, shown, textCheck } from './check';

/** A GB/T 2260 two-digit province code, e.g. `11` Beijing. */
export const checkProvince = textCheck((v) =>
  Object.hasOwn(PROVINCES, v) ? pass(v) : fail('contract.province', `must be a GB/T 2260 province code (11 北京市 … 65 新疆维吾尔自治区), got ${shown(v)}`),
);
