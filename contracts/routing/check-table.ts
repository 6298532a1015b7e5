import { GatewayError } from '../errors/gateway-error';
import type { FieldType, FormDeclaration } from '../model/field-types';
import { declaredTypeAt } from './body-path';
import { isInstitutionPattern } from './institution-pattern';
import type { RoutingTable } from './route-declaration';

/** One problem of the routing table, with the path where it is. */
export interface TableProblem {
  readonly path: string;
  readonly message: string;
}

const ROUTE_KEYS = ['source', 'description', 'senders', 'when', 'to', 'cc', 'mayAlsoInclude', 'electronicOnly'];
const REQUIRED_ROUTE_KEYS = ['source', 'description', 'senders', 'to'];
const RULE_KEYS: Record<string, readonly string[]> = {
  institution: ['kind', 'code'],
  provinces: ['kind', 'field'],
  field: ['kind', 'field'],
  fact: ['kind', 'fact', 'field'],
  chosen: ['kind', 'patterns', 'minItems'],
};
/** The scalar kind each rule expects at its field. */
const FIELD_KINDS: Record<string, FieldType['kind']> = { provinces: 'province', field: 'institution' };
const FACT_FIELD_KINDS: Record<string, FieldType['kind']> = { 'domain-managers': 'domain', 'sample-reporters': 'md5', 'sender-of': 'message-id' };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

class TableChecker {
  readonly problems: TableProblem[] = [];

  constructor(private readonly forms: ReadonlyMap<string, FormDeclaration>) {}

  problem(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  keys(v: Record<string, unknown>, allowed: readonly string[], required: readonly string[], path: string): void {
    for (const k of Object.keys(v)) if (!allowed.includes(k)) this.problem(`${path}.${k}`, `unknown key (allowed: ${allowed.join(', ')})`);
    for (const k of required) if (v[k] === undefined) this.problem(`${path}.${k}`, 'is required');
  }

  patterns(v: unknown, path: string, nonEmpty: boolean): void {
    if (!Array.isArray(v) || (nonEmpty && v.length === 0)) {
      this.problem(path, nonEmpty ? 'must be a non-empty list of institution patterns' : 'must be a list of institution patterns');
      return;
    }
    v.forEach((p, i) => {
      if (typeof p !== 'string' || !isInstitutionPattern(p)) this.problem(`${path}[${i}]`, `${JSON.stringify(p)} is not an institution pattern (*, ca-*, op-*, dr-*, rr-* or an institution code)`);
    });
  }

  field(form: FormDeclaration, field: unknown, expected: FieldType['kind'] | undefined, path: string): FieldType | undefined {
    if (typeof field !== 'string' || field === '') {
      this.problem(path, 'must name a body field');
      return undefined;
    }
    const type = declaredTypeAt(form.body, field);
    if (type === undefined) this.problem(path, `${form.name} declares no body field ${field}`);
    else if (expected !== undefined && type.kind !== expected) this.problem(path, `${form.name}.${field} is of kind ${type.kind}, expected ${expected}`);
    return type;
  }

  rules(form: FormDeclaration, v: unknown, path: string, nonEmpty: boolean): void {
    if (!Array.isArray(v) || (nonEmpty && v.length === 0)) {
      this.problem(path, nonEmpty ? 'must be a non-empty list of recipient rules' : 'must be a list of recipient rules');
      return;
    }
    v.forEach((rule, i) => this.rule(form, rule, `${path}[${i}]`));
  }

  rule(form: FormDeclaration, rule: unknown, path: string): void {
    if (!isRecord(rule)) return this.problem(path, 'must be a recipient rule object');
    const allowed = typeof rule.kind === 'string' ? RULE_KEYS[rule.kind] : undefined;
    if (allowed === undefined) return this.problem(`${path}.kind`, `unknown recipient rule kind ${JSON.stringify(rule.kind)} (known: ${Object.keys(RULE_KEYS).join(', ')})`);
    this.keys(rule, allowed, allowed, path);
    switch (rule.kind) {
      case 'institution':
        if (typeof rule.code !== 'string' || !isInstitutionPattern(rule.code) || rule.code.endsWith('*')) this.problem(`${path}.code`, `${JSON.stringify(rule.code)} is not an institution code`);
        return;
      case 'provinces':
      case 'field':
        this.field(form, rule.field, FIELD_KINDS[rule.kind], `${path}.field`);
        return;
      case 'fact': {
        const kind = typeof rule.fact === 'string' ? FACT_FIELD_KINDS[rule.fact] : undefined;
        if (kind === undefined) this.problem(`${path}.fact`, `unknown fact ${JSON.stringify(rule.fact)} (known: ${Object.keys(FACT_FIELD_KINDS).join(', ')})`);
        this.field(form, rule.field, kind, `${path}.field`);
        return;
      }
      case 'chosen':
        this.patterns(rule.patterns, `${path}.patterns`, true);
        if (!Number.isInteger(rule.minItems) || (rule.minItems as number) < 0) this.problem(`${path}.minItems`, 'must be a whole number ≥ 0');
        return;
    }
  }

  route(form: FormDeclaration, route: unknown, path: string): void {
    if (!isRecord(route)) return this.problem(path, 'must be a route object');
    this.keys(route, ROUTE_KEYS, REQUIRED_ROUTE_KEYS, path);
    for (const k of ['source', 'description']) {
      if (route[k] !== undefined && (typeof route[k] !== 'string' || route[k] === '')) this.problem(`${path}.${k}`, 'must be non-empty text');
    }
    if (route.senders !== undefined) this.patterns(route.senders, `${path}.senders`, true);
    if (route.to !== undefined) this.rules(form, route.to, `${path}.to`, true);
    if (route.cc !== undefined) this.rules(form, route.cc, `${path}.cc`, false);
    if (route.mayAlsoInclude !== undefined) this.patterns(route.mayAlsoInclude, `${path}.mayAlsoInclude`, false);
    if (route.electronicOnly !== undefined && typeof route.electronicOnly !== 'boolean') this.problem(`${path}.electronicOnly`, 'must be true or false');
    if (route.when !== undefined) this.condition(form, route.when, `${path}.when`);
  }

  condition(form: FormDeclaration, when: unknown, path: string): void {
    if (!isRecord(when)) return this.problem(path, 'must be a condition { field, in }');
    this.keys(when, ['field', 'in'], ['field', 'in'], path);
    const type = this.field(form, when.field, 'enum', `${path}.field`);
    if (!Array.isArray(when.in) || when.in.length === 0) return this.problem(`${path}.in`, 'must be a non-empty list of values');
    if (type?.kind !== 'enum') return;
    when.in.forEach((v, i) => {
      if (typeof v !== 'string' || !type.values.includes(v)) this.problem(`${path}.in[${i}]`, `${JSON.stringify(v)} is not one of ${form.name}.${String(when.field)}'s values (${type.values.join(', ')})`);
    });
  }

  table(table: unknown): void {
    if (!isRecord(table)) return this.problem('routing', 'must be an object keyed by form name');
    for (const [name, routes] of Object.entries(table)) {
      const form = this.forms.get(name);
      if (form === undefined) {
        this.problem(`routing.${name}`, 'no declared form has this name');
        continue;
      }
      if (!Array.isArray(routes) || routes.length === 0) {
        this.problem(`routing.${name}`, 'must be a non-empty list of routes');
        continue;
      }
      routes.forEach((r, i) => this.route(form, r, `routing.${name}[${i}]`));
    }
    for (const name of this.forms.keys()) {
      if (!Object.hasOwn(table, name)) this.problem(`routing.${name}`, 'the form has no routes: every declared form needs at least one');
    }
  }
}

/** Every problem of `table` against the declared `forms`, all at once, each with its path. */
export function checkRoutingTable(table: unknown, forms: readonly FormDeclaration[]): TableProblem[] {
  const checker = new TableChecker(new Map(forms.map((f) => [f.name, f])));
  checker.table(table);
  return checker.problems;
}

/** Returns `table` as a RoutingTable when it has no problem; otherwise throws `routing.bad-table` listing every problem. */
export function loadRoutingTable(table: unknown, forms: readonly FormDeclaration[]): RoutingTable {
  const problems = checkRoutingTable(table, forms);
  if (problems.length > 0) {
    const lines = problems.map((p) => `${p.path}: ${p.message}`);
    throw new GatewayError('routing.bad-table', `the routing table has ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n${lines.join('\n')}`, { problems });
  }
  return table as RoutingTable;
}
