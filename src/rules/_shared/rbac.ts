/**
 * What the RBAC rules share. Matching follows the authorizer (k8s.io/kubernetes
 * plugin/pkg/auth/authorizer/rbac): a rule grants a request when its apiGroups hold the group or
 * "*", its resources hold the resource, "*", or "*\/<subresource>", and its verbs hold the verb or "*".
 */
import { isObj, listOf, objAt, type Obj } from '../../engine/k8s/object.js';
import type { CheckResult } from '../../engine/rule.js';
import type { KubeObject } from '../../engine/types.js';

/** One resource a check is about, e.g. secrets in the core group or pods/exec. */
export interface ApiResource {
  group: string;
  resource: string;
}

const NO_RULES: readonly unknown[] = Object.freeze([]);

/**
 * The policy rules of a Role or ClusterRole. An aggregated ClusterRole (one with an
 * aggregationRule) has no rules of its own: the controller overwrites `rules` with the union of
 * the ClusterRoles its selectors pick, and those source roles are linted themselves.
 */
export function policyRules(object: KubeObject): readonly unknown[] {
  if (object.kind === 'ClusterRole' && isObj(object.aggregationRule)) return NO_RULES;
  return listOf(object.rules);
}

/** Is the rule narrowed to named objects (resourceNames)? */
export const hasNames = (rule: Obj): boolean => listOf(rule.resourceNames).length > 0;

export function groupGranted(rule: Obj, group: string): boolean {
  const groups = listOf(rule.apiGroups);
  return groups.includes(group) || groups.includes('*');
}

/** Does one `resources` item cover the resource (with its subresource, if any)? */
export function resourceItemCovers(item: string, resource: string): boolean {
  if (item === '*' || item === resource) return true;
  const slash = resource.indexOf('/');
  return slash > 0 && item.length > 2 && item.startsWith('*/') && item.slice(1) === resource.slice(slash);
}

/** The verbs among `wanted` that a rule grants ("*" grants them all). */
export function grantedVerbs(rule: Obj, wanted: readonly string[]): string[] {
  const verbs = listOf(rule.verbs);
  if (verbs.includes('*')) return [...wanted];
  return wanted.filter((v) => verbs.includes(v));
}

/**
 * For each item of `rule.resources` that grants one of `targets` (through a group the rule
 * lists), the targets it covers. Items are reported where they are written.
 */
function coveringItems(
  rule: Obj,
  targets: readonly ApiResource[],
): Array<{ index: number; item: string; covered: ApiResource[] }> {
  const out: Array<{ index: number; item: string; covered: ApiResource[] }> = [];
  const resources = listOf(rule.resources);
  for (let j = 0; j < resources.length; j++) {
    const item = resources[j];
    if (typeof item !== 'string') continue;
    let covered: ApiResource[] | undefined;
    for (const t of targets) {
      if (resourceItemCovers(item, t.resource) && groupGranted(rule, t.group)) (covered ??= []).push(t);
    }
    if (covered) out.push({ index: j, item, covered });
  }
  return out;
}

/** "secrets" or `"*" (which includes secrets)` for messages. */
function describeItem(item: string, covered: readonly ApiResource[]): string {
  const names = covered.map((c) => c.resource).join(', ');
  if (item === names) return item;
  return `"${item}" (which includes ${names})`;
}

/** "get, list" — or `"*" (get, list)` when a wildcard verb grants them. */
const verbText = (rule: Obj, verbs: readonly string[]): string =>
  listOf(rule.verbs).includes('*') ? `"*" (${verbs.join(', ')})` : verbs.join(', ');

/**
 * One finding per `resources` item of a Role's rules that grants `targets` with some verb:
 * `verbsOf(rule)` gives the verbs of interest a rule grants (none: the rule is skipped).
 */
export function grantsOn(
  object: KubeObject,
  targets: readonly ApiResource[],
  verbsOf: (rule: Obj) => string[],
): CheckResult[] {
  const rules = policyRules(object);
  const out: CheckResult[] = [];
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (!isObj(rule)) continue;
    const verbs = verbsOf(rule);
    if (verbs.length === 0) continue;
    for (const hit of coveringItems(rule, targets)) {
      out.push({
        path: `/rules/${i}/resources/${hit.index}`,
        data: { rule: i, verbs: verbText(rule, verbs), resource: describeItem(hit.item, hit.covered) },
      });
    }
  }
  return out;
}

/** `ClusterRole admin` — a binding's roleRef for messages. */
export function roleRefText(object: KubeObject): string {
  const ref = objAt(object, 'roleRef');
  const kind = ref?.kind;
  const name = ref?.name;
  return `${typeof kind === 'string' ? kind : 'role'} ${typeof name === 'string' ? name : '(unnamed)'}`;
}
