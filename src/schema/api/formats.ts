/**
 * The string formats apimachinery's `validation` package checks (names, label keys, ports, IPs, …),
 * with its limits and its messages. Each `is*` returns true when valid; each `*_MSG` is the
 * API server's wording for a violation.
 */
import { QUANTITY_DECODED, displayPath, pointerOf } from '../validate.js';
import { Issues, arr, isObj, obj, str, type Path } from './issues.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
const IANA_SVC_NAME = /^[-a-z0-9]+$/;
const HAS_LETTER = /[a-z]/;

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;
export const QUALIFIED_NAME_MAX = 63;
export const LABEL_VALUE_MAX = 63;
/** Total size of all annotation keys and values (apimachinery TotalAnnotationSizeLimitB). */
export const TOTAL_ANNOTATION_SIZE = 256 * 1024;

export const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
export const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
export const DNS1035_LABEL_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
/** The message for a qualified name (label key, finalizer, resource name) of more than two parts. */
export const LABEL_KEY_MSG =
  "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character with an optional DNS subdomain prefix and '/'";
export const QUALIFIED_NAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
export const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

export const isDns1123Label = (s: string): boolean => s.length <= DNS1123_LABEL_MAX && DNS1123_LABEL.test(s);
export const isDns1123Subdomain = (s: string): boolean =>
  s.length <= DNS1123_SUBDOMAIN_MAX && DNS1123_SUBDOMAIN.test(s);
export const isDns1035Label = (s: string): boolean => s.length <= DNS1123_LABEL_MAX && DNS1035_LABEL.test(s);
/** IsDNS1123Label's problems: too long, and "must not contain dots" for a subdomain that is no label. */
export function dns1123LabelProblems(s: string): string[] {
  const out: string[] = [];
  if (s.length > DNS1123_LABEL_MAX) out.push(`must be no more than ${DNS1123_LABEL_MAX} characters`);
  if (!DNS1123_LABEL.test(s))
    out.push(DNS1123_SUBDOMAIN.test(s) ? 'must not contain dots' : DNS1123_LABEL_MSG);
  return out;
}

/** IsDNS1123Subdomain's problems (`unit`: declaratively validated kinds say "bytes"). */
export function dns1123SubdomainProblems(s: string, unit: 'characters' | 'bytes' = 'characters'): string[] {
  const out: string[] = [];
  if (s.length > DNS1123_SUBDOMAIN_MAX) out.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX} ${unit}`);
  if (!DNS1123_SUBDOMAIN.test(s)) out.push(DNS1123_SUBDOMAIN_MSG);
  return out;
}

/** IsDNS1035Label's problems. */
export function dns1035LabelProblems(s: string): string[] {
  const out: string[] = [];
  if (s.length > DNS1123_LABEL_MAX) out.push(`must be no more than ${DNS1123_LABEL_MAX} characters`);
  if (!DNS1035_LABEL.test(s)) out.push(DNS1035_LABEL_MSG);
  return out;
}

/** A name that is one URL path segment (ValidatePathSegmentName); a prefix may still be '.' or '..'. */
export function pathSegmentProblems(s: string, prefix = false): string[] {
  if (!prefix && (s === '.' || s === '..')) return [`may not be '${s}'`];
  const out: string[] = [];
  for (const bad of ['/', '%']) if (s.includes(bad)) out.push(`may not contain '${bad}'`);
  return out;
}

export const isCIdentifier = (s: string): boolean => C_IDENTIFIER.test(s);
export const isConfigMapKey = (s: string): boolean =>
  s.length <= DNS1123_SUBDOMAIN_MAX &&
  CONFIG_MAP_KEY.test(s) &&
  s !== '.' &&
  s !== '..' &&
  !s.startsWith('..');

/** Problems of a qualified name (`prefix/name` with a DNS subdomain prefix), [] when valid. */
export function qualifiedNameProblems(s: string): string[] {
  const parts = s.split('/');
  let name = s;
  const out: string[] = [];
  if (parts.length === 2) {
    const [prefix, n] = parts as [string, string];
    name = n;
    if (prefix.length === 0) out.push('prefix part must be non-empty');
    else {
      if (prefix.length > DNS1123_SUBDOMAIN_MAX)
        out.push(`prefix part must be no more than ${DNS1123_SUBDOMAIN_MAX} bytes`);
      if (!DNS1123_SUBDOMAIN.test(prefix)) out.push(`prefix part ${DNS1123_SUBDOMAIN_MSG}`);
    }
  } else if (parts.length > 2) {
    return [LABEL_KEY_MSG];
  }
  if (name.length === 0) out.push('name part must be non-empty');
  else if (name.length > QUALIFIED_NAME_MAX)
    out.push(`name part must be no more than ${QUALIFIED_NAME_MAX} bytes`);
  if (!QUALIFIED_NAME.test(name)) out.push(QUALIFIED_NAME_MSG);
  return out;
}

export const isQualifiedName = (s: string): boolean => qualifiedNameProblems(s).length === 0;

export function labelValueProblems(s: string): string[] {
  const out: string[] = [];
  if (s.length > LABEL_VALUE_MAX) out.push(`must be no more than ${LABEL_VALUE_MAX} bytes`);
  if (!LABEL_VALUE.test(s)) out.push(LABEL_VALUE_MSG);
  return out;
}

/** A port number, 1–65535. */
export const isPortNum = (n: unknown): boolean =>
  typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;

/** An IANA_SVC_NAME (named port): ≤ 15 lowercase letters, digits and '-', a letter, no '--' or edge '-'. */
export function portNameProblems(s: string): string[] {
  const out: string[] = [];
  if (s.length > 15) out.push('must be no more than 15 characters');
  if (!IANA_SVC_NAME.test(s))
    out.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (s.includes('--')) out.push('must not contain consecutive hyphens');
  if (s.length > 0 && (s.startsWith('-') || s.endsWith('-'))) out.push('must not begin or end with a hyphen');
  if (!HAS_LETTER.test(s)) out.push('must contain at least one letter (a-z)');
  return out;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** An IPv4 or IPv6 address as Go's netip parser accepts it (no leading zeros in IPv4, no zone). */
export function isIP(s: string): boolean {
  if (IPV4.test(s)) return true;
  return isIPv6(s);
}

function isIPv6(s: string): boolean {
  if (!s.includes(':') || s.includes('%')) return false;
  let head = s;
  let v4tail = false;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (!IPV4.test(tail)) return false;
    head = s.slice(0, lastColon + 1) + '0:0';
    v4tail = true;
  }
  void v4tail;
  const dbl = head.split('::');
  if (dbl.length > 2) return false;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(dbl[0]!);
  const right = dbl.length === 2 ? groups(dbl[1]!) : [];
  const all = [...left, ...right];
  if (!all.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  return dbl.length === 2 ? all.length <= 7 : all.length === 8;
}

/**
 * An `Invalid value` finding located at `at` (a map key or list item) whose message names the
 * field `shown`, as the API server does for map keys and list items (`metadata.labels: …`).
 */
export function invalidIn(
  v: Issues,
  at: Path,
  shown: Path | string,
  value: unknown,
  detail: string,
  target: 'key' | 'value' = 'value',
): void {
  const s = v.show(value, at);
  addNamed(v, at, shown, `Invalid value: ${s === '' ? '' : `${s}: `}${detail}`, target);
}

/** A finding located at `at` whose message names the field `shown` (a path, or text such as `data[k]`). */
export function addNamed(
  v: Issues,
  at: Path,
  shown: Path | string,
  message: string,
  target: 'key' | 'value' = 'value',
): void {
  if (v.errors.length >= 100) return;
  v.errors.push({
    path: pointerOf(at),
    message: `${typeof shown === 'string' ? shown : displayPath(shown)}: ${message}`,
    target,
  });
}

/** Problems of a ConfigMap or Secret data key (IsConfigMapKey). */
export function configMapKeyProblems(k: string): string[] {
  const out: string[] = [];
  if (k.length > DNS1123_SUBDOMAIN_MAX) out.push(`must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`);
  if (!CONFIG_MAP_KEY.test(k))
    out.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.'");
  if (k === '.') out.push("must not be '.'");
  else if (k === '..') out.push("must not be '..'");
  else if (k.startsWith('..')) out.push("must not start with '..'");
  return out;
}

/** Labels: qualified-name keys, label values (ValidateLabels); the messages name the map. */
export function validateLabels(labels: unknown, path: Path, v: Issues, shown: Path = path): void {
  const m = obj(labels);
  if (m === undefined) return;
  for (const [k, val] of Object.entries(m)) {
    for (const p of qualifiedNameProblems(k)) invalidIn(v, [...path, k], shown, k, p, 'key');
    if (typeof val === 'string')
      for (const p of labelValueProblems(val)) invalidIn(v, [...path, k], shown, val, p);
  }
}

/** Annotations: qualified-name keys (lower-cased, as the API server checks), total size ≤ 256 KiB. */
export function validateAnnotations(annotations: unknown, path: Path, v: Issues, shown: Path = path): void {
  const m = obj(annotations);
  if (m === undefined) return;
  let size = 0;
  for (const [k, val] of Object.entries(m)) {
    for (const p of qualifiedNameProblems(k.toLowerCase())) invalidIn(v, [...path, k], shown, k, p, 'key');
    size += Buffer.byteLength(k) + (typeof val === 'string' ? Buffer.byteLength(val) : 0);
  }
  if (size > TOTAL_ANNOTATION_SIZE)
    addNamed(v, path, shown, `Too long: may not be more than ${TOTAL_ANNOTATION_SIZE} bytes`, 'key');
}

const SELECTOR_OPS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/** A metav1.LabelSelector (ValidateLabelSelector): matchLabels and matchExpressions. */
export function validateLabelSelector(selector: unknown, path: Path, v: Issues): void {
  const sel = obj(selector);
  if (sel === undefined) return;
  validateLabels(sel.matchLabels, [...path, 'matchLabels'], v);
  arr(sel.matchExpressions).forEach((e, i) => {
    if (!isObj(e)) return;
    const at = [...path, 'matchExpressions', i];
    const op = str(e.operator);
    const values = arr(e.values);
    if (op === 'In' || op === 'NotIn') {
      if (values.length === 0)
        v.required([...at, 'values'], "must be specified when `operator` is 'In' or 'NotIn'");
    } else if (op === 'Exists' || op === 'DoesNotExist') {
      if (values.length > 0)
        v.forbidden([...at, 'values'], "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
    } else if (op !== undefined) v.notSupported([...at, 'operator'], op, SELECTOR_OPS);
    const key = str(e.key);
    if (key !== undefined) for (const p of qualifiedNameProblems(key)) v.invalid([...at, 'key'], key, p);
    values.forEach((val, j) => {
      if (typeof val === 'string')
        for (const p of labelValueProblems(val)) v.invalid([...at, 'values', j], val, p);
    });
  });
}

/** Does a LabelSelector (matchLabels + matchExpressions) select these labels? Empty selects all. */
export function selectorMatches(selector: unknown, labels: unknown): boolean {
  const sel = obj(selector);
  if (sel === undefined) return false;
  const l = obj(labels) ?? {};
  for (const [k, val] of Object.entries(obj(sel.matchLabels) ?? {})) if (l[k] !== val) return false;
  for (const e of arr(sel.matchExpressions)) {
    if (!isObj(e)) continue;
    const key = str(e.key) ?? '';
    const has = Object.prototype.hasOwnProperty.call(l, key);
    const values = arr(e.values);
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(l[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(l[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** resource.Quantity strings ("500m", "1Gi", "1e3") as numbers, enough to compare and sign-check them. */
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const SUFFIX: Readonly<Record<string, number>> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/**
 * A quantity as the API server stores it: null and digit-less strings ("m", "Ki", "e3") decode to 0,
 * blanks around a number are trimmed. `shown` is how its messages print the stored value.
 */
export function decodedQuantity(q: unknown): { value: number; shown: string } | undefined {
  if (q === null) return { value: 0, shown: '0' };
  if (typeof q === 'number') return Number.isFinite(q) ? { value: q, shown: String(q) } : undefined;
  if (typeof q !== 'string') return undefined;
  let t = q;
  if (!QUANTITY.test(q) && q.trim() !== '' && QUANTITY_DECODED.test(q)) {
    t = q.trim();
    // Digits only in an exponent suffix ("e3") are no number either: the decoder stores 0.
    if (!/^[+-]?\.?\d/.test(t)) return { value: 0, shown: '0' };
  }
  const n = parseQuantity(t);
  return n === undefined ? undefined : { value: n, shown: t };
}

export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (typeof q !== 'string') return undefined;
  const m = QUANTITY.exec(q);
  if (!m) return undefined;
  const base = Number(m[1]);
  const suffix = m[2];
  if (suffix === undefined) return base;
  const mult = SUFFIX[suffix];
  return mult !== undefined ? base * mult : base * 10 ** Number(suffix.slice(1));
}
