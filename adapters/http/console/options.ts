import type { DataSource } from 'typeorm';
import type { Clock } from '../../../gateway/clock';
import type { ContactOptions } from '../../../gateway/contacts';
import type { GatewayIdentity } from '../../../gateway/identity';
import type { CoreHooks } from '../../../gateway/obligations';
import { CONSOLE_DEFAULTS, DEFAULT_CONSOLE_LANGUAGE, type ConsoleLanguage } from '../../../gateway/config/console-settings';

/** What the console is built from. */
export interface ConsoleOptions {
  readonly dataSource: DataSource;
  readonly clock: Clock;
  /** The gateway's credential: it signs what the console records on an institution's behalf (a ContactUpdate) and the Receipt. */
  readonly identity: GatewayIdentity;
  /** The obligations hooks of intake: a ContactUpdate entered in the console meets `contact-change` like a signed one. */
  readonly hooks: CoreHooks;
  /** How contact changes are checked and timed (the future bound of the effective date, the calendar). */
  readonly contacts?: ContactOptions;
  /**
   * Wrong passwords in a row that lock an account.
   * @defaultValue 5
   */
  readonly maxFailedSignIns?: number;
  /**
   * How long a locked account stays locked, in minutes.
   * @defaultValue 15
   */
  readonly lockoutMinutes?: number;
  /**
   * How long a session lasts from sign-in, in minutes.
   * @defaultValue 480
   */
  readonly sessionMinutes?: number;
  /**
   * How far ahead the obligations page counts an open obligation as "due soon", in hours.
   * @defaultValue 48
   */
  readonly dueSoonHours?: number;
  /**
   * The largest multipart form (a page with a file input) the console reads, in bytes; larger
   * ones get 413 and change nothing.
   * @defaultValue 20971520 (20 MiB)
   */
  readonly maxUploadBytes?: number;
  /**
   * Failed sign-ins (any account) from one client address within `addressWindowMinutes` after
   * which that address is answered 429 until the window has passed (beyond the per-account lock-out).
   * @defaultValue 20
   */
  readonly maxFailedSignInsPerAddress?: number;
  /**
   * The window of the per-address count of failed sign-ins, in minutes.
   * @defaultValue 15
   */
  readonly addressWindowMinutes?: number;
  /**
   * The language of a browser that has not chosen one (`?lang=`).
   * @defaultValue 'zh'
   */
  readonly language?: ConsoleLanguage;
  /**
   * The headless Chromium that renders the PDF of a printed form (`/console/messages/:id/print.pdf`);
   * without it that route answers 503 `console.pdf-unavailable`.
   * @defaultValue '/usr/bin/chromium' (DEFAULT_CHROMIUM_PATH of adapters/print)
   */
  readonly chromiumPath?: string;
  /** Where unexpected errors are logged. @defaultValue console.error */
  readonly log?: (line: string) => void;
}

/** The defaults of ConsoleOptions, written once: the gateway's configuration declares them (gateway/config/console-settings.ts, MMGW_CONSOLE_…). */
export const DEFAULT_CONSOLE_OPTIONS = CONSOLE_DEFAULTS;

/** ConsoleOptions with every default filled in. */
export type ResolvedConsoleOptions = ConsoleOptions & { -readonly [K in keyof typeof DEFAULT_CONSOLE_OPTIONS]: number } & { language: ConsoleLanguage };

export function resolveConsoleOptions(o: ConsoleOptions): ResolvedConsoleOptions {
  return {
    ...o,
    maxFailedSignIns: o.maxFailedSignIns ?? DEFAULT_CONSOLE_OPTIONS.maxFailedSignIns,
    lockoutMinutes: o.lockoutMinutes ?? DEFAULT_CONSOLE_OPTIONS.lockoutMinutes,
    sessionMinutes: o.sessionMinutes ?? DEFAULT_CONSOLE_OPTIONS.sessionMinutes,
    dueSoonHours: o.dueSoonHours ?? DEFAULT_CONSOLE_OPTIONS.dueSoonHours,
    maxUploadBytes: o.maxUploadBytes ?? DEFAULT_CONSOLE_OPTIONS.maxUploadBytes,
    maxFailedSignInsPerAddress: o.maxFailedSignInsPerAddress ?? DEFAULT_CONSOLE_OPTIONS.maxFailedSignInsPerAddress,
    addressWindowMinutes: o.addressWindowMinutes ?? DEFAULT_CONSOLE_OPTIONS.addressWindowMinutes,
    language: o.language ?? DEFAULT_CONSOLE_LANGUAGE,
  };
}
