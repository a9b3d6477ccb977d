/**
 * Helpers the workload and traffic groups share (apps, batch, policy, autoscaling, networking):
 * non-negative fields, int-or-percent values, selectors against pod template labels, and the Go
 * struct rendering the API server prints for whole-object values.
 */
import { Issues, arr, isObj, obj, str, type Obj, type Path } from './issues.js';
import { pointerOf } from '../validate.js';
import {
  QUALIFIED_NAME_MSG,
  isQualifiedName,
  labelValueProblems,
  selectorMatches,
  validateLabelSelector,
} from './formats.js';

export const NON_NEGATIVE_MSG = 'must be greater than or equal to 0';

/** ValidateNonnegativeField for an optional number (absent or non-numeric values are skipped). */
export function nonNegative(value: unknown, path: Path, v: Issues): void {
  if (typeof value === 'number' && value < 0) v.invalid(path, value, NON_NEGATIVE_MSG);
}

export const PERCENT_MSG =
  "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')";
const PERCENT = /^[0-9]+%$/;

/** An intstr value: a number, or a string (a percent when it matches `[0-9]+%`). */
export type IntOrString = number | string;

export const intOrString = (v: unknown): IntOrString | undefined =>
  typeof v === 'number' || typeof v === 'string' ? v : undefined;

/** The percent of a valid percent string, or undefined. */
export function percentOf(v: IntOrString): number | undefined {
  return typeof v === 'string' && PERCENT.test(v) ? Number(v.slice(0, -1)) : undefined;
}

/** Go's getIntOrPercentValue: a percent's number, a number, or Atoi of the string (0 on error). */
export function intOrPercentValue(v: IntOrString): number {
  const p = percentOf(v);
  if (p !== undefined) return p;
  if (typeof v === 'number') return v;
  return /^[+-]?\d+$/.test(v) ? Number(v) : 0;
}

/** ValidatePositiveIntOrPercent: a string must be a percent, a number must be non-negative. */
export function positiveIntOrPercent(value: IntOrString | undefined, path: Path, v: Issues): void {
  if (value === undefined) return;
  if (typeof value === 'string') {
    if (!PERCENT.test(value)) v.invalid(path, value, PERCENT_MSG);
  } else nonNegative(value, path, v);
}

/** IsNotMoreThan100Percent. */
export function notMoreThan100Percent(value: IntOrString | undefined, path: Path, v: Issues): void {
  if (value === undefined) return;
  const p = percentOf(value);
  if (p !== undefined && p > 100) v.invalid(path, value, 'must not be greater than 100%');
}

/** A metav1.LabelSelector as Go's JSON encoding prints it (omitempty fields left out). */
export function selectorJson(selector: unknown): unknown {
  const s = obj(selector);
  if (s === undefined) return null;
  const out: Obj = {};
  const ml = obj(s.matchLabels);
  if (ml && Object.keys(ml).length > 0) out.matchLabels = ml;
  const me = arr(s.matchExpressions);
  if (me.length > 0)
    out.matchExpressions = me.map((e) => {
      const x = obj(e) ?? {};
      const r: Obj = { key: x.key ?? '', operator: x.operator ?? '' };
      if (arr(x.values).length > 0) r.values = x.values;
      return r;
    });
  return out;
}

/** Would metav1.LabelSelectorAsSelector convert this selector without an error? */
export function selectorConverts(selector: unknown): boolean {
  const s = obj(selector);
  if (s === undefined) return true;
  for (const [k, val] of Object.entries(obj(s.matchLabels) ?? {})) {
    if (!isQualifiedName(k)) return false;
    if (typeof val === 'string' && labelValueProblems(val).length > 0) return false;
  }
  for (const e of arr(s.matchExpressions)) {
    if (!isObj(e)) continue;
    const values = arr(e.values);
    const key = str(e.key) ?? '';
    if (!isQualifiedName(key)) return false;
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) return false;
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) return false;
        break;
      default:
        return false;
    }
    for (const val of values) if (typeof val === 'string' && labelValueProblems(val).length > 0) return false;
  }
  return true;
}

export interface SelectorRules {
  /** Word in "empty selector is invalid for <word>". */
  kindWord: string;
  /** A missing selector is "Required value" (Deployments, ReplicaSets, StatefulSets). */
  required: boolean;
}

/**
 * spec.selector of a controller and its pod template labels: required, valid, not empty, and
 * selecting the template (a missing selector selects nothing). Returns whether the selector converts.
 */
export function validateControllerSelector(spec: Obj, specPath: Path, v: Issues, rules: SelectorRules): void {
  const selPath = [...specPath, 'selector'];
  const selector = spec.selector;
  const sel = obj(selector);
  if (sel === undefined) {
    if (rules.required && (selector === undefined || selector === null)) v.required(selPath);
  } else {
    validateLabelSelector(sel, selPath, v);
    if (Object.keys(obj(sel.matchLabels) ?? {}).length + arr(sel.matchExpressions).length === 0)
      v.invalid(selPath, {}, `empty selector is invalid for ${rules.kindWord}`);
  }
  if (!selectorConverts(sel)) {
    v.invalid(selPath, selectorJson(sel), 'invalid label selector');
    return;
  }
  const template = obj(spec.template);
  if (template === undefined) return;
  // A nil selector selects nothing; an empty one selects everything (and is not compared).
  const labels = obj(obj(template.metadata)?.labels);
  if (sel !== undefined && Object.keys(selectorJson(sel) as Obj).length === 0) return;
  if (sel === undefined || !selectorMatches(sel, labels ?? {}))
    v.invalid(
      [...specPath, 'template', 'metadata', 'labels'],
      labels ?? null,
      '`selector` does not match template `labels`',
    );
}

/** activeDeadlineSeconds is not allowed in the pod templates of long-running controllers. */
export function forbidActiveDeadline(template: unknown, templatePath: Path, v: Issues, kind: string): void {
  const spec = obj(obj(template)?.spec);
  if (spec?.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null)
    v.forbidden(
      [...templatePath, 'spec', 'activeDeadlineSeconds'],
      `activeDeadlineSeconds in ${kind} is not Supported`,
    );
}

/** A finding whose readable path Issues cannot spell (Go's `resources[storage]`). */
export function addAt(v: Issues, path: Path, display: string, message: string): void {
  if (v.errors.length >= 100) return;
  v.errors.push({ path: pointerOf(path), message: `${display}: ${message}`, target: 'value' });
}

export const DNS1123_LABEL_FULL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
export const DNS1123_SUBDOMAIN_FULL_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

/** IsDNS1123Label with the API server's messages (length, then format). */
export function dns1123LabelProblems(s: string): string[] {
  const out: string[] = [];
  if (s.length > 63) out.push('must be no more than 63 characters');
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s)) out.push(DNS1123_LABEL_FULL_MSG);
  return out;
}

/** IsDNS1123Subdomain with the API server's messages. */
export function dns1123SubdomainProblems(s: string): string[] {
  const out: string[] = [];
  if (s.length > 253) out.push('must be no more than 253 characters');
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(s))
    out.push(DNS1123_SUBDOMAIN_FULL_MSG);
  return out;
}

const EXAMPLES: Readonly<Record<string, string>> = {
  [QUALIFIED_NAME_MSG]:
    " (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
};

/** A formats.ts message with the examples and regex the API server appends to it (once). */
export function withExamples(message: string): string {
  const suffix = EXAMPLES[message];
  return suffix === undefined || message.includes('(e.g.') ? message : message + suffix;
}

/** IsValidPathSegmentName's messages. */
export function pathSegmentProblems(s: string): string[] {
  if (s === '.') return ["may not be '.'"];
  if (s === '..') return ["may not be '..'"];
  const out: string[] = [];
  if (s.includes('/')) out.push("may not contain '/'");
  if (s.includes('%')) out.push("may not contain '%'");
  return out;
}
