import type { DueRule } from '../../contracts/obligations/due-rule';

const ordinal = (n: number): string => {
  const rem100 = n % 100;
  if (rem100 >= 11 && rem100 <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
};

/** One line of English saying what a rule means, for the CLI and messages. */
export function describeRule(rule: Exclude<DueRule, { kind: 'same-as' }>): string {
  const dflt = 'default' in rule && rule.default ? ' (gateway default)' : '';
  switch (rule.kind) {
    case 'hours':
      return `${rule.hours} h after the start, 24/7${dflt}`;
    case 'working-days':
      return `end of the ${ordinal(rule.days)} working day after the start day (24:00 Beijing time)${dflt}`;
    case 'calendar-days':
      return `${rule.days} days after the start${dflt}`;
    case 'monthly':
      return `end of the ${ordinal(rule.dayOfNextMonth)} calendar day of the next month (Beijing time); the clock starts at month end${dflt}`;
    case 'none':
      return `no deadline: ${rule.reason}`;
  }
}
