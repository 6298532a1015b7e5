/**
 * The settings of the administrators' console (adapters/http/console, issue 8 item 3) and of the
 * contact registry that the console and intake share. The defaults are declared HERE, once: the
 * console's `DEFAULT_CONSOLE_OPTIONS` is this object (the core imports no adapter, so the
 * adapter takes them from the core, not the other way round).
 */

/** The console's languages: Chinese first, English on request. */
export type ConsoleLanguage = 'zh' | 'en';

/** The console's numeric defaults, written once. */
export const CONSOLE_DEFAULTS = {
  /** Wrong passwords in a row that lock an account. */
  maxFailedSignIns: 5,
  /** How long a locked account stays locked, in minutes. */
  lockoutMinutes: 15,
  /** How long a session lasts from sign-in, in minutes. */
  sessionMinutes: 480,
  /** How far ahead the obligations page counts an open obligation as "due soon", in hours. */
  dueSoonHours: 48,
  /** The largest multipart form (a page with a file input) the console reads, in bytes. */
  maxUploadBytes: 20 * 1024 * 1024,
  /** Failed sign-ins from one client address within `addressWindowMinutes` after which that address gets 429. */
  maxFailedSignInsPerAddress: 20,
  /** The window of the per-address count, in minutes. */
  addressWindowMinutes: 15,
} as const;

/** The console's language when the browser asked for none. */
export const DEFAULT_CONSOLE_LANGUAGE: ConsoleLanguage = 'zh';

/** The console as configured (MMGW_CONSOLE…). */
export interface ConsoleSettings {
  /** False with MMGW_CONSOLE=off: /console is not mounted. */
  readonly enabled: boolean;
  readonly maxFailedSignIns: number;
  readonly lockoutMinutes: number;
  readonly sessionMinutes: number;
  readonly dueSoonHours: number;
  readonly maxUploadBytes: number;
  readonly maxFailedSignInsPerAddress: number;
  readonly addressWindowMinutes: number;
  readonly language: ConsoleLanguage;
}

/** The contact registry as configured (Art. 17). */
export interface ContactSettings {
  /** How many days after today (Beijing) the effective date of a contact change may lie. */
  readonly maxFutureDays: number;
}

/** Reads `on`/`off` (also true/false, yes/no, 1/0). */
export function parseOnOff(text: string): boolean {
  const t = text.toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(t)) return true;
  if (['off', 'false', 'no', '0'].includes(t)) return false;
  throw new Error(`must be on or off, got "${text}"`);
}

/** Reads the console's default language: `zh` or `en`. */
export function parseConsoleLanguage(text: string): ConsoleLanguage {
  const t = text.toLowerCase();
  if (t === 'zh' || t === 'en') return t;
  throw new Error(`must be zh (Chinese) or en (English), got "${text}"`);
}
