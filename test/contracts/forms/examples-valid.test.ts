import { forms } from '../../../contracts/forms';
import { validate } from '../../../contracts/validation';

// Every example must pass the validator derived from the declarations, and already be in the
// normal form the validator produces (lower-case MD5, punycode domains …), so that what the
// documentation shows is exactly what the gateway stores.
describe.each(forms.map((f) => [f.name, f] as const))('%s example', (_name, form) => {
  const result = validate(form.example);

  it('is valid', () => {
    expect(result.errors).toEqual([]);
  });

  it('is already normalised', () => {
    expect(JSON.parse(JSON.stringify(result.value))).toEqual(JSON.parse(JSON.stringify(form.example)));
  });
});
