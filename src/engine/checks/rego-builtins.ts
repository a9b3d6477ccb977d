/** Rego built-ins that OPA's WebAssembly target leaves to the host, implemented with OPA's semantics. */
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { compilePattern } from '../regex.js';

/**
 * A host built-in: JSON values in, a JSON value out. Throwing or returning `undefined` makes the
 * call undefined in Rego, as a built-in error does in OPA without `--strict-builtin-errors`.
 */
export type HostBuiltin = (...args: unknown[]) => unknown;

/** The Rego rendering of a value, as OPA's `sprintf` prints non-scalar arguments. */
export function regoString(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(regoString).join(', ')}]`;
  if (typeof v === 'object') {
    const entries = Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}: ${regoString((v as Record<string, unknown>)[k])}`);
    return `{${entries.join(', ')}}`;
  }
  // Not a JSON value (cannot come out of a policy).
  return 'null';
}

/** Go's name for the type OPA hands to fmt: int64 or float64 for numbers, string for everything else. */
const goType = (v: unknown): string =>
  typeof v === 'number' ? (Number.isInteger(v) ? 'int64' : 'float64') : 'string';

/** What OPA passes to Go's fmt: numbers and strings as such, any other value as its Rego text. */
const goValue = (v: unknown): string | number =>
  typeof v === 'number' || typeof v === 'string' ? v : regoString(v);

function pad(s: string, width: number | undefined, left: boolean, zero: boolean): string {
  if (width === undefined || s.length >= width) return s;
  if (left) return s + ' '.repeat(width - s.length);
  if (zero) {
    const sign = /^[+-]/.test(s) ? s[0]! : '';
    return sign + '0'.repeat(width - s.length) + s.slice(sign.length);
  }
  return ' '.repeat(width - s.length) + s;
}

/** One verb of Go's fmt, for the argument types Rego can pass (numbers, strings, booleans, composites). */
function formatVerb(verb: string, arg: unknown, flags: string, width?: number, prec?: number): string {
  const plus = flags.includes('+');
  const space = flags.includes(' ');
  const sign = (n: number, s: string) => (n >= 0 && plus ? '+' + s : n >= 0 && space ? ' ' + s : s);
  // OPA passes booleans, null and composites to Go's fmt as their Rego text (a string).
  const value = goValue(arg);
  const bad = () => `%!${verb}(${goType(value)}=${String(value)})`;
  switch (verb) {
    case 'v':
      if (typeof value === 'number' && !Number.isInteger(value)) return sign(value, goFloat(value, 'g'));
      return typeof value === 'number' ? sign(value, String(value)) : value;
    case 's':
      if (typeof value !== 'string') return bad();
      return prec === undefined ? value : value.slice(0, prec);
    case 'q':
      return typeof value === 'string' ? JSON.stringify(value) : bad();
    case 't':
      return bad();
    case 'd':
      return typeof value === 'number' && Number.isInteger(value) ? sign(value, String(value)) : bad();
    case 'b':
    case 'o':
    case 'x':
    case 'X': {
      const radix = verb === 'b' ? 2 : verb === 'o' ? 8 : 16;
      let out: string;
      if (typeof value === 'number' && Number.isInteger(value)) out = value.toString(radix);
      else if (typeof value === 'string' && radix === 16) out = Buffer.from(value, 'utf8').toString('hex');
      else return bad();
      if (flags.includes('#') && radix === 16) out = out.startsWith('-') ? '-0x' + out.slice(1) : '0x' + out;
      return verb === 'X' ? out.toUpperCase() : out;
    }
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G': {
      if (typeof value !== 'number') return bad();
      // OPA hands integral numbers to Go as int64, for which the float verbs are wrong verbs.
      if (Number.isInteger(value)) {
        const digits = String(Math.abs(value)).padStart(prec ?? 0, '0');
        return `%!${verb}(int64=${value < 0 ? '-' : ''}${digits})`;
      }
      const lower = verb.toLowerCase() as 'f' | 'e' | 'g';
      const s = goFloat(value, lower, prec);
      return sign(value, verb === lower ? s : s.toUpperCase());
    }
    case 'c':
      return typeof value === 'number' && Number.isInteger(value) ? String.fromCodePoint(value) : bad();
    case 'T':
      return goType(value);
    default:
      return `%!${verb}(${goType(value)}=${String(value)})`;
  }
}

/** Go writes at least two exponent digits: 1e-07, 1.5e+08. */
const goExponent = (s: string): string => s.replace(/e([+-])(\d)$/, 'e$10$2');

/** strconv.FormatFloat for verbs f, e and g (g: shortest digits, or `prec` significant ones). */
function goFloat(n: number, verb: 'f' | 'e' | 'g', prec?: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  if (verb === 'f') return n.toFixed(prec ?? 6);
  if (verb === 'e') return goExponent(n.toExponential(prec ?? 6));
  const r = prec === undefined ? n : Number(n.toPrecision(Math.max(1, prec)));
  // Significant digits (nd) and decimal point position (dp) of the shortest representation.
  const [mantissa = '0', e = '0'] = r.toExponential().split('e');
  const nd = mantissa.replace(/[-.]/g, '').replace(/0+$/, '').length || 1;
  const exp = Number(e);
  const dp = exp + 1;
  // Exponent form when the exponent is < -4 or >= the precision (6 for shortest, as Go does).
  let eprec = prec === undefined ? 6 : Math.max(1, prec);
  if (prec !== undefined && eprec > nd && nd >= dp) eprec = nd;
  if (exp < -4 || exp >= eprec) return goExponent(r.toExponential(nd - 1));
  return r.toFixed(Math.max(0, nd - dp));
}

/** Go's fmt.Sprintf over Rego values, as OPA's `sprintf` built-in behaves. */
export function goSprintf(format: string, args: readonly unknown[]): string {
  let out = '';
  let next = 0;
  const spec = /%([-+# 0]*)(\*|\d+)?(?:\.(\*|\d*))?([a-zA-Z%])/g;
  let last = 0;
  for (let m = spec.exec(format); m; m = spec.exec(format)) {
    out += format.slice(last, m.index);
    last = spec.lastIndex;
    const [, flags = '', w, p, verb = 'v'] = m;
    if (verb === '%') {
      out += '%';
      continue;
    }
    const take = (): number | undefined => {
      const v = args[next++];
      return typeof v === 'number' ? v : undefined;
    };
    const width = w === '*' ? take() : w !== undefined ? Number(w) : undefined;
    const prec = p === '*' ? take() : p !== undefined ? Number(p || 0) : undefined;
    if (next >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    const s = formatVerb(verb, args[next++], flags, width, prec);
    out += pad(s, width, flags.includes('-'), flags.includes('0') && verb !== 's' && verb !== 'v');
  }
  out += format.slice(last);
  if (next < args.length) {
    out += `%!(EXTRA ${args
      .slice(next)
      .map((a) => `${goType(goValue(a))}=${String(goValue(a))}`)
      .join(', ')})`;
  }
  return out;
}

const DECIMAL: Readonly<Record<string, number>> = { k: 1e3, m: 1e6, g: 1e9, t: 1e12, p: 1e15, e: 1e18 };
const BINARY: Readonly<Record<string, number>> = {
  ki: 2 ** 10,
  mi: 2 ** 20,
  gi: 2 ** 30,
  ti: 2 ** 40,
  pi: 2 ** 50,
  ei: 2 ** 60,
};

function splitUnit(x: unknown): { n: number; unit: string } {
  if (typeof x !== 'string') throw new TypeError('operand must be a string');
  const m = /^"?([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)([a-zA-Z]*)"?$/.exec(x);
  if (!m) throw new Error(`could not parse amount "${x}"`);
  return { n: Number(m[1]), unit: m[2] ?? '' };
}

/** OPA's `units.parse`: SI and binary suffixes, `m` is milli and `M` mega; other suffixes ignore case. */
export function unitsParse(x: unknown): number {
  const { n, unit } = splitUnit(x);
  if (unit === '') return n;
  if (unit === 'm') return n / 1000;
  const u = unit.toLowerCase();
  const factor = BINARY[u] ?? DECIMAL[u];
  if (factor === undefined) throw new Error(`unknown unit "${unit}"`);
  return n * factor;
}

/** OPA's `units.parse_bytes`: an optional trailing B, case-insensitive suffixes; whole bytes. */
export function unitsParseBytes(x: unknown): number {
  const { n, unit } = splitUnit(x);
  const u = unit.toLowerCase().replace(/b$/, '');
  if (u === '') return Math.floor(n);
  const factor = BINARY[u] ?? DECIMAL[u];
  if (factor === undefined) throw new Error(`unknown unit "${unit}"`);
  return Math.floor(n * factor);
}

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

function semverCompare(a: unknown, b: unknown): number {
  const ma = typeof a === 'string' ? SEMVER.exec(a) : null;
  const mb = typeof b === 'string' ? SEMVER.exec(b) : null;
  if (!ma || !mb) throw new Error('operands must be valid semantic versions');
  for (let i = 1; i <= 3; i++) {
    const d = Number(ma[i]) - Number(mb[i]);
    if (d !== 0) return Math.sign(d);
  }
  const pa = ma[4];
  const pb = mb[4];
  if (pa === pb) return 0;
  if (pa === undefined) return 1;
  if (pb === undefined) return -1;
  const xa = pa.split('.');
  const xb = pb.split('.');
  for (let i = 0; i < Math.max(xa.length, xb.length); i++) {
    const s = xa[i];
    const t = xb[i];
    if (s === undefined) return -1;
    if (t === undefined) return 1;
    if (s === t) continue;
    const ns = /^\d+$/.test(s);
    const nt = /^\d+$/.test(t);
    if (ns && nt) return Math.sign(Number(s) - Number(t));
    if (ns !== nt) return ns ? -1 : 1;
    return s < t ? -1 : 1;
  }
  return 0;
}

const strings = (v: unknown): string[] => {
  const xs = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  return xs.filter((x): x is string => typeof x === 'string');
};

/**
 * The host built-ins shipshape provides to policies. OPA compiles most built-ins into the module;
 * these are the ones it imports from the host (the module's `builtins()` export lists them).
 * A policy that needs one missing here is rejected when it loads.
 */
export const HOST_BUILTINS: Readonly<Record<string, HostBuiltin>> = {
  sprintf: (format, args) => {
    if (typeof format !== 'string' || !Array.isArray(args)) throw new TypeError('sprintf: bad operands');
    return goSprintf(format, args);
  },
  'units.parse': (x) => unitsParse(x),
  'units.parse_bytes': (x) => unitsParseBytes(x),
  'regex.split': (pattern, s) => {
    if (typeof pattern !== 'string' || typeof s !== 'string')
      throw new TypeError('regex.split: bad operands');
    // RE2, as OPA's own regex built-ins: linear time, Go syntax.
    return compilePattern(pattern).split(s);
  },
  'strings.any_prefix_match': (search, base) =>
    strings(search).some((s) => strings(base).some((b) => s.startsWith(b))),
  'strings.any_suffix_match': (search, base) =>
    strings(search).some((s) => strings(base).some((b) => s.endsWith(b))),
  'semver.is_valid': (v) => typeof v === 'string' && SEMVER.test(v),
  'semver.compare': (a, b) => semverCompare(a, b),
  'json.is_valid': (s) => {
    if (typeof s !== 'string') return false;
    try {
      JSON.parse(s);
      return true;
    } catch {
      return false;
    }
  },
  'yaml.is_valid': (s) => {
    if (typeof s !== 'string') return false;
    try {
      parseYaml(s);
      return true;
    } catch {
      return false;
    }
  },
  'yaml.marshal': (v) => stringifyYaml(v),
  'yaml.unmarshal': (s) => {
    if (typeof s !== 'string') throw new TypeError('yaml.unmarshal: operand must be a string');
    return parseYaml(s) as unknown;
  },
};
