/** Options of validate; every list is configurable, with its default below. */
export interface ValidationOptions {
  /**
   * Operating-system codes of YD/T 2439-2012 malware names, with their meaning.
   * @defaultValue `a` Android, `s` Symbian
   */
  readonly malwareOs?: Readonly<Record<string, string>>;
  /**
   * Behaviour attributes of YD/T 2439-2012 malware names, with their Chinese names.
   * @defaultValue the eight classes payment … rogue
   */
  readonly malwareAttributes?: Readonly<Record<string, string>>;
  /**
   * Contract major versions this code accepts (`1` accepts 1.0, 1.1 …).
   * @defaultValue [1]
   */
  readonly acceptedMajorVersions?: readonly number[];
}

export type ResolvedValidationOptions = Required<ValidationOptions>;

/** The defaults of validation, in one place (rules.md, "Canonical malware names"). */
export const DEFAULT_VALIDATION_OPTIONS: ResolvedValidationOptions = {
  malwareOs: { a: 'Android', s: 'Symbian' },
  malwareAttributes: {
    payment: '恶意扣费',
    privacy: '信息窃取',
    remote: '远程控制',
    spread: '恶意传播',
    expense: '资费消耗',
    system: '系统破坏',
    fraud: '诱骗欺诈',
    rogue: '流氓行为',
  },
  acceptedMajorVersions: [1],
};

/** Fills missing options with the defaults. */
export function resolveOptions(options: ValidationOptions = {}): ResolvedValidationOptions {
  return { ...DEFAULT_VALIDATION_OPTIONS, ...options };
}
