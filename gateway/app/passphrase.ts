import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayError } from '../../contracts/errors/gateway-error';

/** The file of a data directory's dev PKI holding its generated passphrase (mode 0600). */
export const PASSPHRASE_FILE = '.passphrase';

/** Where the passphrase protecting the dev PKI's keys came from. */
export type PassphraseSource = 'environment' | 'file' | 'generated';

/** The passphrase of the dev PKI in `pkiDir` and where it came from. */
export interface DevPassphrase {
  readonly passphrase: string;
  readonly source: PassphraseSource;
  /** The `.passphrase` file, when the passphrase lives there. */
  readonly file?: string;
}

/**
 * The passphrase protecting the keys of the dev PKI in `pkiDir`: `configured`
 * (MMGW_KEY_PASSPHRASE) when set; otherwise the one in `<pkiDir>/.passphrase`; otherwise
 * (only when `create`) a fresh random one written there with mode 0600.
 */
export function devPassphrase(pkiDir: string, configured: string | undefined, create: boolean): DevPassphrase {
  if (configured !== undefined && configured !== '') return { passphrase: configured, source: 'environment' };
  const file = join(pkiDir, PASSPHRASE_FILE);
  if (existsSync(file)) {
    const passphrase = readFileSync(file, 'utf8').trim();
    if (passphrase === '') throw new GatewayError('config.invalid', `${file} is empty; delete the dev PKI directory ${pkiDir} or set MMGW_KEY_PASSPHRASE`, { problems: [{ variable: 'MMGW_KEY_PASSPHRASE', message: `${file} is empty` }] });
    return { passphrase, source: 'file', file };
  }
  if (!create) {
    throw new GatewayError('usage.file-unreadable', `no passphrase for the dev PKI in ${pkiDir}: set MMGW_KEY_PASSPHRASE or start the gateway once (it writes ${file})`, { path: file });
  }
  mkdirSync(pkiDir, { recursive: true, mode: 0o700 });
  const passphrase = randomBytes(24).toString('base64url');
  writeFileSync(file, `${passphrase}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { passphrase, source: 'generated', file };
}
