import { defineCodes } from './code-info';

/** The contact registry of Art. 17: applying a ContactUpdate, confirmations, the MIIT export (issue 8, item 1). */
export const contactCodes = defineCodes('contacts', {
  'contacts.unknown-institution': { description: 'The institution whose contacts are changed, shown or confirmed is not in the registry (institutions table).', http: 404, exit: 1 },
  'contacts.effective-date-too-far': { description: 'The effective date of a contact change lies further in the future than the configured bound (default 90 days, Art. 17); nothing was changed.', http: 422, exit: 1 },
  'contacts.no-contacts': { description: 'The institution has reported no contacts yet, so there is nothing to confirm: report them with a ContactUpdate (Art. 17).', http: 409, exit: 1 },
  'contacts.bad-option': { description: 'A contact registry option is malformed (the confirmation period, the future bound, an export format or path).', http: 400, exit: 2 },
});
