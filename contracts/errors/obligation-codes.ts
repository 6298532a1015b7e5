import { defineCodes } from './code-info';

/** Obligations, cases, re-grading, reminders and escalations, Art. 16 special periods (issue 6). */
export const obligationCodes = defineCodes('obligation', {
  'obligation.unknown-task': { description: 'The message names a task number (or answers a message) that no case of the gateway knows: an IncidentNotice opens a task number, a SampleReport or IncidentReport opens a case; the message is refused and nothing changes.', http: 422, exit: 1 },
  'obligation.not-responsible': { description: 'The sender is not the party that owes this form (e.g. a VerificationResult from anyone but cncert, Art. 11(5)); the message is refused and nothing changes.', http: 403, exit: 1 },
  'obligation.bad-body': { description: 'A field the obligations need (a date, a level, a task number, a month) is missing or malformed in an accepted body; the field is named.', http: 422, exit: 1 },
  'obligation.unknown-case': { description: 'No case has this task number.', http: 404, exit: 1 },
  'obligation.not-a-party': { description: 'Only the parties of a case (its sender, recipients and copies) may see the case.', http: 403, exit: 1 },
  'obligation.bad-query': { description: 'An obligations query option is malformed (party code, overdue flag, instant).', http: 400, exit: 2 },
  'obligation.bad-fractions': { description: 'Reminder fractions must be numbers strictly between 0 and 1, in increasing order, no repeats.', http: 400, exit: 2 },
  'obligation.not-open': { description: 'The obligation does not exist or is no longer open (met, met late or waived already).', http: 409, exit: 1 },
  'obligation.duplicate-period': { description: 'A special period with this id is already declared.', http: 409, exit: 1 },
});
