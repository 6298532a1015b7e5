import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import type { DataSource } from 'typeorm';
import { GatewayError } from '../../../contracts/errors/gateway-error';
import { appendAudit } from '../../../gateway/audit';
import { formatBeijing } from '../../../gateway/calendar';
import { systemClock, type Clock } from '../../../gateway/clock';
import { transaction } from '../../../gateway/store';
import { withStore } from '../store';
import { addAccount, CONSOLE_ROLES, listAccounts, MIN_PASSWORD_LENGTH, setPassword } from '../../http/console';
import type { CommandContext, CommandModule } from './index';

/** Where a password comes from: never argv (it would show in `ps` and the shell history). */
export type PasswordReader = (prompt: string) => Promise<string>;

/**
 * The password: the first line of stdin when it is not a terminal (`printf '%s\n' "$PW" | mmgw
 * console-user add …`), else typed at a prompt with the echo off, twice.
 */
export const readPassword: PasswordReader = async (prompt) => {
  if (!process.stdin.isTTY) {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text.split(/\r?\n/)[0] ?? '';
  }
  const ask = (q: string) => new Promise<string>((resolve) => {
    let muted = false;
    const output = new Writable({
      write(chunk: Buffer, _enc, done) {
        if (!muted) process.stderr.write(chunk);
        done();
      },
    });
    const rl = createInterface({ input: process.stdin, output, terminal: true });
    rl.question(q, (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
    muted = true;
  });
  const first = await ask(prompt);
  const again = await ask('again: ');
  if (first !== again) throw new GatewayError('console.weak-password', 'the two passwords typed differ; nothing was changed', { field: 'password' });
  return first;
};

async function audit(ds: DataSource, action: string, username: string, details: Record<string, unknown>, now: Date): Promise<void> {
  await transaction(ds, (m) => appendAudit(m, { kind: 'console', actor: 'cli', subject: `console:${username}`, details: { action, ...details } }, now));
}

interface AddOptions {
  role: string;
  institution?: string;
  name?: string;
}

/** `mmgw console-user add|passwd|list`: the administrators' console accounts in the database of MMGW_DATABASE_URL. */
export function createConsoleUserCommand(env: NodeJS.ProcessEnv = process.env, password: PasswordReader = readPassword, clock: Clock = systemClock): CommandModule {
  return {
    register(program: Command, ctx: CommandContext): void {
      const cmd = program.command('console-user').description('the accounts of the administrators\' console (/console): scrypt-hashed passwords, roles');
      cmd
        .command('add')
        .description(`creates an account; the password (at least ${MIN_PASSWORD_LENGTH} characters) is read from stdin, or typed at a prompt — never from the command line`)
        .argument('<username>', 'the user name: 2 to 64 of a-z 0-9 . _ -')
        .requiredOption('--role <role>', CONSOLE_ROLES.join(' | '))
        .option('--institution <code>', 'the institution of an institution-admin (required for it), or of a clerk')
        .option('--name <name>', 'the display name')
        .addHelpText('after', '\nExample: printf \'%s\\n\' "$PW" | mmgw console-user add cmcc-admin --role institution-admin --institution op-cmcc')
        .action(async (username: string, opts: AddOptions) => {
          const pw = await password('password: ');
          await withStore(env, async (ds) => {
            const now = clock.now();
            const a = await addAccount(ds, { username, password: pw, role: opts.role, ...(opts.institution && { institution: opts.institution }), ...(opts.name && { displayName: opts.name }) }, now);
            await audit(ds, 'user-add', a.username, { role: a.role, institution: a.institution }, now);
            ctx.io.out(`added ${a.username} (${a.role}${a.institution ? `, ${a.institution}` : ''})`);
          });
        });
      cmd
        .command('passwd')
        .description('sets a new password (from stdin or a prompt) and unlocks the account')
        .argument('<username>')
        .action(async (username: string) => {
          const pw = await password('new password: ');
          await withStore(env, async (ds) => {
            const now = clock.now();
            await setPassword(ds, username, pw, now);
            await audit(ds, 'user-passwd', username, {}, now);
            ctx.io.out(`password of ${username} changed; the account is unlocked`);
          });
        });
      cmd
        .command('list')
        .description('lists the accounts: user name, role, institution, failed sign-ins, locked until (Beijing time)')
        .action(async () => {
          await withStore(env, async (ds) => {
            const now = clock.now();
            for (const a of await listAccounts(ds)) {
              const locked = a.lockedUntil && a.lockedUntil.getTime() > now.getTime() ? `, locked until ${formatBeijing(a.lockedUntil)}` : '';
              ctx.io.out(`${a.username}\t${a.role}\t${a.institution ?? '-'}\t${a.displayName ?? ''}\tfailed ${a.failedCount}${locked}`);
            }
          });
        });
    },
  };
}

/** The command as registered in `commandModules`. */
export const consoleUserCommand = createConsoleUserCommand();
