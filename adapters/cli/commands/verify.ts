import type { Command } from 'commander';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { codeInfo } from '../../../contracts/errors/registry';
import { verifyDocument } from '../../../gateway/signing/documents';
import { expiryWarnings } from '../../../gateway/signing/expiry';
import { TrustStore } from '../../../gateway/signing/trust-store';
import type { CommandContext, CommandModule } from './index';
import { collect, readArgFile } from './pki';

interface VerifyOptions {
  trust: string[];
  crl: string[];
}

/**
 * `mmgw verify FILE`: exit 0 with the signer's institution code on the first line when the
 * document is validly signed; exit 1 with the reason code on the first line and its sentence on
 * the second when it is not.
 */
export function createVerifyCommand(now: () => Date = () => new Date()): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      program
        .command('verify')
        .description('verify a signed document (XML-DSig or flattened JWS): trusted chain, valid at its sentAt, not revoked, signer = from')
        .argument('<file>', 'the signed document')
        .option('--trust <file>', 'trust anchors, PEM (required, repeatable; a file may hold several roots)', collect, [])
        .option('--crl <file>', 'a CRL of a trust anchor, PEM or DER (repeatable)', collect, [])
        .action(async (file: string, opts: VerifyOptions) => {
          if (opts.trust.length === 0) throw new GatewayError('usage.missing-argument', 'verify needs --trust <file> with the trust anchors (PEM)', { field: 'trust' });
          const trust = new TrustStore(opts.trust.map((t) => readArgFile(t, 'trust anchors')));
          for (const c of opts.crl) trust.addCrl(readArgFile(c, 'CRL'));
          const result = await verifyDocument(readArgFile(file, 'document'), { trust });
          if (!result.ok) {
            ctx.io.out(result.code);
            ctx.io.out(result.message);
            ctx.exitCode = codeInfo(result.code).exit;
            return;
          }
          ctx.io.out(result.institution);
          ctx.io.out(`format: ${result.format === 'xml' ? 'XML-DSig' : 'JWS'} ${result.algorithm}`);
          ctx.io.out(`signed at: ${result.signedAt.toISOString()} (sentAt)`);
          ctx.io.out(`certificate: ${result.certificate.subject.replace(/\n/g, ', ')}, serial ${result.certificate.serialNumber}`);
          ctx.io.out(`chain: ${result.chain.map((c) => c.subject.split('\n').find((l) => l.startsWith('CN=')) ?? c.subject).join(' <- ')}`);
          for (const w of expiryWarnings(result.chain, now())) ctx.io.err(`mmgw: warning: ${w.message}`);
        });
    },
  };
}

export const verifyCommand = createVerifyCommand();
