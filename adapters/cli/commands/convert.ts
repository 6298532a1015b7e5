import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { encodeJson, encodeXml } from '../../../contracts/codec';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { formatContractError, validateInput } from '../../../contracts/validation';
import type { CommandContext, CommandModule } from './index';

/**
 * `mmgw convert FILE --to xml|json`: reads a message (either format), validates it and prints it
 * in the other format, normalised. Invalid input: exit 1 with every error on stderr.
 */
export const convertCommand: CommandModule = {
  register(program: Command, ctx: CommandContext): void {
    program
      .command('convert')
      .description('convert a message between XML and JSON (validated and normalised on the way); invalid input exits 1 with its errors')
      .argument('<file>', 'a message file, XML or JSON')
      .addOption(new Option('--to <format>', 'output format').choices(['xml', 'json']).makeOptionMandatory())
      .addHelpText('after', '\nExample: mmgw convert contracts/examples/incident-report.json --to xml')
      .action((file: string, opts: { to: 'xml' | 'json' }) => {
        let bytes: Buffer;
        try {
          bytes = readFileSync(file);
        } catch (e) {
          throw new GatewayError('usage.file-unreadable', `${file} cannot be read: ${e instanceof Error ? e.message : String(e)}`, { path: file });
        }
        const r = validateInput(bytes);
        if (!r.ok || r.value === undefined) {
          for (const e of r.errors) ctx.io.err(`${file}: ${formatContractError(e)}`);
          ctx.exitCode = 1;
          return;
        }
        if (r.signature) ctx.io.err(`${file}: note: the ${r.signature} signature is not carried over; sign the converted document again`);
        ctx.io.out(opts.to === 'xml' ? encodeXml(r.value, { pretty: true }) : encodeJson(r.value));
      });
  },
};
