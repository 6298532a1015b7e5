import { GatewayError } from '../../../contracts/errors/gateway-error';
import { DEFAULT_CONSOLE_OPTIONS } from '../../../adapters/http/console';
import { consoleOptionsOf } from '../../../adapters/cli/commands/start';
import { CONSOLE_DEFAULTS, readGatewayConfig, settingsTable } from '../../../gateway/config';
import { DEFAULT_CONTACT_OPTIONS } from '../../../gateway/contacts';

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

// The console's settings (issue 8): the constants of the console's options are the defaults of
// MMGW_CONSOLE_… variables, read and checked at start like every other setting.
describe('console and contact settings', () => {
  it('default to the console\'s documented defaults: on, 8 h sessions, 5 wrong passwords lock for 15 min, 20 failures per address in 15 min, Chinese, 90 days ahead', () => {
    const config = readGatewayConfig({}, '/srv/mmgw');
    expect(config.console).toEqual({
      enabled: true, sessionMinutes: 480, maxFailedSignIns: 5, lockoutMinutes: 15, maxFailedSignInsPerAddress: 20, addressWindowMinutes: 15,
      dueSoonHours: 48, maxUploadBytes: 20 * 1024 * 1024, language: 'zh',
    });
    expect(config.contacts).toEqual({ maxFutureDays: 90 });
    // Written once: the console's defaults are the configuration's.
    expect(DEFAULT_CONSOLE_OPTIONS).toBe(CONSOLE_DEFAULTS);
    expect(config.contacts.maxFutureDays).toBe(DEFAULT_CONTACT_OPTIONS.maxFutureDays);
  });

  it('reads every console setting and hands it to the console', () => {
    const config = readGatewayConfig({
      MMGW_CONSOLE: 'off', MMGW_CONSOLE_SESSION_MINUTES: '60', MMGW_CONSOLE_MAX_FAILED_SIGN_INS: '3', MMGW_CONSOLE_LOCKOUT_MINUTES: '30',
      MMGW_CONSOLE_ADDRESS_MAX_FAILED_SIGN_INS: '7', MMGW_CONSOLE_ADDRESS_WINDOW_MINUTES: '5', MMGW_CONSOLE_DUE_SOON_HOURS: '24',
      MMGW_CONSOLE_MAX_UPLOAD_BYTES: '1048576', MMGW_CONSOLE_LANGUAGE: 'EN', MMGW_CONTACT_MAX_FUTURE_DAYS: '30',
    }, '/srv/mmgw');
    expect(config.console).toEqual({
      enabled: false, sessionMinutes: 60, maxFailedSignIns: 3, lockoutMinutes: 30, maxFailedSignInsPerAddress: 7, addressWindowMinutes: 5,
      dueSoonHours: 24, maxUploadBytes: 1048576, language: 'en',
    });
    expect(config.contacts.maxFutureDays).toBe(30);
    const log = () => undefined;
    expect(consoleOptionsOf(config, log)).toEqual({
      sessionMinutes: 60, maxFailedSignIns: 3, lockoutMinutes: 30, maxFailedSignInsPerAddress: 7, addressWindowMinutes: 5,
      dueSoonHours: 24, maxUploadBytes: 1048576, language: 'en', contacts: { maxFutureDays: 30 }, log,
    });
    for (const on of ['on', 'ON', 'true', 'yes', '1']) expect(readGatewayConfig({ MMGW_CONSOLE: on }).console.enabled).toBe(true);
    for (const off of ['off', 'false', 'no', '0']) expect(readGatewayConfig({ MMGW_CONSOLE: off }).console.enabled).toBe(false);
  });

  it('refuses bad values, each named with its rule, all at once', () => {
    const problems = problemsOf({
      MMGW_CONSOLE: 'maybe', MMGW_CONSOLE_SESSION_MINUTES: '0', MMGW_CONSOLE_MAX_FAILED_SIGN_INS: 'five', MMGW_CONSOLE_LOCKOUT_MINUTES: '-1',
      MMGW_CONSOLE_ADDRESS_MAX_FAILED_SIGN_INS: '0', MMGW_CONSOLE_ADDRESS_WINDOW_MINUTES: '1441', MMGW_CONSOLE_DUE_SOON_HOURS: '1.5',
      MMGW_CONSOLE_MAX_UPLOAD_BYTES: '10', MMGW_CONSOLE_LANGUAGE: 'fr', MMGW_CONTACT_MAX_FUTURE_DAYS: 'ninety',
    });
    expect(problems).toEqual([
      { variable: 'MMGW_CONSOLE', message: 'MMGW_CONSOLE must be on or off, got "maybe"' },
      { variable: 'MMGW_CONSOLE_SESSION_MINUTES', message: 'MMGW_CONSOLE_SESSION_MINUTES must be between 1 and 10080 minutes, got 0' },
      { variable: 'MMGW_CONSOLE_MAX_FAILED_SIGN_INS', message: 'MMGW_CONSOLE_MAX_FAILED_SIGN_INS must be a whole number of attempts, got "five"' },
      { variable: 'MMGW_CONSOLE_LOCKOUT_MINUTES', message: 'MMGW_CONSOLE_LOCKOUT_MINUTES must be a whole number of minutes, got "-1"' },
      { variable: 'MMGW_CONSOLE_ADDRESS_MAX_FAILED_SIGN_INS', message: 'MMGW_CONSOLE_ADDRESS_MAX_FAILED_SIGN_INS must be between 1 and 100000 attempts, got 0' },
      { variable: 'MMGW_CONSOLE_ADDRESS_WINDOW_MINUTES', message: 'MMGW_CONSOLE_ADDRESS_WINDOW_MINUTES must be between 1 and 1440 minutes, got 1441' },
      { variable: 'MMGW_CONSOLE_DUE_SOON_HOURS', message: 'MMGW_CONSOLE_DUE_SOON_HOURS must be a whole number of hours, got "1.5"' },
      { variable: 'MMGW_CONSOLE_MAX_UPLOAD_BYTES', message: 'MMGW_CONSOLE_MAX_UPLOAD_BYTES must be between 1024 and 1073741824 bytes, got 10' },
      { variable: 'MMGW_CONSOLE_LANGUAGE', message: 'MMGW_CONSOLE_LANGUAGE must be zh (Chinese) or en (English), got "fr"' },
      { variable: 'MMGW_CONTACT_MAX_FUTURE_DAYS', message: 'MMGW_CONTACT_MAX_FUTURE_DAYS must be a whole number of days, got "ninety"' },
    ]);
  });

  it('documents each console setting in the settings table with its default', () => {
    const table = settingsTable();
    for (const [v, d] of [['MMGW_CONSOLE', 'on'], ['MMGW_CONSOLE_SESSION_MINUTES', '480'], ['MMGW_CONSOLE_LANGUAGE', 'zh'], ['MMGW_CONTACT_MAX_FUTURE_DAYS', '90'], ['MMGW_CONSOLE_ADDRESS_MAX_FAILED_SIGN_INS', '20']]) {
      expect(table).toContain(`| \`${v}\` | \`${d}\` |`);
    }
  });
});
