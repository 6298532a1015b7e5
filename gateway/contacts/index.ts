/** The contact registry of Art. 17: current contacts, their history, changes, confirmations. */
export { applyContactUpdate, actorOf, type AppliedContactChange, type ChangedBy, type ContactUpdateInput } from './apply-update';
export { applyAcceptedContactUpdate, type AcceptedContactUpdate } from './on-accepted';
export { contactsOf, allContacts, historyOf, overdueChanges, type OverdueChange } from './queries';
export { diffContacts } from './diff';
export { validateContactUpdate, type ValidContactUpdate } from './validate-update';
export { DEFAULT_CONTACT_OPTIONS, type ContactOptions } from './options';
export { CONTACT_ROLES, type ContactPerson, type ContactSheet, type ContactSnapshot } from './contact-sheet';
export * from './entities';
export {
  confirmationPeriod, dueConfirmations, recordConfirmation, sendConfirmationReminders, CONFIRMATION_REQUESTED_TOPIC, DEFAULT_CONFIRMATION_EVERY,
  type ConfirmationEvery, type ConfirmationOptions, type ConfirmationPeriod, type DueConfirmation,
} from './confirmations';
