import { fail, notText, pass, shown, type ScalarCheck } from './check';

/** One of the declared values; the message lists them with their Chinese labels. */
export const checkEnum: ScalarCheck = (v, type) => {
  if (type.kind !== 'enum') throw new Error(`checkEnum called for ${type.kind}`);
  if (typeof v !== 'string') return notText(v);
  if (type.values.includes(v)) return pass(v);
  const choices = type.values.map((c) => (type.labels?.[c] ? `${c} (${type.labels[c]})` : c)).join(', ');
  return fail('contract.enum', `must be one of ${choices}, got ${shown(v)}`);
};
