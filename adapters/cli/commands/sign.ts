import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { credentialFromPem } from '../../../gateway/signing/credential';
import { signDocument } from '../../../gateway/signing/documents';
import { expiryWarnings } from '../../../gateway/signing/expiry';
import { JWS_ALGORITHMS, type JwsAlgorithm } from '../../../gateway/signing/jws-sign';
import { passphraseFromEnv } from '../../../gateway/signing/keys';
import type { CommandContext, CommandModule } from './index';
import { readArgFile } from './pki';

interface SignOptions {
  key: string;
  cert: string;
  out?: string;
  alg?: string;
}

/** `mmgw sign FILE`: an enveloped XML-DSig for XML, a flattened JWS for JSON (told apart by content). */
export function createSignCommand(env: NodeJS.ProcessEnv = process.env, now: () => Date = () => new Date()): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      program
        .command('sign')
        .description('sign a document: XML gets an enveloped XML-DSig, JSON becomes a flattened JWS (format told apart by content)')
        .argument('<file>', 'the document to sign')
        .requiredOption('--key <file>', 'the signer\'s private key, PEM (encrypted PKCS#8: passphrase from MMGW_KEY_PASSPHRASE)')
        .requiredOption('--cert <file>', 'the signer\'s certificate, PEM (intermediates may follow it)')
        .option('--out <file>', 'write the signed document here instead of to stdout')
        .option('--alg <alg>', `JWS algorithm for an RSA key: ${JWS_ALGORITHMS.filter((a) => a !== 'ES256').join(' or ')} (default RS256)`)
        .action(async (file: string, opts: SignOptions) => {
          if (opts.alg !== undefined && !(JWS_ALGORITHMS as readonly string[]).includes(opts.alg)) {
            throw new GatewayError('usage.unknown-choice', `--alg: "${opts.alg}" is not one of ${JWS_ALGORITHMS.join(', ')}`, { field: 'alg' });
          }
          const document = readArgFile(file, 'document');
          const keyPem = readArgFile(opts.key, 'key');
          const passphrase = keyPem.includes('ENCRYPTED') ? passphraseFromEnv(env) : undefined;
          const credential = credentialFromPem(keyPem, readArgFile(opts.cert, 'certificate'), passphrase);
          for (const w of expiryWarnings([credential.certificate, ...credential.chain], now())) ctx.io.err(`mmgw: warning: ${w.message}`);
          const signed = await signDocument(document, credential, { jwsAlgorithm: opts.alg as JwsAlgorithm | undefined });
          if (opts.out) writeFileSync(opts.out, signed);
          else ctx.io.out(signed);
        });
    },
  };
}

export const signCommand = createSignCommand();
