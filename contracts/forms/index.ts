import type { FormDeclaration } from '../model/field-types';
import { sampleReport } from './sample-report';

/** Every form and message of the mechanism, one file each in this folder. */
export const forms: readonly FormDeclaration[] = [sampleReport];

const byName = new Map(forms.map((f) => [f.name, f]));

/** The declaration of the form named `name`, or undefined. */
export function formByName(name: string): FormDeclaration | undefined {
  return byName.get(name);
}

export const formNames: readonly string[] = forms.map((f) => f.name);
