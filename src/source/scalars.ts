// YAML 1.1 plain-scalar resolution as Kubernetes tooling applies it, shared by the fast path and the yaml fallback.
import type { ScalarTag, Tags } from 'yaml';

/*
 * Kubernetes decodes YAML with go-yaml v2 (via sigs.k8s.io/yaml), which resolves plain scalars with
 * YAML 1.1 rules: https://yaml.org/type/bool.html, https://yaml.org/type/int.html,
 * https://yaml.org/type/float.html. Timestamps and sexagesimal numbers stay strings (go-yaml v2
 * does not decode them into JSON values either). go-yaml v2 parses integers with Go's
 * strconv.ParseInt(s, 0, 64), which also accepts `0o17` (= 15), so that is an integer too.
 */

const KEYWORDS = new Map<string, boolean | null>();
for (const s of ['~', 'null', 'Null', 'NULL']) KEYWORDS.set(s, null);
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'])
  KEYWORDS.set(s, true);
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'])
  KEYWORDS.set(s, false);

/** Plain scalars resolving to null (the empty scalar included). */
export const NULL_RE = /^(?:~|null|Null|NULL)?$/;
/** Plain scalars resolving to `true`. */
export const TRUE_RE = /^(?:y|Y|yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
/** Plain scalars resolving to `false`. */
export const FALSE_RE = /^(?:n|N|no|No|NO|false|False|FALSE|off|Off|OFF)$/;
/** Integers: binary, hex, octal (leading 0 or 0o) or decimal, optional sign, `_` separators. */
export const INT_RE = /^[-+]?(?:0b_*[01][01_]*|0x_*[0-9a-fA-F][0-9a-fA-F_]*|0o_*[0-7][0-7_]*|[0-9][0-9_]*)$/;
/** Floats (tested after {@link INT_RE}): `1.5`, `.5`, `1.`, `1e3`, `-1.5E-3`, `.inf`, `.nan`. */
export const FLOAT_RE =
  /^(?:[-+]?(?:\.[0-9_]*[0-9][0-9_]*|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** Value of a string matching {@link INT_RE}. */
export function resolveInt(s: string): number {
  let i = 0;
  let neg = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 45 /* - */) {
    neg = true;
    i = 1;
  } else if (c0 === 43 /* + */) i = 1;
  let body = i === 0 ? s : s.slice(i);
  if (body.includes('_')) body = body.replace(/_/g, '');
  let n: number;
  if (body.startsWith('0b')) n = parseInt(body.slice(2), 2);
  else if (body.startsWith('0x')) n = parseInt(body.slice(2), 16);
  else if (body.startsWith('0o')) n = parseInt(body.slice(2), 8);
  else if (body.length > 1 && body.charCodeAt(0) === 48 && /^[0-7]+$/.test(body)) n = parseInt(body, 8);
  else n = parseInt(body, 10);
  return neg ? -n : n;
}

/** Value of a string matching {@link FLOAT_RE}. */
export function resolveFloat(s: string): number {
  const t = s.toLowerCase();
  if (t.endsWith('.nan')) return NaN;
  if (t.endsWith('.inf')) return s.charCodeAt(0) === 45 ? -Infinity : Infinity;
  return parseFloat(s.includes('_') ? s.replace(/_/g, '') : s);
}

/**
 * Resolve a plain (unquoted) scalar's text to its JSON value with YAML 1.1 rules: null, booleans
 * (`yes`/`no`/`on`/`off`/`y`/`n` …), integers (`0x`, `0b`, leading-zero octal), floats; anything
 * else, timestamps included, stays a string.
 */
export function resolvePlain(s: string): unknown {
  const n = s.length;
  if (n === 0) return null;
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    if (INT_RE.test(s)) return resolveInt(s);
    if (FLOAT_RE.test(s)) return resolveFloat(s);
    return s;
  }
  if (n <= 5) {
    const v = KEYWORDS.get(s);
    if (v !== undefined) return v;
  }
  return s;
}

/** The string a resolved key becomes in a JS object (as the yaml package's `toJS` does). */
export function keyString(v: unknown): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v) ?? '';
}

const YAML = 'tag:yaml.org,2002:';
const isNum = (v: unknown): boolean => typeof v === 'number';

/** Source text of a parsed scalar when it still denotes `value` (so `--fix` keeps `0x1F`, `yes`, `1.50`). */
function sourceIfSame(node: { value: unknown; source?: unknown }): string | undefined {
  const src = node.source;
  if (typeof src !== 'string' || src === '') return undefined;
  return Object.is(resolvePlain(src), node.value) ? src : undefined;
}

/** YAML 1.1 text of a number that reads back as the same number. */
function numberText(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  return String(n);
}

const stringifyNumber = (node: { value: unknown; source?: unknown }): string =>
  sourceIfSame(node) ?? numberText(Number(node.value));

/**
 * The Kubernetes YAML 1.1 scalar tags, used by the yaml package fallback so both paths agree. They
 * also stringify (for `--fix` re-rendering): a parsed scalar keeps its source text while it still
 * denotes the node's value; other values are written so that they read back the same.
 */
export const K8S_SCALAR_TAGS: readonly ScalarTag[] = [
  {
    tag: `${YAML}null`,
    default: true,
    test: NULL_RE,
    identify: (v) => v == null,
    resolve: () => null,
    stringify: (node, ctx) => sourceIfSame(node) ?? ctx.options.nullStr,
  },
  {
    tag: `${YAML}bool`,
    default: true,
    test: TRUE_RE,
    identify: (v) => v === true,
    resolve: () => true,
    stringify: (node, ctx) => sourceIfSame(node) ?? (node.value ? ctx.options.trueStr : ctx.options.falseStr),
  },
  {
    tag: `${YAML}bool`,
    default: true,
    test: FALSE_RE,
    identify: (v) => v === false,
    resolve: () => false,
    stringify: (node, ctx) => sourceIfSame(node) ?? (node.value ? ctx.options.trueStr : ctx.options.falseStr),
  },
  {
    tag: `${YAML}int`,
    default: true,
    test: INT_RE,
    identify: (v) => Number.isInteger(v),
    resolve: (s) => (INT_RE.test(s) ? resolveInt(s) : resolvePlain(s)),
    stringify: stringifyNumber,
  },
  {
    tag: `${YAML}float`,
    default: true,
    test: FLOAT_RE,
    identify: isNum,
    resolve: (s) => (FLOAT_RE.test(s) ? resolveFloat(s) : INT_RE.test(s) ? resolveInt(s) : resolvePlain(s)),
    stringify: stringifyNumber,
  },
];

const KEEP = new Set([`${YAML}map`, `${YAML}seq`, `${YAML}str`, `${YAML}merge`]);

/**
 * `customTags` for the yaml package: keep its map/seq/str/merge tags, drop its YAML 1.1
 * bool/int/float/null (which differ from go-yaml v2: sexagesimal numbers) and the
 * timestamp/binary/set/omap/pairs tags (which produce Date/Uint8Array/Set/Map values), and add
 * {@link K8S_SCALAR_TAGS}. Explicit `!!binary`, `!!timestamp`, `!!set` … then stay strings/maps.
 */
export function k8sCustomTags(tags: Tags): Tags {
  const kept = tags.filter((t) => typeof t === 'object' && KEEP.has(t.tag));
  return [...kept, ...K8S_SCALAR_TAGS];
}
