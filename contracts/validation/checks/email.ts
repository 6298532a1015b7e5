import { normaliseDomain } from './domain';
import { fail, pass, shown, textCheck } from './check';

const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** An e-mail address `local@domain`; the domain is normalised like a domain name. */
export const checkEmail = textCheck((v) => {
  const at = v.lastIndexOf('@');
  const local = v.slice(0, at);
  const domain = at > 0 ? normaliseDomain(v.slice(at + 1)) : undefined;
  if (at <= 0 || local.length > 64 || !LOCAL.test(local) || domain === undefined || v.length > 254) {
    return fail('contract.email', `must be an e-mail address such as zhang.wei@example.cn, got ${shown(v)}`);
  }
  return pass(`${local}@${domain}`);
});
