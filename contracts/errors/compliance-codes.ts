import { defineCodes } from './code-info';

const compliance = defineCodes('compliance', {
  'compliance.bad-period': { description: 'The period is not a calendar month written YYYY-MM (e.g. 2026-11); Art. 19 compliance is reported per month.', http: 400, exit: 2 },
  'compliance.bad-unit': { description: 'The unit is not an institution code (e.g. op-cmcc, ca-11, cncert).', http: 400, exit: 2 },
  'compliance.not-permitted': { description: 'Only miit and cncert read every unit\'s Art. 19 record; any other institution reads its own only.', http: 403, exit: 1 },
  'compliance.unknown-unit': { description: 'The unit is an institution code, but no institution of the registry has it.', http: 400, exit: 2 },
  'compliance.bad-format': { description: 'The output format is neither json nor xlsx, or xlsx was asked for without a file to write it to.', http: 400, exit: 2 },
  'compliance.sheet-unreadable': { description: 'The MonthlyDisposalFeedback spreadsheet cannot be read as an .xlsx workbook, has no sheet, or its header row lacks a required column; nothing is accepted.', http: 422, exit: 1 },
  'compliance.sheet-invalid': { description: 'One or more rows of the MonthlyDisposalFeedback spreadsheet break the DisposalFeedback rules (Annex 5); every error is listed with its sheet, row and cell, and the whole sheet is refused.', http: 422, exit: 1 },
});

const retention = defineCodes('retention', {
  'retention.bad-days': { description: 'The retention period must be a whole number of days, 1 or more (Art. 12: default 60).', http: 400, exit: 2 },
});

/** Art. 19 compliance reports, the level IV monthly spreadsheet (Art. 11(4)) and Art. 12 retention (issue 6). */
export const complianceCodes = { ...compliance, ...retention };
