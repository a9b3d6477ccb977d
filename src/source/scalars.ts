// YAML 1.1 plain-scalar resolution as Kubernetes tooling applies it, shared by the fast path and the yaml fallback.
import { Buffer, isUtf8 } from 'node:buffer';
import type { ScalarTag, Tags } from 'yaml';
import { utf8SequenceLength } from './decode.js';

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

/*
 * Explicit scalar tags, as go-yaml v2 decodes them (resolve.go, decode.go): the value is resolved
 * with the plain-scalar rules whatever its style (`!!int "12"` is 12) and must come out with the
 * tag's type, except that an integer fits `!!float`; `!!timestamp` needs one of Go's timestamp
 * layouts (and stays a string); `!!binary` is standard base64 (line breaks ignored), decoded to a
 * string as Go's JSON encoder writes bytes (U+FFFD per invalid byte). Anything else is an error
 * ("cannot decode !!str `…` as a !!int", "!!binary value contains invalid base64 data") and the
 * document has no value, so it is a `yaml-syntax` problem at the tag. Messages never repeat the
 * value (it may be a secret). Only the yaml package path sees tags (the fast path gives up on `!`).
 */

/** The value of `s` when Go's strconv.ParseInt/ParseUint with base 0 accept it (underscores removed), as go-yaml tries. */
function goInt(s: string): number | undefined {
  let t = s.includes('_') ? s.replace(/_/g, '') : s;
  const signed = t.startsWith('-') || t.startsWith('+');
  const neg = t.startsWith('-');
  if (signed) t = t.slice(1);
  let lit: string;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) lit = '0x' + t.slice(2);
  else if (/^0[oO][0-7]+$/.test(t)) lit = '0o' + t.slice(2);
  else if (/^0[bB][01]+$/.test(t)) lit = '0b' + t.slice(2);
  else if (/^0[0-7]+$/.test(t)) lit = '0o' + t.slice(1);
  else if (/^(?:0|[1-9][0-9]*)$/.test(t)) lit = t;
  else return undefined;
  const v = neg ? -BigInt(lit) : BigInt(lit);
  const fits = (v >= -(2n ** 63n) && v < 2n ** 63n) || (!signed && v < 2n ** 64n);
  return fits ? Number(v) : undefined;
}

type GoTag = 'null' | 'bool' | 'int' | 'float' | 'str';

/** The tag go-yaml v2 resolves `s` to when it is read as a plain scalar. */
function goTag(s: string): GoTag {
  const v = resolvePlain(s);
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (goInt(s) !== undefined) return 'int';
  // decimal digits Go cannot hold as an integer (or `0999`) parse as a float
  if (typeof v === 'number' || /^[-+]?[0-9][0-9_]*$/.test(s)) return 'float';
  return 'str';
}

const mismatch = (tag: string, got: GoTag): string =>
  `The value does not fit its !!${tag} tag: it reads as a !!${got}, and go-yaml (kubectl) cannot decode it as a !!${tag}`;

/** Go's timestamp layouts as go-yaml tries them (time.Parse checks the fields' ranges). */
const TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[-+]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$/;

function isGoTimestamp(s: string): boolean {
  const m = TIMESTAMP.exec(s);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const h = Number(m[4] ?? m[7] ?? 0);
  const mi = Number(m[5] ?? m[8] ?? 0);
  const se = Number(m[6] ?? m[9] ?? 0);
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate(); // days in month `mo` of year `y`
  return mo >= 1 && mo <= 12 && d >= 1 && d <= days && h < 24 && mi < 60 && se < 60;
}

/** Standard base64 with padding, as Go's base64.StdEncoding.DecodeString accepts it (CR and LF ignored). */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Bytes as a string the way Go's JSON encoder writes a byte string: U+FFFD for each invalid byte. */
function goBytesToString(b: Buffer): string {
  if (isUtf8(b)) return b.toString('utf8');
  let out = '';
  let run = 0;
  for (let i = 0; i < b.length;) {
    const n = utf8SequenceLength(b, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += b.toString('utf8', run, i) + '\uFFFD';
    run = ++i;
  }
  return out + b.toString('utf8', run);
}

const explicitTag = (name: string, resolve: ScalarTag['resolve']): ScalarTag => ({
  tag: `${YAML}${name}`,
  default: false,
  resolve,
  stringify: ({ value }) => String(value),
});

/** The explicit-tag variants: chosen by the yaml package for `!!int x` & co. only (no `default`, no `test`). */
const EXPLICIT_TAGS: readonly ScalarTag[] = [
  explicitTag('null', (s, onError) => {
    const got = goTag(s);
    if (got !== 'null') onError(mismatch('null', got));
    return got === 'null' ? null : s;
  }),
  explicitTag('bool', (s, onError) => {
    const v = resolvePlain(s);
    if (typeof v === 'boolean') return v;
    onError(mismatch('bool', goTag(s)));
    return s;
  }),
  explicitTag('int', (s, onError) => {
    const v = goInt(s);
    if (v !== undefined && goTag(s) === 'int') return v;
    onError(mismatch('int', goTag(s)));
    return s;
  }),
  explicitTag('float', (s, onError) => {
    const got = goTag(s);
    if (got === 'int') return goInt(s)!;
    if (got === 'float') return resolveFloat(s);
    onError(mismatch('float', got));
    return s;
  }),
  explicitTag('timestamp', (s, onError) => {
    if (!isGoTimestamp(s)) onError(mismatch('timestamp', goTag(s)));
    return s; // go-yaml v2 gives a timestamp read into interface{} back as its text
  }),
  {
    ...explicitTag('binary', (s, onError) => {
      const b64 = s.replace(/[\r\n]/g, '');
      if (!BASE64.test(b64)) {
        onError('The !!binary value is not valid base64, and go-yaml (kubectl) cannot decode it');
        return s;
      }
      return goBytesToString(Buffer.from(b64, 'base64'));
    }),
    stringify: ({ value }) => Buffer.from(String(value), 'utf8').toString('base64'),
  },
];

const KEEP = new Set([`${YAML}map`, `${YAML}seq`, `${YAML}str`, `${YAML}merge`]);

/**
 * `customTags` for the yaml package: keep its map/seq/str/merge tags, drop its YAML 1.1
 * bool/int/float/null (which differ from go-yaml v2: sexagesimal numbers) and the
 * timestamp/binary/set/omap/pairs tags (which produce Date/Uint8Array/Set/Map values), and add
 * {@link K8S_SCALAR_TAGS} and, after them (so that re-rendering uses the former), the explicit
 * `!!null`/`!!bool`/`!!int`/`!!float`/`!!timestamp`/`!!binary` checks. `!!set`, `!!omap` … stay
 * maps/sequences; a tag on a collection is ignored, as go-yaml does.
 */
export function k8sCustomTags(tags: Tags): Tags {
  const kept = tags.filter((t) => typeof t === 'object' && KEEP.has(t.tag));
  return [...kept, ...K8S_SCALAR_TAGS, ...EXPLICIT_TAGS];
}
