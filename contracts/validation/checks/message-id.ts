import { fail, pass, shown, textCheck } from './check';

/** A message id: 8–128 of `[A-Za-z0-9._:-]`, starting with a letter or digit. */
export const checkMessageId = textCheck((v) =>
  /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/.test(v) ? pass(v) : fail('contract.message-id', `must be 8–128 of A–Z a–z 0–9 . _ : -, starting with a letter or digit, got ${shown(v)}`),
);
