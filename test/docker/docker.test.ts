import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, parseDocument } from 'yaml';
import { readGatewayConfig, SETTING_VARIABLES } from '../../gateway/config';

// Issue 5, item 4: no Docker engine runs on these machines, so this checks what can be checked
// without one: the compose file parses and is wired by the gateway's own variables, the
// Dockerfile is multi-stage, runs as a non-root user and starts the way the README says.
const root = path.join(__dirname, '..', '..');
const composeText = readFileSync(path.join(root, 'docker', 'compose.yaml'), 'utf8');
const dockerfile = readFileSync(path.join(root, 'docker', 'Dockerfile'), 'utf8');

type Service = {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  command?: string[];
};
const compose = parse(composeText, { merge: true }) as { services: Record<string, Service> };

/** Compose interpolation with sample values: `${X:?msg}` → a sample, `${X:-default}` → the default. */
function interpolate(value: string): string {
  return value.replace(/\$\{([A-Z_]+)(?::([?-])([^}]*))?\}/g, (_m, _name: string, op: string | undefined, arg: string) => (op === '-' ? arg : 'sample-Secret1'));
}

/** The Dockerfile instructions of its last stage, continuation lines joined. */
function lastStage(): string[] {
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const from = lines.map((l, i) => (/^FROM /i.test(l) ? i : -1)).filter((i) => i >= 0);
  return lines.slice(from.at(-1));
}

describe('docker/compose.yaml', () => {
  it('parses without errors or warnings', () => {
    const doc = parseDocument(composeText, { merge: true });
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
  });

  it('has the gateway, MySQL 8 and RabbitMQ, each with a health check', () => {
    const { services } = compose;
    expect(services.mysql!.image).toMatch(/^mysql:8(\.|$)/);
    expect(services.rabbitmq!.image).toMatch(/^rabbitmq:/);
    expect(services.gateway!.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
    for (const name of ['gateway', 'mysql', 'rabbitmq']) expect(services[name]!.healthcheck?.test.length).toBeGreaterThan(1);
    expect(services.gateway!.healthcheck!.test.join(' ')).toContain('/readyz');
  });

  it('starts the gateway once the database and the broker are healthy and the schema is migrated', () => {
    const { gateway, migrate } = compose.services;
    expect(gateway!.depends_on).toEqual({
      migrate: { condition: 'service_completed_successfully' },
      mysql: { condition: 'service_healthy' },
      rabbitmq: { condition: 'service_healthy' },
    });
    expect(migrate!.command).toEqual(['npm', 'run', 'migrate']);
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.migrate).toBeDefined();
  });

  it('sets only variables the gateway reads (gateway/config), and they form a valid configuration', () => {
    for (const name of ['gateway', 'migrate']) {
      const env = compose.services[name]!.environment!;
      const unknown = Object.keys(env).filter((k) => !SETTING_VARIABLES.includes(k));
      expect(unknown).toEqual([]);
      const resolved = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(String(v))]));
      const config = readGatewayConfig(resolved, '/app');
      expect(config.database).toMatchObject({ kind: 'mysql', host: 'mysql', database: 'mmgw' });
      expect(config.amqpUrl).toBe('amqp://mmgw:sample-Secret1@rabbitmq:5672/mmgw');
      expect(config.listen).toEqual({ host: '0.0.0.0', port: 8443 });
      expect(config.tls).toBeUndefined();
    }
  });

  it('publishes the port the gateway listens on', () => {
    const ports = (compose.services.gateway as Service & { ports: string[] }).ports;
    expect(ports).toContain('8443:8443');
  });

  it('writes no password: each is a required variable', () => {
    const secrets = [...composeText.matchAll(/^\s*([A-Z_]*(?:PASSWORD|PASS|PASSPHRASE)):\s*(.*)$/gm)].filter((m) => !m[1]!.includes('RANDOM'));
    expect(secrets.length).toBeGreaterThanOrEqual(3);
    for (const m of secrets) expect(m[2]).toMatch(/^\$\{[A-Z_]+:\?/);
    expect(compose.services.mysql!.environment!.MYSQL_PASSWORD).toBe('${MYSQL_PASSWORD:?set MYSQL_PASSWORD}');
    expect(compose.services.rabbitmq!.environment!.RABBITMQ_DEFAULT_PASS).toBe('${RABBITMQ_PASSWORD:?set RABBITMQ_PASSWORD}');
  });
});

describe('docker/Dockerfile', () => {
  it('is multi-stage: a build stage and a runtime stage copying only what runs', () => {
    const froms = dockerfile.split('\n').filter((l) => /^FROM /i.test(l));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    const copies = lastStage().filter((l) => /^COPY /i.test(l));
    expect(copies.every((l) => l.includes('--from=build'))).toBe(true);
    expect(copies.map((l) => l.split(/\s+/).at(-1))).toEqual(expect.arrayContaining(['./dist', './node_modules', './bin']));
  });

  it('runs as a non-root user', () => {
    const users = lastStage().filter((l) => /^USER /i.test(l));
    expect(users).toHaveLength(1);
    const user = users[0]!.split(/\s+/)[1]!;
    expect(['root', '0', '0:0']).not.toContain(user);
    expect(lastStage().findIndex((l) => /^USER /i.test(l))).toBeLessThan(lastStage().findIndex((l) => /^CMD /i.test(l)));
  });

  it('starts with npm start, the start command of the README', () => {
    const cmd = lastStage().find((l) => /^CMD /i.test(l))!;
    expect(JSON.parse(cmd.slice(4))).toEqual(['npm', 'start']);
    expect(readFileSync(path.join(root, 'README.md'), 'utf8')).toContain('npm start');
  });

  it('sets only gateway variables, and has a health check', () => {
    const envs = lastStage().filter((l) => /^ENV /i.test(l)).flatMap((l) => [...l.matchAll(/(MMGW_[A-Z_]+)=/g)].map((m) => m[1]!));
    expect(envs.length).toBeGreaterThan(0);
    expect(envs.filter((v) => !SETTING_VARIABLES.includes(v))).toEqual([]);
    expect(lastStage().some((l) => /^HEALTHCHECK .*\/healthz/i.test(l))).toBe(true);
  });

  it('copies every source folder the build needs', () => {
    const include = (JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as { include: string[] }).include;
    const folders = new Set(include.map((p) => p.split('/')[0]));
    for (const folder of folders) expect(dockerfile).toContain(`COPY ${folder} ./${folder}`);
  });
});
