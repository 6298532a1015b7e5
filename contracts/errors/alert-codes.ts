import { defineCodes } from './code-info';

const alert = defineCodes('alert', {
  'alert.bad-payload': { description: 'A message of the alerts queue cannot be read (not JSON, no recipients, an unknown topic); it is parked for an operator, never dropped.', http: 500, exit: 3 },
  'alert.unknown-alert': { description: 'No alert with this id was sent to the calling institution.', http: 404, exit: 1 },
  'alert.bad-query': { description: 'A parameter of the alerts query (limit, after cursor, unacknowledged flag) is malformed; the field is named.', http: 400, exit: 2 },
  'alert.email-failed': { description: 'The mailer did not take the e-mail of an alert; the alert is kept and the e-mail retried with the bus\'s back-off.', http: 503, exit: 3 },
});

const monthly = defineCodes('monthly', {
  'monthly.bad-period': { description: 'The period is not a calendar month written YYYY-MM (e.g. 2026-11); the monthly work of Art. 10(3) and 11(4) is per month.', http: 400, exit: 2 },
  'monthly.not-cncert': { description: 'Only cncert compiles the MonthlyGeneralSummary of the level IV events (Art. 10(3)); the draft is cncert\'s alone.', http: 403, exit: 1 },
  'monthly.missing-filer': { description: 'The filer boxes of the MonthlyDisposalFeedback (reporter, phone, e-mail) were neither given nor found in the unit\'s registered contacts (Art. 17); each missing box is named.', http: 422, exit: 1 },
  'monthly.not-a-spreadsheet': { description: 'The request body is not an .xlsx workbook (media type application/vnd.openxmlformats-officedocument.spreadsheetml.sheet).', http: 415, exit: 2 },
});

/** Alerts for people (reminders, escalations, re-gradings) and the monthly work of level IV events (issue 6, items 4 and 6). */
export const alertCodes = { ...alert, ...monthly };
