import { fail, pass, shown, textCheck } from './check';

/** Undoes the usual defangs: `hxxp://`, `hxxps://`, `[.]`, `[:]`, `[://]`. */
export function refangUrl(v: string): string {
  return v
    .replace(/^hxxp(s?)(\[:\]|:)\/\//i, (_w, s: string) => `http${s.toLowerCase()}://`)
    .replace(/\[:\/\/\]/g, '://')
    .replace(/\[\.\]/g, '.')
    .replace(/\[:\]/g, ':');
}

/** An http(s) URL with a host; defanged forms accepted and normalised (WHATWG URL serialisation, host in punycode). */
export const checkUrl = textCheck((v) => {
  const rule = `must be an http or https URL (defanged hxxp://, [.] and [:] accepted), got ${shown(v)}`;
  if (/\s/.test(v)) return fail('contract.url', rule);
  let url: URL;
  try {
    url = new URL(refangUrl(v));
  } catch {
    return fail('contract.url', rule);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return fail('contract.url', rule);
  return pass(url.href);
});
