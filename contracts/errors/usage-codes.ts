import { defineCodes } from './code-info';

/** Codes for wrong invocations of the CLI and its arguments. */
export const usageCodes = defineCodes('usage', {
  'usage.invalid-argument': { description: 'An argument or option has a value the command cannot use.', http: 400, exit: 2 },
  'usage.missing-argument': { description: 'A required argument or option is missing.', http: 400, exit: 2 },
  'usage.unknown-choice': { description: 'The value is not one of the valid choices.', http: 400, exit: 2 },
  'usage.file-unreadable': { description: 'A file named on the command line cannot be read.', http: 400, exit: 2 },
});
