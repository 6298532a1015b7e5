import * as path from 'node:path';
import { GatewayError } from '../../contracts/errors/gateway-error';
import type { DatabaseTarget } from '../store/database-url';
import { SETTINGS, type ListenAddress, type Setting } from './settings';
import type { ImapTarget, SmtpTarget } from './mail-settings';
import type { ConsoleSettings, ContactSettings } from './console-settings';

/** The gateway's settings, read and checked once at start. */
export interface GatewayConfig {
  readonly database: DatabaseTarget;
  /** The RabbitMQ URL, or undefined for the embedded bus. */
  readonly amqpUrl?: string;
  readonly listen: ListenAddress;
  /** The server certificate and key files, or undefined when the dev PKI issues them. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** CA PEM files trusted for client certificates and signatures, or undefined for the dev CA. */
  readonly trustStoreFiles?: readonly string[];
  /** Absolute path of the data directory. */
  readonly dataDir: string;
  readonly keyPassphrase?: string;
  readonly calendarDir?: string;
  readonly limits: HttpLimits;
  /** The e-mail channel (MMGW_SMTP_URL, MMGW_IMAP_URL, MMGW_MAIL_FROM); undefined when it is off. */
  readonly email?: EmailConfig;
  /** The administrators' console (MMGW_CONSOLE…). */
  readonly console: ConsoleSettings;
  /** The contact registry (MMGW_CONTACT_…), for the console and intake alike. */
  readonly contacts: ContactSettings;
}

/** The e-mail channel's settings: SMTP always, the IMAP intake mailbox when configured. */
export interface EmailConfig {
  readonly smtp: SmtpTarget;
  readonly imap?: ImapTarget;
  /** The gateway's address (From:, envelope sender). */
  readonly from: string;
  /** The deadline-aware fall-back's share of an obligation's time, in percent. */
  readonly deadlineSharePercent: number;
}

/** The limits of the HTTPS interface. */
export interface HttpLimits {
  readonly maxBodyBytes: number;
  readonly maxSampleBytes: number;
  readonly rateLimitPerMinute: number;
  readonly rateLimitBurst: number;
  readonly requestTimeoutMs: number;
  readonly mailboxMaxWaitSeconds: number;
  readonly shutdownGraceMs: number;
}

/** One thing wrong with the configuration. */
export interface ConfigProblem {
  readonly variable: string;
  readonly message: string;
}

type Values = { -readonly [K in keyof typeof SETTINGS]?: ReturnType<(typeof SETTINGS)[K]['parse']> };

/**
 * Reads every MMGW_* setting from `env` (default `process.env`), applies the documented
 * defaults (gateway/config/settings.ts) and checks each value and the rules between them.
 * Throws one `config.invalid` GatewayError listing every problem (`facts.problems`), each
 * naming its variable; secrets are never echoed. `cwd` resolves relative paths.
 */
export function readGatewayConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): GatewayConfig {
  const problems: ConfigProblem[] = [];
  const values: Values = {};
  for (const [key, setting] of Object.entries(SETTINGS) as [keyof typeof SETTINGS, Setting<unknown>][]) {
    const raw = env[setting.variable]?.trim();
    const text = raw === undefined || raw === '' ? setting.defaultText : raw;
    if (text === undefined) continue;
    try {
      (values as Record<string, unknown>)[key] = setting.parse(text);
    } catch (e) {
      problems.push({ variable: setting.variable, message: `${setting.variable} ${(e as Error).message}` });
    }
  }
  const has = (k: keyof typeof SETTINGS) => values[k] !== undefined;
  if (has('tlsCert') !== has('tlsKey') && !problems.some((p) => p.variable === SETTINGS.tlsCert.variable || p.variable === SETTINGS.tlsKey.variable)) {
    const [set, unset] = has('tlsCert') ? [SETTINGS.tlsCert, SETTINGS.tlsKey] : [SETTINGS.tlsKey, SETTINGS.tlsCert];
    problems.push({ variable: unset.variable, message: `${unset.variable} must be set together with ${set.variable} (the server certificate and its key)` });
  }
  if (values.mailboxMaxWaitSeconds !== undefined && values.requestTimeoutMs !== undefined && values.mailboxMaxWaitSeconds * 1000 >= values.requestTimeoutMs) {
    problems.push({
      variable: SETTINGS.mailboxMaxWaitSeconds.variable,
      message: `${SETTINGS.mailboxMaxWaitSeconds.variable} (${values.mailboxMaxWaitSeconds} s) must be below ${SETTINGS.requestTimeoutMs.variable} (${values.requestTimeoutMs} ms), or long polls would time out`,
    });
  }
  if (has('imapUrl') && !has('smtpUrl') && !problems.some((p) => p.variable === SETTINGS.smtpUrl.variable)) {
    problems.push({ variable: SETTINGS.smtpUrl.variable, message: `${SETTINGS.smtpUrl.variable} must be set together with ${SETTINGS.imapUrl.variable}: every mail read is answered by mail` });
  }
  const mailFrom = values.mailFrom ?? (values.imapUrl?.user.includes('@') ? values.imapUrl.user : undefined);
  if (has('smtpUrl') && mailFrom === undefined && !problems.some((p) => p.variable === SETTINGS.mailFrom.variable)) {
    problems.push({ variable: SETTINGS.mailFrom.variable, message: `${SETTINGS.mailFrom.variable} must be set with ${SETTINGS.smtpUrl.variable} (the gateway's address), unless the ${SETTINGS.imapUrl.variable} user is an address` });
  }
  if (problems.length > 0) {
    const lines = problems.map((p) => `  - ${p.message}`).join('\n');
    throw new GatewayError('config.invalid', `the gateway configuration has ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n${lines}`, { problems });
  }
  const dataDir = path.resolve(cwd, values.dataDir!);
  const database: DatabaseTarget = values.databaseUrl ?? { kind: 'sqlite', path: path.join(dataDir, 'mmgw.sqlite') };
  return {
    database,
    ...(values.amqpUrl !== undefined && { amqpUrl: values.amqpUrl }),
    listen: values.listen!,
    ...(values.tlsCert !== undefined && values.tlsKey !== undefined && { tls: { certFile: values.tlsCert, keyFile: values.tlsKey } }),
    ...(values.trustStore !== undefined && { trustStoreFiles: values.trustStore }),
    dataDir,
    ...(values.keyPassphrase !== undefined && { keyPassphrase: values.keyPassphrase }),
    ...(values.calendarDir !== undefined && { calendarDir: values.calendarDir }),
    ...(values.smtpUrl !== undefined && mailFrom !== undefined && {
      email: { smtp: values.smtpUrl, ...(values.imapUrl !== undefined && { imap: values.imapUrl }), from: mailFrom, deadlineSharePercent: values.deadlineSharePercent! },
    }),
    console: {
      enabled: values.console!,
      sessionMinutes: values.consoleSessionMinutes!,
      maxFailedSignIns: values.consoleMaxFailedSignIns!,
      lockoutMinutes: values.consoleLockoutMinutes!,
      maxFailedSignInsPerAddress: values.consoleAddressMaxFailedSignIns!,
      addressWindowMinutes: values.consoleAddressWindowMinutes!,
      dueSoonHours: values.consoleDueSoonHours!,
      maxUploadBytes: values.consoleMaxUploadBytes!,
      language: values.consoleLanguage!,
    },
    contacts: { maxFutureDays: values.contactMaxFutureDays! },
    limits: {
      maxBodyBytes: values.maxBodyBytes!,
      maxSampleBytes: values.maxSampleBytes!,
      rateLimitPerMinute: values.rateLimitPerMinute!,
      rateLimitBurst: values.rateLimitBurst!,
      requestTimeoutMs: values.requestTimeoutMs!,
      mailboxMaxWaitSeconds: values.mailboxMaxWaitSeconds!,
      shutdownGraceMs: values.shutdownGraceMs!,
    },
  };
}

/** The settings as `VARIABLE=value` lines for a start-up log, secrets shown as `(set)`. */
export function describeConfig(env: NodeJS.ProcessEnv = process.env): string[] {
  return Object.values(SETTINGS).map((s: Setting<unknown>) => {
    const raw = env[s.variable]?.trim();
    if (raw === undefined || raw === '') return `${s.variable}=${s.defaultText ?? ''} (default)`;
    return `${s.variable}=${s.secret ? '(set)' : raw}`;
  });
}
