/**
 * ObjectMeta as apimachinery's ValidateObjectMeta checks it, with the per-kind name rule
 * (`NAME_RULES`). Kinds not in the table use DNS-1123 subdomain names, the API server's default.
 */
import { Issues, obj, str, type Obj, type ValidatorTable } from './issues.js';
import { isDns1123Subdomain, DNS1123_SUBDOMAIN_MSG, validateAnnotations, validateLabels } from './formats.js';

/** How a kind's name is validated. */
export type NameRule = (name: string) => string | undefined;

export const subdomain: NameRule = (n) => (isDns1123Subdomain(n) ? undefined : DNS1123_SUBDOMAIN_MSG);

/** `group/Kind` → name rule; everything else is a subdomain. */
export const NAME_RULES: Record<string, NameRule> = {};

/** Kind-specific checks owned by this module (filled by the metadata work). */
export const META_VALIDATORS: ValidatorTable = {};

export function validateObjectMeta(object: Obj, key: string, v: Issues): void {
  const meta = obj(object.metadata);
  if (meta === undefined) return;
  const name = str(meta.name);
  const rule = NAME_RULES[key] ?? subdomain;
  if (name !== undefined && name !== '') {
    const problem = rule(name);
    if (problem) v.invalid(['metadata', 'name'], name, problem);
  }
  validateLabels(meta.labels, ['metadata', 'labels'], v);
  validateAnnotations(meta.annotations, ['metadata', 'annotations'], v);
}
