/** The event levels of Art. 8, most serious first. */
export const EVENT_LEVELS = ['I', 'II', 'III', 'IV'] as const;

/** An event level of Art. 8: I 特别重大, II 重大, III 较大, IV 一般. */
export type EventLevel = (typeof EVENT_LEVELS)[number];

/** The Chinese and English names of each level. */
export const EVENT_LEVEL_NAMES: Readonly<Record<EventLevel, { zh: string; en: string }>> = {
  I: { zh: '特别重大', en: 'extraordinarily serious' },
  II: { zh: '重大', en: 'serious' },
  III: { zh: '较大', en: 'relatively serious' },
  IV: { zh: '一般', en: 'general' },
};

/** True when `value` is one of I, II, III, IV. */
export function isEventLevel(value: unknown): value is EventLevel {
  return typeof value === 'string' && (EVENT_LEVELS as readonly string[]).includes(value);
}

/** Rank for comparisons: I = 4 (most serious) … IV = 1. */
export function levelRank(level: EventLevel): number {
  return EVENT_LEVELS.length - EVENT_LEVELS.indexOf(level);
}
