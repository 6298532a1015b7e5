import { isRealDate } from './calendar';
import { fail, pass, shown, textCheck } from './check';

/** A calendar date `YYYY-MM-DD` that exists. */
export const checkDate = textCheck((v) => {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(v);
  return m && isRealDate(Number(m[1]), Number(m[2]), Number(m[3])) ? pass(v) : fail('contract.date', `must be a real calendar date YYYY-MM-DD, got ${shown(v)}`);
});

/** A month `YYYY-MM`. */
export const checkMonth = textCheck((v) => {
  const m = /^([0-9]{4})-([0-9]{2})$/.exec(v);
  return m && isRealDate(Number(m[1]), Number(m[2]), 1) ? pass(v) : fail('contract.date', `must be a month YYYY-MM, got ${shown(v)}`);
});
