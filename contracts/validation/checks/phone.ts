import { fail, pass, shown, textCheck } from './check';
import { PHONE_PATTERN } from '../../schema/patterns';

const PHONE = new RegExp(`^(${PHONE_PATTERN})$`, 'u');

/** A telephone or mobile number: digits with an optional `+`, area code in brackets, spaces, hyphens and an extension. */
export const checkPhone = textCheck((v) => {
  const digits = v.replace(/[^0-9]/g, '').length;
  return PHONE.test(v) && digits >= 5 && digits <= 24 && v.length <= 40
    ? pass(v)
    : fail('contract.phone', `must be a telephone number such as 010-6620 5555, +86 138 0013 8000 or 010-66205555 转 123, got ${shown(v)}`);
});
