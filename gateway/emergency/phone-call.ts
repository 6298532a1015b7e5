import { GatewayError } from '../../contracts/errors/gateway-error';
import { writtenForms } from '../../contracts/forms/emergency-notice';
import { Registry } from '../registry/registry';
import { parseBeijingTime } from './beijing-time';
import { recordEmergencyNotice, type EmergencyDeps, type EmergencyOutcome } from './record-emergency-notice';
import type { WrittenForm } from './stands-for';

/** A phone call as a clerk typed it (Art. 15): the console's form fields, untrimmed text. */
export interface PhoneCallInput {
  readonly institution: string;
  readonly callerName: string;
  readonly callerPhone?: string;
  readonly callerMobile?: string;
  /** When the call was made: Beijing time `YYYY-MM-DDTHH:MM` (or ISO 8601 with an offset). */
  readonly calledAt: string;
  readonly summary: string;
  readonly taskNumber?: string;
  /** I, II, III or IV; empty when the caller gave none. */
  readonly level?: string;
  /** The written form the call stands for; empty to let standsForOf decide. */
  readonly standsFor?: string;
  /** The clerk (console account name). */
  readonly recordedBy: string;
  /** The log entry id, fresh per form: the same form posted twice records one notice. */
  readonly entryId: string;
}

/** One field at fault, named as the console's form names it. */
export interface FieldError {
  readonly field: string;
  readonly code: string;
  readonly message: string;
  readonly source: string;
}

/** The phone-log checks' options. */
export interface PhoneCallOptions {
  /**
   * How far a call time may lie ahead of the gateway's clock (the clerk's watch may run fast), in ms.
   * @defaultValue 300000 (5 minutes)
   */
  readonly maxClockSkewMs?: number;
}

export const DEFAULT_PHONE_CALL_OPTIONS = { maxClockSkewMs: 5 * 60_000 } as const;

const LEVELS = ['I', 'II', 'III', 'IV'] as const;
type Level = (typeof LEVELS)[number];

/** The recorded notice of a logged call (recordEmergencyNotice's outcome when recorded). */
export type LoggedCall = Extract<EmergencyOutcome, { recorded: true }>;

/** Maps the EmergencyNotice body path of a refusal to the console field. */
function fieldOfPath(path: string | undefined): string {
  switch (path) {
    case 'body.caller.name': return 'callerName';
    case 'body.caller.phone': return 'callerPhone';
    case 'body.caller.mobile': return 'callerMobile';
    case 'body.institution': return 'institution';
    case 'body.at': return 'calledAt';
    case 'body.summary': return 'summary';
    case 'body.taskNumber': return 'taskNumber';
    case 'body.level': return 'level';
    case 'body.standsFor': return 'standsFor';
    default: return path?.replace(/^body\./, '') ?? '';
  }
}

function refused(errors: readonly FieldError[]): GatewayError {
  return new GatewayError('emergency.bad-phone-log', `the phone call was not logged: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`, { article: 'Art. 15', errors });
}

/**
 * Logs a phone call (Art. 15) typed in the console: checks every field at once — a caller name
 * and a summary are needed, the call time must parse (Beijing time) and not lie in the future
 * beyond `maxClockSkewMs`, the level is I–IV, the form one Art. 15 lets a call announce, the
 * institution one of the registry — and records it with recordEmergencyNotice (channel `phone`,
 * key = the log entry id), which meets the clock it answers provisionally and opens
 * `written-followup`. Throws `emergency.bad-phone-log` with every field at fault in
 * `facts.errors` (the notice's own contract checks and refusals mapped to the same fields);
 * nothing is recorded then.
 */
export async function logPhoneCall(deps: EmergencyDeps, input: PhoneCallInput, options: PhoneCallOptions = {}): Promise<LoggedCall> {
  const now = deps.clock.now();
  const skew = options.maxClockSkewMs ?? DEFAULT_PHONE_CALL_OPTIONS.maxClockSkewMs;
  const errors: FieldError[] = [];
  const bad = (field: string, message: string) => errors.push({ field, code: 'emergency.bad-phone-log', message, source: 'Art. 15' });
  const text = (s: string | undefined) => (s ?? '').trim();

  const institution = text(input.institution);
  if (institution === '') bad('institution', 'choose the institution the caller speaks for');
  else if ((await (deps.registry ?? new Registry(deps.dataSource, { clock: deps.clock })).missing([institution])).length > 0) {
    errors.push({ field: 'institution', code: 'emergency.unknown-institution', message: `${institution} is not an institution of the registry`, source: 'Art. 15' });
  }
  if (text(input.callerName) === '') bad('callerName', 'the caller\'s name is needed');
  if (text(input.summary) === '') bad('summary', 'a summary of what the caller said is needed');
  const calledAt = parseBeijingTime(text(input.calledAt));
  if (text(input.calledAt) === '') bad('calledAt', 'the time of the call is needed (Beijing time)');
  else if (calledAt === undefined) bad('calledAt', `"${text(input.calledAt)}" is not a time: write YYYY-MM-DD HH:MM, Beijing time`);
  else if (calledAt.getTime() > now.getTime() + skew) bad('calledAt', `the call cannot have been made in the future (more than ${Math.round(skew / 60_000)} minutes after now)`);
  const level = text(input.level);
  if (level !== '' && !(LEVELS as readonly string[]).includes(level)) bad('level', `level "${level}" is not one of I, II, III, IV (Art. 8)`);
  const standsFor = text(input.standsFor);
  if (standsFor !== '' && !(writtenForms as readonly string[]).includes(standsFor)) bad('standsFor', `"${standsFor}" is not a written form a call may announce (${writtenForms.join(', ')})`);
  if (text(input.entryId) === '') bad('entryId', 'the form carries no log entry id: open the page again');
  if (errors.length > 0) throw refused(errors);

  const taskNumber = text(input.taskNumber);
  const out = await recordEmergencyNotice(deps, {
    institution, channel: 'phone', at: calledAt!, summary: text(input.summary), recordedBy: text(input.recordedBy), key: `phone-log:${text(input.entryId)}`,
    caller: { name: text(input.callerName), ...(text(input.callerPhone) !== '' && { phone: text(input.callerPhone) }), ...(text(input.callerMobile) !== '' && { mobile: text(input.callerMobile) }) },
    ...(standsFor !== '' && { standsFor: standsFor as WrittenForm }), ...(level !== '' && { level: level as Level }), ...(taskNumber !== '' && { taskNumber }),
  });
  if (!out.recorded) {
    throw refused(out.errors.map((e) => ({ field: fieldOfPath(e.path), code: e.code, message: e.message, source: e.source ?? 'Art. 15' })));
  }
  return out;
}
