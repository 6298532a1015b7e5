/** Limits applied while reading a document, before and during parsing. */
export interface DecodeLimits {
  /**
   * Largest document accepted, in bytes of UTF-8.
   * @defaultValue 5 MiB
   */
  readonly maxBytes: number;
  /**
   * Deepest nesting accepted: XML elements, or JSON arrays and objects. The deepest form needs
   * about 8; the bound keeps recursion and parser stacks small.
   * @defaultValue 64
   */
  readonly maxDepth: number;
}

/** The defaults, in one place. */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = { maxBytes: 5 * 1024 * 1024, maxDepth: 64 };

/** Fills missing limits with the defaults. */
export function decodeLimits(partial: Partial<DecodeLimits> = {}): DecodeLimits {
  return { ...DEFAULT_DECODE_LIMITS, ...partial };
}
