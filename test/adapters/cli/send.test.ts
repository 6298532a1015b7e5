import * as fs from 'node:fs';
import * as path from 'node:path';
import { freshMessageId } from '../../../adapters/cli/commands/send';
import { runCli } from '../../support/capture-io';
import { acceptedId, openGatewayWorld, type GatewayWorld } from './gateway-world';

jest.setTimeout(60_000);

const EXAMPLE = path.resolve(__dirname, '..', '..', '..', 'contracts', 'examples', 'incident-report.json');
const EXAMPLE_XML = path.resolve(__dirname, '..', '..', '..', 'contracts', 'examples', 'incident-report.xml');

describe('mmgw send', () => {
  let w: GatewayWorld;
  beforeAll(async () => { w = await openGatewayWorld(); });
  afterAll(async () => w.close());

  it('fresh ids are <from>-<Beijing date>-<8 hex>, a valid message id', () => {
    expect(freshMessageId('op-cmcc', new Date('2026-11-28T16:30:00Z'))).toMatch(/^op-cmcc-20261129-[0-9a-f]{8}$/);
    expect(freshMessageId('op-cmcc', new Date('2026-11-28T15:59:59Z'))).toMatch(/^op-cmcc-20261128-/);
  });

  it('sends an example again and again, each time a new message (JSON and XML), and prints the receipt\'s essentials', async () => {
    const a = await w.cli('send', EXAMPLE, '--as', 'op-cmcc');
    const b = await w.cli('send', EXAMPLE, '--as', 'op-cmcc');
    const x = await w.cli('send', EXAMPLE_XML, '--as', 'op-cmcc');
    for (const r of [a, b, x]) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^receipt: accepted at \S+, sha256 [0-9a-f]{64}$/m);
      expect(r.stdout).toMatch(/^recipients: miit, ca-11, ca-44, cncert$/m);
    }
    expect(new Set([acceptedId(a.stdout), acceptedId(b.stdout), acceptedId(x.stdout)]).size).toBe(3);
  });

  it('--no-new-id keeps the id and sentAt written in the file: the example\'s sentAt is before the dev certificates; a file of now is accepted once, a second signing of it (other bytes) refused', async () => {
    const old = await w.cli('send', EXAMPLE, '--as', 'op-cmcc', '--no-new-id');
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/^refused: HTTP 400 signature\.not-yet-valid: /m);
    const doc = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8')) as Record<string, unknown>;
    const file = path.join(w.dir, 'kept-id.json');
    fs.writeFileSync(file, JSON.stringify({ ...doc, id: 'op-cmcc-20261129-kept0001', sentAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }));
    const first = await w.cli('send', file, '--as', 'op-cmcc', '--no-new-id');
    expect(first.stderr).toBe('');
    expect(acceptedId(first.stdout)).toBe('op-cmcc-20261129-kept0001');
    const second = await w.cli('send', file, '--as', 'op-cmcc', '--no-new-id');
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(/^refused: HTTP 4\d\d \S+/m);
  });

  it('a sample that does not match the form is refused after the report was accepted, exit 1', async () => {
    const junk = path.join(w.dir, 'junk.bin');
    fs.writeFileSync(junk, 'junk');
    const r = await w.cli('send', path.resolve(EXAMPLE, '..', 'sample-report.json'), '--as', 'op-cmcc', '--sample', junk);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^accepted /m);
    expect(r.stderr).toMatch(/^refused: HTTP \d+ http\.sample-undeclared/m);
  });

  it('usage: no identity, an unknown institution, an unreadable file exit 2; an unreachable gateway exits 3', async () => {
    const none = await w.cli('send', EXAMPLE);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--as CODE .*\[client\.no-credential\]/);
    const unknown = await w.cli('send', EXAMPLE, '--as', 'op-nobody');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no dev credential for op-nobody .*\[client\.no-credential\]/);
    const missing = await w.cli('send', path.join(w.dir, 'nope.json'), '--as', 'op-cmcc');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('[usage.file-unreadable]');
    const down = await runCli('send', EXAMPLE, '--as', 'op-cmcc', '--data-dir', w.dataDir, '--gateway', 'https://127.0.0.1:1');
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(/cannot reach the gateway at https:\/\/127\.0\.0\.1:1: ECONNREFUSED.*is the gateway running.*\[client\.unreachable\]/);
    const plain = await runCli('send', EXAMPLE, '--as', 'op-cmcc', '--data-dir', w.dataDir, '--gateway', 'http://127.0.0.1:8443');
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('must be an https:// URL');
  });

  it('--key/--cert instead of --as', async () => {
    const pki = path.join(w.dataDir, 'pki', 'institutions');
    process.env.MMGW_KEY_PASSPHRASE = fs.readFileSync(path.join(w.dataDir, 'pki', '.passphrase'), 'utf8').trim();
    try {
      const r = await runCli('send', EXAMPLE, '--key', path.join(pki, 'op-cmcc.key.pem'), '--cert', path.join(pki, 'op-cmcc.cert.pem'), '--ca', path.join(w.dataDir, 'pki', 'ca.cert.pem'), '--gateway', w.server.url);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    } finally {
      delete process.env.MMGW_KEY_PASSPHRASE;
    }
  });
});
