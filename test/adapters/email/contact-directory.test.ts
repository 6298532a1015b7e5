import { contactDirectoryFor } from '../../../adapters/email';
import { ContactPersonEntity, type ContactPersonRow } from '../../../gateway/contacts/entities';
import { InstitutionEntity } from '../../../gateway/store';
import { openWorld, sqliteUrls, type World } from '../../gateway/intake/world';

const urls = sqliteUrls();
let w: World;
const person = (institutionCode: string, role: ContactPersonRow['role'], position: number, email: string | null): ContactPersonRow =>
  ({ institutionCode, role, position, name: '王五', phone: null, mobile: null, email });

beforeAll(async () => {
  w = await openWorld(urls() ?? '');
  await w.ds.getRepository(ContactPersonEntity).save([
    person('op-cmcc', 'leader', 0, 'Boss@ChinaMobile.example.cn'),
    person('op-cmcc', 'contact', 0, 'security@chinamobile.example.cn'),
    person('op-cmcc', 'contact', 1, 'shared@example.cn'),
    person('ca-11', 'contact', 0, 'shared@example.cn'),
    person('ca-44', 'contact', 0, null),
  ]);
  await w.ds.getRepository(InstitutionEntity).update({ code: 'ca-11' }, { channels: [{ kind: 'mailbox' }, { kind: 'email', endpoint: 'Duty@CA11.example.cn' }] });
});
afterAll(async () => { await w.ds.destroy(); });

describe('contactDirectoryFor', () => {
  it('finds the institution of a registered contact address, whatever its case', async () => {
    const dir = contactDirectoryFor(w.ds);
    expect(await dir.institutionOfContact('SECURITY@chinamobile.example.cn')).toBe('op-cmcc');
    expect(await dir.institutionOfContact('boss@chinamobile.example.cn')).toBe('op-cmcc');
  });

  it('names no institution for an unknown address, an empty one, or one registered by two institutions', async () => {
    const dir = contactDirectoryFor(w.ds);
    expect(await dir.institutionOfContact('stranger@example.com')).toBeUndefined();
    expect(await dir.institutionOfContact('  ')).toBeUndefined();
    expect(await dir.institutionOfContact('shared@example.cn')).toBeUndefined();
  });

  it('gives the registered address: the e-mail channel first, else the first contact person, else none', async () => {
    const dir = contactDirectoryFor(w.ds);
    expect(await dir.registeredAddressOf('ca-11')).toBe('duty@ca11.example.cn');
    expect(await dir.registeredAddressOf('op-cmcc')).toBe('security@chinamobile.example.cn');
    expect(await dir.registeredAddressOf('ca-44')).toBeUndefined();
    expect(await dir.registeredAddressOf('no-such')).toBeUndefined();
  });
});
