import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { describeConfig, readGatewayConfig, settingsTable, SETTINGS, SETTING_VARIABLES } from '../../../gateway/config';
import { createDevCa } from '../../../gateway/signing/dev-pki';

const NOW = new Date('2026-11-28T00:00:00Z');

function problemsOf(env: NodeJS.ProcessEnv): { variable: string; message: string }[] {
  try {
    readGatewayConfig(env, '/srv/mmgw');
  } catch (e) {
    expect(e).toBeInstanceOf(GatewayError);
    expect((e as GatewayError).code).toBe('config.invalid');
    return (e as GatewayError).facts.problems as { variable: string; message: string }[];
  }
  throw new Error('expected config.invalid');
}

describe('readGatewayConfig', () => {
  let dir: string;
  let caFile: string;
  let keyFile: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'mmgw-config-'));
    const ca = createDevCa({ now: NOW, keyType: 'ec' });
    caFile = path.join(dir, 'ca.pem');
    keyFile = path.join(dir, 'key.pem');
    writeFileSync(caFile, ca.certificate.toString());
    writeFileSync(keyFile, ca.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the documented defaults with an empty environment', () => {
    const config = readGatewayConfig({}, '/srv/mmgw');
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8443 });
    expect(config.dataDir).toBe('/srv/mmgw/data');
    expect(config.database).toEqual({ kind: 'sqlite', path: '/srv/mmgw/data/mmgw.sqlite' });
    expect(config.amqpUrl).toBeUndefined();
    expect(config.tls).toBeUndefined();
    expect(config.trustStoreFiles).toBeUndefined();
    expect(config.limits).toEqual({
      maxBodyBytes: 5242880, maxSampleBytes: 104857600, rateLimitPerMinute: 600, rateLimitBurst: 60,
      requestTimeoutMs: 60000, mailboxMaxWaitSeconds: 30, shutdownGraceMs: 10000,
    });
  });

  it('reads production settings', () => {
    const config = readGatewayConfig({
      MMGW_DATABASE_URL: 'mysql://mmgw:s3cret@db:3306/mmgw',
      MMGW_AMQP_URL: 'amqp://mmgw:s3cret@rabbitmq:5672/mmgw',
      MMGW_LISTEN: '[::]:9443',
      MMGW_TLS_CERT: caFile,
      MMGW_TLS_KEY: keyFile,
      MMGW_TRUST_STORE: `${caFile},${caFile}`,
      MMGW_DATA_DIR: '/var/lib/mmgw',
      MMGW_KEY_PASSPHRASE: 'pass',
      MMGW_RATE_LIMIT_PER_MINUTE: '120',
    }, '/srv');
    expect(config.database).toMatchObject({ kind: 'mysql', database: 'mmgw', host: 'db' });
    expect(config.amqpUrl).toBe('amqp://mmgw:s3cret@rabbitmq:5672/mmgw');
    expect(config.listen).toEqual({ host: '::', port: 9443 });
    expect(config.tls).toEqual({ certFile: caFile, keyFile });
    expect(config.trustStoreFiles).toEqual([caFile, caFile]);
    expect(config.dataDir).toBe('/var/lib/mmgw');
    expect(config.keyPassphrase).toBe('pass');
    expect(config.limits.rateLimitPerMinute).toBe(120);
  });

  it('reads :PORT as every interface', () => {
    expect(readGatewayConfig({ MMGW_LISTEN: ':8443' }).listen).toEqual({ host: '0.0.0.0', port: 8443 });
  });

  it('reports every problem at once, each naming its variable, never echoing a password', () => {
    const problems = problemsOf({
      MMGW_DATABASE_URL: 'postgres://u:hunter2@db/mmgw',
      MMGW_AMQP_URL: 'http://u:hunter2@mq',
      MMGW_LISTEN: '8443',
      MMGW_TLS_CERT: path.join(dir, 'missing.pem'),
      MMGW_TRUST_STORE: keyFile,
      MMGW_MAX_BODY_BYTES: '1MB',
      MMGW_RATE_LIMIT_BURST: '0',
    });
    expect(problems.map((p) => p.variable)).toEqual([
      'MMGW_DATABASE_URL', 'MMGW_AMQP_URL', 'MMGW_LISTEN', 'MMGW_TLS_CERT', 'MMGW_TRUST_STORE', 'MMGW_MAX_BODY_BYTES', 'MMGW_RATE_LIMIT_BURST',
    ]);
    for (const p of problems) {
      expect(p.message.startsWith(`${p.variable} `)).toBe(true);
      expect(p.message).not.toContain('hunter2');
    }
    expect(problems[0]!.message).toContain('unsupported scheme "postgres:"');
    expect(problems[2]!.message).toContain('HOST:PORT');
    expect(problems[3]!.message).toContain('ENOENT');
    expect(problems[4]!.message).toContain('no readable PEM certificate');
    expect(problems[5]!.message).toContain('whole number of bytes');
    expect(problems[6]!.message).toContain('between 1 and');
  });

  it('lists the problems in the error message, one line each', () => {
    expect(() => readGatewayConfig({ MMGW_LISTEN: 'x', MMGW_REQUEST_TIMEOUT_MS: 'soon' })).toThrow(
      /2 problems:\n {2}- MMGW_LISTEN must be HOST:PORT.*\n {2}- MMGW_REQUEST_TIMEOUT_MS must be a whole number of milliseconds/,
    );
  });

  it('requires the TLS certificate and key together', () => {
    expect(problemsOf({ MMGW_TLS_CERT: caFile })).toEqual([{ variable: 'MMGW_TLS_KEY', message: expect.stringContaining('together with MMGW_TLS_CERT') }]);
    expect(problemsOf({ MMGW_TLS_KEY: keyFile })).toEqual([{ variable: 'MMGW_TLS_CERT', message: expect.stringContaining('together with MMGW_TLS_KEY') }]);
  });

  it('refuses a key file that is not a PEM private key', () => {
    expect(problemsOf({ MMGW_TLS_CERT: caFile, MMGW_TLS_KEY: caFile })[0]!.message).toContain('no PEM private key');
  });

  it('refuses a long-poll wait that the request time-out would cut', () => {
    expect(problemsOf({ MMGW_MAILBOX_MAX_WAIT_SECONDS: '60', MMGW_REQUEST_TIMEOUT_MS: '60000' })[0]!.variable).toBe('MMGW_MAILBOX_MAX_WAIT_SECONDS');
    expect(readGatewayConfig({ MMGW_MAILBOX_MAX_WAIT_SECONDS: '59', MMGW_REQUEST_TIMEOUT_MS: '60000' }).limits.mailboxMaxWaitSeconds).toBe(59);
  });

  it('treats an empty variable as unset', () => {
    expect(readGatewayConfig({ MMGW_LISTEN: '  ', MMGW_DATABASE_URL: '' }, '/x').listen.port).toBe(8443);
  });

  it('documents every setting, and describeConfig hides secrets', () => {
    for (const s of Object.values(SETTINGS)) expect(s.description.length).toBeGreaterThan(20);
    expect(new Set(SETTING_VARIABLES).size).toBe(SETTING_VARIABLES.length);
    const lines = describeConfig({ MMGW_DATABASE_URL: 'mysql://u:hunter2@db/mmgw', MMGW_LISTEN: ':1' });
    expect(lines).toContain('MMGW_DATABASE_URL=(set)');
    expect(lines).toContain('MMGW_LISTEN=:1');
    expect(lines).toContain('MMGW_DATA_DIR=./data (default)');
    expect(lines.join('\n')).not.toContain('hunter2');
  });
});

describe('README', () => {
  it('documents every setting with its default, as settingsTable gives them', () => {
    const readme = readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(settingsTable());
  });
});
