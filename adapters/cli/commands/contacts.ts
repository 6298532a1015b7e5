import * as fs from 'node:fs';
import * as path from 'node:path';
import { Option, type Command } from 'commander';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { formatBeijing } from '../../../gateway/calendar';
import { allContacts, contactsOf, historyOf, type ContactPerson } from '../../../gateway/contacts';
import { DATABASE_URL_VARIABLE, InstitutionEntity } from '../../../gateway/store';
import { withStore } from '../store';
import { contactExportRows, contactsToCsv, contactsToXlsx } from '../../spreadsheet/contacts-export';
import type { CommandContext, CommandModule } from './index';

interface ExportOptions {
  format?: 'xlsx' | 'csv';
  out: string;
}

function describePerson(p: ContactPerson): string {
  const parts = [p.name, p.phone && `phone ${p.phone}`, p.mobile && `mobile ${p.mobile}`, p.email && `e-mail ${p.email}`];
  return parts.filter((x) => x).join(', ');
}

/** The format of an export: `--format`, else the extension of `--out` (.csv is CSV, anything else .xlsx). */
function formatOf(opts: ExportOptions): 'xlsx' | 'csv' {
  return opts.format ?? (path.extname(opts.out).toLowerCase() === '.csv' ? 'csv' : 'xlsx');
}

/** `mmgw contacts export|show`: the contact registry of Art. 17 in the database of MMGW_DATABASE_URL. */
export function createContactsCommand(env: NodeJS.ProcessEnv = process.env): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      const contacts = program.command('contacts').description('the contact registry of Art. 17: every unit\'s leader in charge, department head and contact persons');
      contacts
        .command('export')
        .description(`writes every unit's current contacts for MIIT (单位, 主管领导, 责任部门负责人, 联系人, 电话, 手机, E-Mail, 生效日期, 报送日期) from the database of ${DATABASE_URL_VARIABLE}`)
        .addOption(new Option('--format <format>', 'xlsx (Excel workbook) or csv (UTF-8 with BOM, RFC 4180); default: from the --out extension').choices(['xlsx', 'csv']))
        .requiredOption('--out <file>', 'the file to write (replaced if it exists)')
        .addHelpText('after', '\nExample: mmgw contacts export --format xlsx --out contacts.xlsx')
        .action(async (opts: ExportOptions) => {
          const format = formatOf(opts);
          const sheets = await withStore(env, (ds) => allContacts(ds));
          const bytes = format === 'csv' ? Buffer.from(contactsToCsv(sheets), 'utf8') : await contactsToXlsx(sheets);
          try {
            fs.writeFileSync(opts.out, bytes);
          } catch (e) {
            throw new GatewayError('contacts.bad-option', `--out: cannot write ${opts.out}: ${(e as Error).message}`, { field: '--out' });
          }
          ctx.io.out(`wrote ${contactExportRows(sheets).length} contact row(s) of ${sheets.length} unit(s) to ${opts.out} (${format})`);
        });
      contacts
        .command('show')
        .description('prints one unit\'s current contacts and the history of their changes (times in Beijing time)')
        .argument('<code>', 'the institution code, e.g. op-cmcc')
        .action(async (code: string) => {
          await withStore(env, async (ds) => {
            const institution = await ds.getRepository(InstitutionEntity).findOne({ where: { code } });
            if (institution === null) throw new GatewayError('contacts.unknown-institution', `institution "${code}" is not in the registry`, { institution: code });
            const sheet = await contactsOf(ds, code);
            if (sheet === null) {
              throw new GatewayError('contacts.no-contacts', `${code} (${institution.name}) has reported no contacts yet (Art. 17)`, { institution: code, article: 'Art. 17' });
            }
            const io = ctx.io;
            io.out(`${code} ${sheet.unit}${sheet.department ? ` — ${sheet.department}` : ''}`);
            io.out(`effective ${sheet.effectiveDate}, reported ${formatBeijing(sheet.reportedAt)}, confirmed ${sheet.confirmedAt ? `${formatBeijing(sheet.confirmedAt)} by ${sheet.confirmedBy ?? '?'}` : 'never'}`);
            io.out(`主管领导 leader in charge: ${describePerson(sheet.leaderInCharge)}`);
            io.out(`责任部门负责人 department head: ${describePerson(sheet.departmentHead)}`);
            sheet.contacts.forEach((c, i) => io.out(`联系人 contact ${i + 1}: ${describePerson(c)}`));
            io.out('history:');
            for (const h of await historyOf(ds, code)) {
              const late = h.reportedAt.getTime() > h.dueAt.getTime() ? `LATE (due ${formatBeijing(h.dueAt)})` : 'on time';
              io.out(`  #${h.id} reported ${formatBeijing(h.reportedAt)} by ${h.changedBy}${h.messageId ? ` (message ${h.messageId})` : ''}, effective ${h.effectiveDate}, ${late}`);
              for (const d of h.diff) io.out(`    ${d.field}: ${d.before ?? '—'} → ${d.after ?? '—'}`);
            }
          });
        });
    },
  };
}

/** The command as registered in `commandModules`. */
export const contactsCommand = createContactsCommand();
