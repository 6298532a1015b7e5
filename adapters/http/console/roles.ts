import type { Text } from './i18n';

/**
 * The console's roles (issue 8, item 3): the gateway administrator sees and does everything; an
 * institution administrator sees and edits its own institution only; a clerk reads and logs
 * (Art. 15 pages); a read-only auditor reads everything and posts nothing.
 */
export const CONSOLE_ROLES = ['gateway-admin', 'institution-admin', 'clerk', 'auditor'] as const;
export type ConsoleRole = (typeof CONSOLE_ROLES)[number];

export const ROLE_LABELS: Readonly<Record<ConsoleRole, Text>> = {
  'gateway-admin': { zh: '网关管理员', en: 'gateway administrator' },
  'institution-admin': { zh: '单位管理员', en: 'institution administrator' },
  clerk: { zh: '经办人', en: 'clerk' },
  auditor: { zh: '审计员（只读）', en: 'auditor (read-only)' },
};

export function isConsoleRole(text: string): text is ConsoleRole {
  return (CONSOLE_ROLES as readonly string[]).includes(text);
}

/** Every role: for a page anyone signed in may open. */
export const ANY_ROLE: readonly ConsoleRole[] = CONSOLE_ROLES;
/** The roles that may change something (everyone but the auditor). */
export const WRITING_ROLES: readonly ConsoleRole[] = ['gateway-admin', 'institution-admin', 'clerk'];
