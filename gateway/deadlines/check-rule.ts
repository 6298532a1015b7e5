import { GatewayError } from '../../contracts/errors/gateway-error';
import type { DueRule } from '../../contracts/obligations/due-rule';

/** Checks a configured rule: a known kind with a positive count (`deadline.bad-rule`). */
export function checkRule(rule: DueRule, where: string): DueRule {
  const bad = (why: string): never => {
    throw new GatewayError('deadline.bad-rule', `${where}: ${why}`, { rule });
  };
  switch (rule.kind) {
    case 'hours':
      if (!(Number.isFinite(rule.hours) && rule.hours > 0)) bad(`hours must be a positive number, got ${rule.hours}`);
      break;
    case 'working-days':
    case 'calendar-days':
      if (!(Number.isInteger(rule.days) && rule.days > 0)) bad(`days must be a positive integer, got ${rule.days}`);
      break;
    case 'monthly':
      if (!(Number.isInteger(rule.dayOfNextMonth) && rule.dayOfNextMonth >= 1 && rule.dayOfNextMonth <= 28)) bad(`dayOfNextMonth must be an integer 1–28, got ${rule.dayOfNextMonth}`);
      break;
    case 'none':
    case 'same-as':
      break;
    default:
      bad(`unknown rule kind ${JSON.stringify((rule as { kind?: unknown }).kind)} (valid: hours, working-days, calendar-days, monthly, none, same-as)`);
  }
  return rule;
}
