import { GatewayError } from '../errors/gateway-error';
import { isInstitution } from '../validation/checks/institution';
import { valuesAt } from './body-path';
import { matchesAny } from './institution-pattern';
import type { RecipientRule, RouteDeclaration, RoutingFactName, RoutingTable } from './route-declaration';
import { routingTable } from './routing-table';

/** Facts the routing cannot read from a message; the gateway answers them from its records. */
export interface RoutingFacts {
  /** The dr-* and rr-* codes that manage `domain`; `[]` when none of the mechanism does (a foreign domain); undefined when not known. */
  domainManagers(domain: string): readonly string[] | undefined;
  /** The op-* codes that reported the sample with this MD5; `[]` for a sample nobody reported; undefined when not known. */
  sampleReporters(md5: string): readonly string[] | undefined;
  /** The sender (`from`) of the message with this id, or undefined when not known. */
  senderOf(messageId: string): string | undefined;
}

/** The parts of a decoded (and validated) message that routing reads. */
export interface RoutableMessage {
  readonly type: string;
  readonly from: string;
  readonly to?: readonly string[];
  readonly cc?: readonly string[];
  readonly body?: unknown;
}

/** What the routing table says of one message. */
export interface RoutingDecision {
  /** The sender may send this form (at this level); false also when the form has no routes. */
  readonly allowed: boolean;
  /** The route that applies, when the sender is allowed. */
  readonly route?: RouteDeclaration;
  /** The recipients the mechanism requires in `to` (报), without the sender itself. */
  readonly to: readonly string[];
  /** The recipients the mechanism requires in `cc` (抄报), without those already in `to`. */
  readonly cc: readonly string[];
  /** Patterns of further parties the sender may add. */
  readonly mayAlsoInclude: readonly string[];
  /** The form may travel only over the agreed electronic interface (Art. 10(2), level IV). */
  readonly electronicOnly: boolean;
  /** Why the message cannot be routed; empty when it can. */
  readonly errors: readonly GatewayError[];
}

const FACT_SENDERS: Record<RoutingFactName, readonly string[]> = {
  'domain-managers': ['dr-*', 'rr-*'],
  'sample-reporters': ['op-*'],
  'sender-of': ['*'],
};

const unique = (codes: readonly string[]): string[] => [...new Set(codes)];

function ask(facts: RoutingFacts, fact: RoutingFactName, value: string): readonly string[] | undefined {
  switch (fact) {
    case 'domain-managers':
      return facts.domainManagers(value);
    case 'sample-reporters':
      return facts.sampleReporters(value);
    case 'sender-of': {
      const sender = facts.senderOf(value);
      return sender === undefined ? undefined : [sender];
    }
  }
}

function describeRule(rule: RecipientRule): string {
  switch (rule.kind) {
    case 'institution':
      return rule.code;
    case 'provinces':
      return `the ca-NN of each province in ${rule.field}`;
    case 'field':
      return `the institution in ${rule.field}`;
    case 'fact':
      return `${rule.fact} of ${rule.field}`;
    case 'chosen':
      return `at least ${rule.minItems} of ${rule.patterns.join(', ')} named by the sender`;
  }
}

class Router {
  readonly errors: GatewayError[] = [];

  constructor(
    private readonly message: RoutableMessage,
    private readonly facts: RoutingFacts,
  ) {}

  /** The recipients `rules` yield; `named` is the envelope list a `chosen` rule draws from. */
  recipients(rules: readonly RecipientRule[], named: readonly string[], list: 'to' | 'cc', source: string): string[] {
    return rules.flatMap((rule) => this.recipientsOf(rule, named, list, source));
  }

  recipientsOf(rule: RecipientRule, named: readonly string[], list: 'to' | 'cc', source: string): string[] {
    const { type } = this.message;
    switch (rule.kind) {
      case 'institution':
        return [rule.code];
      case 'provinces':
        return this.strings(rule.field, source).map((p) => `ca-${p}`);
      case 'field':
        return this.strings(rule.field, source).filter((code) => {
          if (isInstitution(code)) return true;
          this.unresolved(`body.${rule.field}`, `${type}: ${JSON.stringify(code)} at body.${rule.field} is not an institution code`, source, {});
          return false;
        });
      case 'fact':
        return this.strings(rule.field, source).flatMap((value) => this.fact(rule.fact, rule.field, value, source));
      case 'chosen': {
        const chosen = named.filter((code) => matchesAny(code, rule.patterns));
        if (chosen.length < rule.minItems) {
          this.errors.push(
            new GatewayError('routing.no-recipient', `${type} must name in ${list} at least ${rule.minItems} of ${rule.patterns.join(', ')} (${source}); it names ${chosen.length}`, {
              path: list,
              article: source,
              form: type,
            }),
          );
        }
        return chosen;
      }
    }
  }

  strings(field: string, source: string): string[] {
    const values = valuesAt(this.message.body, field).filter((v): v is string => typeof v === 'string');
    if (values.length === 0) this.unresolved(`body.${field}`, `${this.message.type}: routing reads body.${field}, which is missing`, source, {});
    return values;
  }

  fact(fact: RoutingFactName, field: string, value: string, source: string): readonly string[] {
    const answer = ask(this.facts, fact, value);
    if (answer === undefined) {
      this.unresolved(`body.${field}`, `${this.message.type}: ${fact} of ${JSON.stringify(value)} is not known, so its recipients cannot be determined (${source})`, source, { fact, value });
      return [];
    }
    const bad = answer.filter((code) => !isInstitution(code) || !matchesAny(code, FACT_SENDERS[fact]));
    if (bad.length > 0) {
      this.unresolved(`body.${field}`, `${this.message.type}: ${fact} of ${JSON.stringify(value)} answered ${bad.join(', ')}, expected ${FACT_SENDERS[fact].join(' or ')}`, source, { fact, value });
    }
    return answer.filter((code) => !bad.includes(code));
  }

  unresolved(path: string, message: string, article: string, facts: Record<string, unknown>): void {
    this.errors.push(new GatewayError('routing.unresolved', message, { path, article, form: this.message.type, ...facts }));
  }
}

function conditionHolds(route: RouteDeclaration, body: unknown): boolean | undefined {
  if (route.when === undefined) return true;
  const values = valuesAt(body, route.when.field);
  if (values.length === 0) return undefined;
  return values.every((v) => typeof v === 'string' && route.when!.in.includes(v));
}

function refused(errors: GatewayError[]): RoutingDecision {
  return { allowed: false, to: [], cc: [], mayAlsoInclude: [], electronicOnly: false, errors };
}

/**
 * Routes a decoded message by the routing table: whether its sender may send its form (at its
 * level), and which recipients the mechanism requires in `to` and `cc`. Facts the message does
 * not carry (who manages a domain, who reported a sample) come from `facts`.
 */
export function route(message: RoutableMessage, facts: RoutingFacts, table: RoutingTable = routingTable): RoutingDecision {
  const { type, from, body } = message;
  const routes = Object.hasOwn(table, type) ? table[type] : undefined;
  if (routes === undefined) return refused([new GatewayError('routing.unknown-form', `no routes are declared for ${JSON.stringify(type)}`, { path: 'type', form: type })]);

  const forSender = routes.filter((r) => matchesAny(from, r.senders));
  if (forSender.length === 0) {
    const who = unique(routes.flatMap((r) => r.senders)).join(', ');
    const sources = unique(routes.map((r) => r.source)).join(', ');
    return refused([new GatewayError('routing.sender-not-allowed', `${from} may not send ${type} (${sources}): only ${who} may`, { path: 'from', article: sources, form: type, from })]);
  }
  const chosen = forSender.find((r) => conditionHolds(r, body) === true);
  if (chosen === undefined) {
    const unknown = forSender.find((r) => conditionHolds(r, body) === undefined);
    if (unknown?.when !== undefined) {
      return refused([new GatewayError('routing.unresolved', `${type}: routing reads body.${unknown.when.field}, which is missing`, { path: `body.${unknown.when.field}`, article: unknown.source, form: type })]);
    }
    const field = forSender[0]?.when?.field ?? '';
    const got = valuesAt(body, field).map(String).join(', ');
    const allowedWhen = forSender.map((r) => `${r.when?.field} ${r.when?.in.join('/')} (${r.source})`).join('; ');
    return refused([
      new GatewayError('routing.sender-not-allowed', `${from} may send ${type} only when ${allowedWhen}; got ${field} ${got}`, {
        path: `body.${field}`,
        article: forSender.map((r) => r.source).join(', '),
        form: type,
        from,
      }),
    ]);
  }

  const router = new Router(message, facts);
  const notSender = (code: string) => code !== from;
  const to = unique(router.recipients(chosen.to, message.to ?? [], 'to', chosen.source)).filter(notSender);
  const cc = unique(router.recipients(chosen.cc ?? [], message.cc ?? [], 'cc', chosen.source)).filter((c) => notSender(c) && !to.includes(c));
  if (to.length === 0 && router.errors.length === 0) {
    router.errors.push(
      new GatewayError('routing.no-recipient', `${type} from ${from} has nobody to go to: ${chosen.to.map(describeRule).join(', ')} yields no one but the sender (${chosen.source})`, {
        path: 'to',
        article: chosen.source,
        form: type,
      }),
    );
  }
  return { allowed: true, route: chosen, to, cc, mayAlsoInclude: chosen.mayAlsoInclude ?? [], electronicOnly: chosen.electronicOnly === true, errors: router.errors };
}

/**
 * Compares the envelope's `to` and `cc` with a routing decision: every required recipient in
 * its list, and nobody the route does not allow (nor the sender itself). All problems at once.
 */
export function checkAddressing(message: RoutableMessage, decision: RoutingDecision): GatewayError[] {
  const route = decision.route;
  if (!decision.allowed || route === undefined) return [];
  const { type, from } = message;
  const to = message.to ?? [];
  const cc = message.cc ?? [];
  const article = route.source;
  const errors: GatewayError[] = [];
  for (const r of decision.to) {
    if (!to.includes(r)) {
      const where = cc.includes(r) ? ', not copied in cc' : '';
      errors.push(new GatewayError('routing.missing-recipient', `${type} from ${from} must be addressed to ${r} in to (报)${where} (${article})`, { path: 'to', article, form: type, recipient: r }));
    }
  }
  for (const r of decision.cc) {
    if (!cc.includes(r)) {
      const where = to.includes(r) ? ', not in to' : '';
      errors.push(new GatewayError('routing.missing-recipient', `${type} from ${from} must copy ${r} in cc (抄报)${where} (${article})`, { path: 'cc', article, form: type, recipient: r }));
    }
  }
  const required = new Set([...decision.to, ...decision.cc]);
  for (const [list, codes] of [['to', to], ['cc', cc]] as const) {
    codes.forEach((code, i) => {
      if (code === from) {
        errors.push(new GatewayError('routing.recipient-not-allowed', `${type}: the sender ${from} does not address itself`, { path: `${list}[${i}]`, article, form: type, recipient: code }));
      } else if (!required.has(code) && !matchesAny(code, decision.mayAlsoInclude)) {
        const also = decision.mayAlsoInclude.length > 0 ? `; it may also include ${decision.mayAlsoInclude.join(', ')}` : '';
        errors.push(
          new GatewayError('routing.recipient-not-allowed', `${type} from ${from} may not go to ${code}: ${route.description} (${article})${also}`, {
            path: `${list}[${i}]`,
            article,
            form: type,
            recipient: code,
          }),
        );
      }
    });
  }
  return errors;
}

/** `route` and `checkAddressing` together: the decision and every routing error of the message. */
export function checkRouting(message: RoutableMessage, facts: RoutingFacts, table: RoutingTable = routingTable): { decision: RoutingDecision; errors: GatewayError[] } {
  const decision = route(message, facts, table);
  return { decision, errors: [...decision.errors, ...checkAddressing(message, decision)] };
}
