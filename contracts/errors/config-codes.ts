import { defineCodes } from './code-info';

/** The gateway's settings, read from the environment at start (issue 5, item 2). */
export const configCodes = defineCodes('config', {
  'config.invalid': { description: 'One or more MMGW_* settings are invalid; every problem is listed with the variable it concerns.', http: 500, exit: 2 },
});
