import type { Command } from 'commander';
import type { CliIo } from '../io';
import { calendarCommand } from './calendar';
import { dueCommand } from './due';
import { gradeCommand } from './grade';
import { pkiCommand } from './pki';
import { signCommand } from './sign';
import { verifyCommand } from './verify';
import { validateCommand } from './validate';
import { exampleCommand } from './example';
import { convertCommand } from './convert';
import { migrateCommand } from './migrate';
import { auditCommand } from './audit';
import { contactsCommand } from './contacts';
import { complianceCommand } from './compliance';
import { retentionCommand } from './retention';
import { startCommand } from './start';
import { sendCommand } from './send';
import { inboxCommand } from './inbox';
import { ackCommand } from './ack';
import { statusCommand } from './status';
import { consoleUserCommand } from './console-user';
import { caseCommand } from './case';
import { obligationsCommand } from './obligations';
import { alertsCommand } from './alerts';
import { monthlySummaryCommand } from './monthly-summary';
import { monthlyFeedbackCommand } from './monthly-feedback';

/**
 * One command per file in this folder; each exports a `CommandModule`. Add a new command to
 * `commandModules` below.
 */
export interface CommandModule {
  /** Adds the command to the program. The action sets `ctx.exitCode` instead of exiting. */
  register(program: Command, ctx: CommandContext): void;
}

export interface CommandContext {
  readonly io: CliIo;
  exitCode: number;
}

export const commandModules: CommandModule[] = [
  gradeCommand,
  dueCommand,
  calendarCommand,
  pkiCommand,
  signCommand,
  verifyCommand,
  validateCommand,
  exampleCommand,
  convertCommand,
  migrateCommand,
  auditCommand,
  contactsCommand,
  complianceCommand, retentionCommand,
  startCommand, sendCommand, inboxCommand, ackCommand, statusCommand,
  consoleUserCommand,
  caseCommand, obligationsCommand,
  alertsCommand, monthlySummaryCommand, monthlyFeedbackCommand,
];
