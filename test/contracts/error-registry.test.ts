import { errorCodes } from '../../contracts/errors/registry';

// style.md "Errors carry a stable code": one registry, namespaced codes, a description each,
// and an outcome for every adapter.
describe('error code registry', () => {
  const entries = Object.entries(errorCodes);

  it('is not empty', () => expect(entries.length).toBeGreaterThan(0));

  it.each(entries)('%s is namespaced, described and has an outcome', (code, info) => {
    expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(info.description.length).toBeGreaterThan(10);
    expect(info.http).toBeGreaterThanOrEqual(400);
    expect(info.http).toBeLessThan(600);
    expect([1, 2, 3]).toContain(info.exit);
  });
});
