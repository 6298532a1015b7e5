import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { devPassphrase } from '../../../gateway/app/passphrase';
import { certificateFacts } from '../../../gateway/signing/certificates';
import { credentialFromPem, type Credential } from '../../../gateway/signing/credential';
import { PASSPHRASE_ENV } from '../../../gateway/signing/keys';
import { PKI_FILES } from '../../../gateway/signing/pki-directory';

/** How a client command chooses who it is and which gateway it talks to. */
export interface ClientOptions {
  /** Act as this institution with its dev credential from `<dataDir>/pki`. */
  readonly as?: string;
  /** A PEM key and certificate instead of a dev credential (the key's passphrase: MMGW_KEY_PASSPHRASE). */
  readonly key?: string;
  readonly cert?: string;
  /** CA PEM file the gateway's server certificate must chain to. @defaultValue the dev CA of `<dataDir>/pki` */
  readonly ca?: string;
  readonly gateway?: string;
  readonly dataDir?: string;
}

/** Who the client is: the credential it signs with and presents in TLS, and the CAs it trusts for the server. */
export interface ClientIdentity {
  /** The institution code (the certificate's CN). */
  readonly code: string;
  readonly credential: Credential;
  /** The key and certificate PEM for TLS, the key's passphrase. */
  readonly keyPem: string;
  readonly certPem: string;
  readonly passphrase?: string;
  /** CA certificates trusted for the gateway's server certificate. */
  readonly ca: readonly string[];
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new GatewayError('usage.file-unreadable', `cannot read ${what} ${file} (${(e as NodeJS.ErrnoException).code ?? String(e)})`, { path: file });
  }
}

/** The data directory of the client: --data-dir, else MMGW_DATA_DIR, else ./data (as the gateway reads it). */
export function clientDataDir(o: ClientOptions, env: NodeJS.ProcessEnv, cwd: string): string {
  return resolve(cwd, o.dataDir ?? (env.MMGW_DATA_DIR?.trim() || './data'));
}

/**
 * The client's identity: `--as CODE` reads `<dataDir>/pki/institutions/CODE.{key,cert}.pem`
 * with the dev passphrase (MMGW_KEY_PASSPHRASE or `<dataDir>/pki/.passphrase`); `--key` with
 * `--cert` read those files (passphrase MMGW_KEY_PASSPHRASE). The server is trusted by `--ca`,
 * else the dev CA of the data directory.
 */
export function clientIdentity(o: ClientOptions, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ClientIdentity {
  const pkiDir = join(clientDataDir(o, env, cwd), 'pki');
  let keyFile: string;
  let certFile: string;
  let passphrase: string | undefined;
  if (o.key !== undefined || o.cert !== undefined) {
    if (o.key === undefined || o.cert === undefined) throw new GatewayError('client.no-credential', 'give --key and --cert together (the private key and its certificate, PEM)');
    keyFile = resolve(cwd, o.key);
    certFile = resolve(cwd, o.cert);
    passphrase = env[PASSPHRASE_ENV]?.trim() || undefined;
  } else if (o.as !== undefined) {
    keyFile = join(pkiDir, PKI_FILES.institutionKey(o.as));
    certFile = join(pkiDir, PKI_FILES.institutionCert(o.as));
    if (!existsSync(keyFile) || !existsSync(certFile)) {
      throw new GatewayError('client.no-credential', `no dev credential for ${o.as} in ${pkiDir} (start the gateway once with this data directory, or give --data-dir, or --key and --cert)`, { path: keyFile });
    }
    passphrase = devPassphrase(pkiDir, env[PASSPHRASE_ENV]?.trim(), false).passphrase;
  } else {
    throw new GatewayError('client.no-credential', 'say who you are: --as CODE (a dev credential, e.g. --as op-cmcc) or --key FILE --cert FILE');
  }
  const keyPem = readText(keyFile, 'the key');
  const certPem = readText(certFile, 'the certificate');
  const credential = credentialFromPem(keyPem, certPem, passphrase);
  const code = certificateFacts(credential.certificate).commonName;
  if (code === undefined) throw new GatewayError('client.no-credential', `the certificate ${certFile} has no CN (institution code)`, { path: certFile });
  if (o.as !== undefined && o.key !== undefined && code !== o.as) throw new GatewayError('client.no-credential', `--as ${o.as}, but the certificate ${certFile} is ${code}'s`, { path: certFile });
  const caFile = o.ca !== undefined ? resolve(cwd, o.ca) : join(pkiDir, PKI_FILES.caCert);
  const ca = existsSync(caFile) || o.ca !== undefined ? [readText(caFile, 'the CA certificate')] : [];
  return { code, credential, keyPem, certPem, ...(passphrase !== undefined && { passphrase }), ca };
}
