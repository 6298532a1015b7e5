import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { forms } from '../../../contracts/forms';
import { routingTable } from '../../../contracts/routing';
import { formsOverview } from '../../../contracts/routing/forms-overview';

// The README's list of forms is derived from the declarations and the routing table; this test
// keeps it true. On failure, paste the expected table from the diff between the markers.
describe('README forms section', () => {
  it('is the table derived from the declarations', () => {
    const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
    const section = /<!-- forms:begin -->\n([\s\S]*?)\n<!-- forms:end -->/.exec(readme)?.[1];
    const expected = formsOverview(forms, routingTable);
    expect(section).toBe(expected);
  });
});
