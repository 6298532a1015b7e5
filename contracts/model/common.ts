import { arr, domain, email, ip, obj, oneOf, opt, pattern, phone, port, province, req, text } from './builders';
import type { Field } from './field-types';

/** `Server` = `{ ip, domain?, port? }`: "IP地址及其使用的域名、端口" (Annexes 3–5). */
export const server = obj({
  ip: req(ip, ['IP地址', 'IP address']),
  domain: opt(domain, ['使用的域名', 'domain name used']),
  port: opt(port, ['端口', 'port']),
});

/** A list of servers, each `<server>` in XML. */
export const servers = arr(server, 'server');

/** Event level of Art. 8. */
export const eventLevel = oneOf(['I', 'II', 'III', 'IV'], { I: '特别重大', II: '重大', III: '较大', IV: '一般' });

/** Harm level of a sample (危害等级, Annexes 1–2); not the event level of Art. 8. */
export const harmLevel = oneOf(['high', 'medium', 'low'], { high: '高', medium: '中', low: '低' });

/** CNCERT's task number (任务编号, Annex 4), which ties every later message of a case together. */
export const taskNumber = pattern('^[A-Za-z0-9][A-Za-z0-9_./-]{0,63}$', 'letters, digits and _ . / - (at most 64), starting with a letter or digit');

/** A person named on a form: name, phone, e-mail. */
export const person = obj({
  name: req(text(50), ['姓名', 'name']),
  phone: opt(phone, ['联系电话', 'phone']),
  mobile: opt(phone, ['手机', 'mobile']),
  email: opt(email, ['E-Mail', 'e-mail']),
});

/** A bounded list of servers, for forms that list them (at most 1,000 per box). */
export const serverList = arr(server, 'server', { maxItems: 1000 });

/** The provinces (GB/T 2260) an event or sample touches; each names its relevant ca-NN (rules.md, "Parties"). */
export const provinceList = arr(province, 'province', { minItems: 1, maxItems: 34 });

/** The filer boxes of Annexes 3–5: 填报人, 联系电话, E-Mail. */
export function filerFields(): Record<string, Field> {
  return {
    reporter: req(text(50), ['填报人', 'filed by']),
    phone: req(phone, ['联系电话', 'phone']),
    email: req(email, ['E-Mail', 'e-mail']),
  };
}
