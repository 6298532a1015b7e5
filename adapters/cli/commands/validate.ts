import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { codeInfo } from '../../../contracts/errors/registry';
import { formatContractError, validateInput } from '../../../contracts/validation';
import type { CommandContext, CommandModule } from './index';

/** Exit code when a file cannot be read (usage.file-unreadable). */
const EXIT_UNREADABLE = codeInfo('usage.file-unreadable').exit;

/**
 * `mmgw validate FILE...`: each file, XML or JSON told apart by content, against its form.
 * Prints `FILE: valid …` or one `FILE: path: message [code] (source)` line per error; exit 0
 * when all are valid, 1 when any is invalid, 2 when any cannot be read.
 */
export const validateCommand: CommandModule = {
  register(program: Command, ctx: CommandContext): void {
    program
      .command('validate')
      .description('validate messages (XML or JSON, told apart by content) against their forms: every error with its path, rule and article; exit 0 if all are valid, 1 if not')
      .argument('<files...>', 'message files, XML or JSON (signed or not)')
      .addHelpText('after', '\nExample: mmgw validate contracts/examples/sample-report.xml contracts/examples/sample-report.json')
      .action((files: string[]) => {
        let invalid = false;
        let unreadable = false;
        for (const file of files) {
          let bytes: Buffer;
          try {
            bytes = readFileSync(file);
          } catch (e) {
            ctx.io.err(`${file}: cannot be read: ${e instanceof Error ? e.message : String(e)} [usage.file-unreadable]`);
            unreadable = true;
            continue;
          }
          const r = validateInput(bytes);
          if (r.ok) {
            const signed = r.signature ? `, signed (${r.signature}, not verified here: use mmgw verify)` : '';
            ctx.io.out(`${file}: valid ${String(r.value?.type)} (${r.format}${signed})`);
            continue;
          }
          invalid = true;
          for (const e of r.errors) ctx.io.out(`${file}: ${formatContractError(e)}`);
        }
        ctx.exitCode = unreadable ? EXIT_UNREADABLE : invalid ? 1 : 0;
      });
  },
};
