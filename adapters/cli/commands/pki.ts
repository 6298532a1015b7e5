import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { DEMO_INSTITUTIONS } from '../../../gateway/signing/institution';
import { passphraseFromEnv, type KeyType } from '../../../gateway/signing/keys';
import { credentialFromPem } from '../../../gateway/signing/credential';
import { importPkcs12 } from '../../../gateway/signing/pkcs12';
import { initPkiDirectory, issueFromCsr, loadCa, PKI_FILES, storeCredential } from '../../../gateway/signing/pki-directory';
import type { CommandContext, CommandModule } from './index';

interface InitOptions {
  keyType: string;
  institutions?: string;
  at?: string;
}

interface ImportOptions {
  institution: string;
  p12?: string;
  key?: string;
  cert?: string;
  dir?: string;
}

/** The environment variable holding the password of a PKCS#12 file to import. */
export const P12_PASSWORD_ENV = 'MMGW_P12_PASSWORD';

interface IssueOptions {
  institution: string;
  csr: string;
  dir?: string;
  out?: string;
  days: string;
  at?: string;
}

/** Collects a repeatable option. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Reads a file named on the command line; `usage.file-unreadable` when it cannot be read. */
export function readArgFile(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new GatewayError('usage.file-unreadable', `${what} ${path} cannot be read: ${e instanceof Error ? e.message : String(e)}`, { path });
  }
}

/** The instant of `--at ISO`, or the system clock (the CLI is where the clock is read). */
export function instantOption(at: string | undefined, now: () => Date): Date {
  if (at === undefined) return now();
  const d = new Date(at);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(at) || Number.isNaN(d.getTime())) throw new GatewayError('usage.invalid-argument', `--at: "${at}" is not an ISO 8601 instant`, { field: 'at', value: at });
  return d;
}

/**
 * `mmgw pki init DIR` and `mmgw pki issue`: the development PKI. Keys are written as encrypted
 * PKCS#8 with the passphrase from `MMGW_KEY_PASSPHRASE`; `MMGW_PKI_DIR` is the default CA directory.
 */
export function createPkiCommand(env: NodeJS.ProcessEnv = process.env, now: () => Date = () => new Date()): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      const pki = program.command('pki').description('the development PKI: a dev CA and institution credentials (keys encrypted with MMGW_KEY_PASSPHRASE)');
      pki
        .command('init')
        .description('create a dev CA and a key and certificate for each institution of the demo registry in DIR')
        .argument('<dir>', 'directory to create the PKI in')
        .option('--key-type <type>', 'rsa (RSA-2048) or ec (P-256)', 'rsa')
        .option('--institutions <codes>', `comma-separated institution codes (default: the demo registry, ${DEMO_INSTITUTIONS.length} codes)`)
        .option('--at <iso>', 'validity starts from this instant (default: now)')
        .action((dir: string, opts: InitOptions) => {
          if (opts.keyType !== 'rsa' && opts.keyType !== 'ec') throw new GatewayError('usage.unknown-choice', `--key-type: "${opts.keyType}" is not rsa or ec`, { field: 'key-type' });
          const passphrase = passphraseFromEnv(env);
          const institutions = opts.institutions?.split(',').map((s) => s.trim()).filter((s) => s !== '');
          const codes = initPkiDirectory(dir, { now: instantOption(opts.at, now), passphrase, keyType: opts.keyType as KeyType, institutions });
          ctx.io.out(`dev CA: ${join(dir, PKI_FILES.caCert)} (key ${join(dir, PKI_FILES.caKey)}, encrypted PKCS#8)`);
          ctx.io.out(`${codes.length} institution credentials in ${join(dir, 'institutions')}: ${codes.join(', ')}`);
        });
      pki
        .command('issue')
        .description('issue a certificate binding an institution code (subject CN) to the key of a CSR, signed by the CA in --dir')
        .requiredOption('--institution <code>', 'institution code, e.g. op-cmcc')
        .requiredOption('--csr <file>', 'PKCS#10 certificate signing request (PEM or DER)')
        .option('--dir <dir>', 'the PKI directory holding the CA (default: MMGW_PKI_DIR, else ./pki)')
        .option('--out <file>', 'write the certificate here instead of to stdout')
        .option('--days <n>', 'validity in days', '825')
        .option('--at <iso>', 'validity starts from this instant (default: now)')
        .action((opts: IssueOptions) => {
          const days = Number(opts.days);
          if (!Number.isInteger(days) || days < 1 || days > 3650) throw new GatewayError('usage.invalid-argument', `--days: "${opts.days}" is not a whole number of days from 1 to 3650`, { field: 'days' });
          const csr = readArgFile(opts.csr, 'CSR');
          const ca = loadCa(opts.dir ?? env.MMGW_PKI_DIR ?? 'pki', passphraseFromEnv(env));
          const pem = issueFromCsr(ca, opts.institution, csr, instantOption(opts.at, now), days);
          if (opts.out) {
            writeFileSync(opts.out, pem);
            ctx.io.out(`issued ${opts.institution}: ${opts.out}`);
          } else {
            ctx.io.out(pem);
          }
        });
      pki
        .command('import')
        .description('import an existing key and certificate (PKCS#12, or PEM) for an institution; the key is stored re-encrypted with MMGW_KEY_PASSPHRASE')
        .requiredOption('--institution <code>', 'institution code; must be the certificate\'s CN')
        .option('--p12 <file>', `a PKCS#12 file (password from ${P12_PASSWORD_ENV})`)
        .option('--key <file>', 'a PEM private key (plain, or encrypted with MMGW_KEY_PASSPHRASE), with --cert')
        .option('--cert <file>', 'the PEM certificate, intermediates may follow, with --key')
        .option('--dir <dir>', 'the PKI directory (default: MMGW_PKI_DIR, else ./pki)')
        .action((opts: ImportOptions) => {
          if (!opts.p12 === !(opts.key && opts.cert) || (opts.p12 && (opts.key || opts.cert))) {
            throw new GatewayError('usage.missing-argument', 'give either --p12 FILE, or --key FILE and --cert FILE', { field: 'p12' });
          }
          const passphrase = passphraseFromEnv(env);
          let credential;
          if (opts.p12) {
            credential = importPkcs12(readArgFile(opts.p12, 'PKCS#12 file'), env[P12_PASSWORD_ENV] ?? '');
          } else {
            const keyPem = readArgFile(opts.key!, 'key');
            credential = credentialFromPem(keyPem, readArgFile(opts.cert!, 'certificate'), keyPem.includes('ENCRYPTED') ? passphrase : undefined);
          }
          const written = storeCredential(opts.dir ?? env.MMGW_PKI_DIR ?? 'pki', opts.institution, credential, passphrase);
          ctx.io.out(`imported ${opts.institution}: ${written.key} (encrypted PKCS#8), ${written.cert}`);
        });
    },
  };
}

export const pkiCommand = createPkiCommand();
