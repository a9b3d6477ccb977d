/**
 * Label selectors: the one matcher of the project. Two spellings exist in the API — the plain
 * `key: value` map (Service, ReplicationController) and metav1.LabelSelector (`matchLabels` plus
 * `matchExpressions`, everywhere else) — and both parse into {@link Selector}.
 * https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
 *
 * Label values are compared as text: labels are strings, but a manifest's YAML may have typed one
 * as a number or boolean (`version: 2`), and such a label still means "2". A null or missing label
 * is absent.
 */
import { isObj, listOf, type Obj } from './object.js';

/** One set-based requirement of a `matchExpressions` list. */
export interface Requirement {
  key: string;
  op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values: readonly string[];
}

/** A selector in one normalized form: equality pairs plus set-based requirements. */
export interface Selector {
  equal: Array<[string, string]>;
  exprs: Requirement[];
  /**
   * Some requirement cannot be evaluated (not an object, no string key, unknown operator). The API
   * server rejects such a selector; callers decide what it means (match nothing, or stay silent).
   */
  invalid: boolean;
}

/** A label value (or selector value) as text. */
export const labelText = (v: unknown): string =>
  typeof v === 'string'
    ? v
    : typeof v === 'number' || typeof v === 'boolean'
      ? String(v)
      : (JSON.stringify(v) ?? '');

/** A plain map selector (`spec.selector` of a Service or ReplicationController). */
export function mapSelector(m: Obj): Selector {
  const equal: Array<[string, string]> = [];
  for (const k in m) equal.push([k, labelText(m[k])]);
  return { equal, exprs: [], invalid: false };
}

/** One `matchExpressions` item, or undefined when it cannot be evaluated. */
export function parseRequirement(e: unknown): Requirement | undefined {
  if (!isObj(e) || typeof e.key !== 'string') return undefined;
  const op = e.operator;
  if (op !== 'In' && op !== 'NotIn' && op !== 'Exists' && op !== 'DoesNotExist') return undefined;
  return { key: e.key, op, values: listOf(e.values).map(labelText) };
}

/** A metav1.LabelSelector (`matchLabels` + `matchExpressions`). */
export function labelSelector(s: Obj): Selector {
  const sel = isObj(s.matchLabels) ? mapSelector(s.matchLabels) : { equal: [], exprs: [], invalid: false };
  for (const e of listOf(s.matchExpressions)) {
    const r = parseRequirement(e);
    if (r) sel.exprs.push(r);
    else sel.invalid = true;
  }
  return sel;
}

/** Does a selector have no requirement at all (it then selects everything)? */
export const isEmptySelector = (s: Selector): boolean =>
  s.equal.length === 0 && s.exprs.length === 0 && !s.invalid;

const present = (v: unknown): boolean => v !== undefined && v !== null;

/**
 * Does one requirement select `labels`? With `assumed`, a label in that set that the labels lack
 * counts as satisfying any requirement on it (labels a controller adds with values not known here).
 */
export function requirementMatches(
  r: Requirement,
  labels: Obj | undefined,
  assumed?: ReadonlySet<string>,
): boolean {
  const have = labels?.[r.key];
  const has = present(have);
  if (!has && assumed?.has(r.key)) return true;
  switch (r.op) {
    case 'In':
      return has && r.values.includes(labelText(have));
    case 'NotIn':
      return !has || !r.values.includes(labelText(have));
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

/**
 * Does the selector select `labels`? An empty selector selects everything; an invalid one nothing.
 * `assumed`: see {@link requirementMatches}.
 */
export function matches(s: Selector, labels: Obj | undefined, assumed?: ReadonlySet<string>): boolean {
  if (s.invalid) return false;
  for (const [k, v] of s.equal) {
    const have = labels?.[k];
    if (!present(have)) {
      if (!assumed?.has(k)) return false;
    } else if (labelText(have) !== v) return false;
  }
  for (const r of s.exprs) if (!requirementMatches(r, labels, assumed)) return false;
  return true;
}

/**
 * metav1.LabelSelector semantics on a raw selector value: an empty selector matches everything; a
 * missing (non-object) or invalid one matches nothing.
 */
export function selectorMatches(selector: unknown, labels: Obj | undefined): boolean {
  return isObj(selector) && matches(labelSelector(selector), labels);
}

/** `a=b, c in (d,e)`: a selector as kubectl writes it, for messages. */
export function describeSelector(s: Selector): string {
  const parts = s.equal.map(([k, v]) => `${k}=${v}`);
  for (const r of s.exprs) {
    if (r.op === 'Exists') parts.push(r.key);
    else if (r.op === 'DoesNotExist') parts.push(`!${r.key}`);
    else parts.push(`${r.key} ${r.op === 'In' ? 'in' : 'notin'} (${r.values.join(',')})`);
  }
  return parts.join(', ');
}
