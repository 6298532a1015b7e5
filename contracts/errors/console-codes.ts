import { defineCodes } from './code-info';

/** The administrators' console: accounts, sign-in, sessions, roles, CSRF (issue 8, item 3). */
export const consoleCodes = defineCodes('console', {
  'console.sign-in-failed': { description: 'The user name or the password is wrong (the console does not say which); after the configured number of wrong passwords the account is locked.', http: 401, exit: 1 },
  'console.too-many-sign-ins': { description: 'Too many failed console sign-ins came from this client address within the configured window (MMGW_CONSOLE_ADDRESS_MAX_FAILED_SIGN_INS, MMGW_CONSOLE_ADDRESS_WINDOW_MINUTES): every sign-in from it is refused until the time given (Retry-After), whatever the password.', http: 429, exit: 1 },
  'console.locked-out': { description: 'The console account is locked after too many wrong passwords, until the time given; a correct password is refused meanwhile.', http: 423, exit: 1 },
  'console.not-signed-in': { description: 'The console page needs a signed-in session (or the session expired): sign in again.', http: 401, exit: 1 },
  'console.forbidden': { description: 'The signed-in console user\'s role does not allow this page or action, or it concerns another institution than the user\'s own; nothing was changed.', http: 403, exit: 1 },
  'console.csrf': { description: 'A console form was posted without the CSRF token of the session, or with another one (a forged request); nothing was changed.', http: 403, exit: 1 },
  'console.bad-input': { description: 'A console form field is missing or malformed; nothing was changed.', http: 422, exit: 1 },
  'console.unknown-user': { description: 'No console account has this user name.', http: 404, exit: 1 },
  'console.user-exists': { description: 'A console account with this user name exists already.', http: 409, exit: 1 },
  'console.weak-password': { description: 'The new console password is too short (at least 10 characters) or empty.', http: 422, exit: 1 },
  'console.not-found': { description: 'No message with this id that the signed-in console user may see: an unknown id and another institution\'s message get the same answer.', http: 404, exit: 1 },
  'console.pdf-unavailable': { description: 'The PDF of a printed form cannot be made because headless Chromium is not available (the setting chromiumPath); the print page itself can be saved as PDF from the browser.', http: 503, exit: 3 },
  'console.bad-account': { description: 'A console account is malformed: an unknown role, a user name outside [a-z0-9._-], or an institution missing (institution administrator) or not in the registry.', http: 400, exit: 2 },
});
