import type { CrossRule, ObjectType } from '../model/field-types';
import { joinPath, type ContractError } from './contract-error';

/** Whether a value counts as given for a cross rule: present and not empty. */
export function isGiven(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

function checkRule(rule: CrossRule, value: Readonly<Record<string, unknown>>, type: ObjectType, path: string): ContractError | undefined {
  switch (rule.rule) {
    case 'required-when-any': {
      const given = rule.when.filter((w) => isGiven(value[w]));
      if (given.length === 0 || value[rule.field] !== undefined) return undefined;
      const field = type.fields[rule.field];
      const name = field ? `${field.labelEn} (${field.label})` : rule.field;
      return {
        code: 'contract.required-when',
        path: joinPath(path, rule.field),
        message: `${name} is required because ${given.join(', ')} ${given.length > 1 ? 'are' : 'is'} given: ${rule.message}`,
        source: rule.source,
      };
    }
  }
}

/** The errors of an object's declared cross-field rules. */
export function checkCrossRules(value: Readonly<Record<string, unknown>>, type: ObjectType, path: string): ContractError[] {
  return (type.rules ?? []).map((r) => checkRule(r, value, type, path)).filter((e): e is ContractError => e !== undefined);
}
