/**
 * The parts of the Kubernetes CEL library (k8s.io/apiserver/pkg/cel/library) that custom resource
 * validation rules use most, registered on a @marcbachmann/cel-js environment: RE2 `matches`,
 * list helpers, string extensions, `url`, `ip`/`cidr` and `quantity`. Functions Kubernetes offers
 * that are not here are listed in NOT_IMPLEMENTED so that a rule using one is reported, not run.
 */
import { BlockList, isIP as netIsIP } from 'node:net';
import type { Environment } from '@marcbachmann/cel-js';
import { compilePattern, PatternError } from '../engine/regex.js';

/** Thrown by a library function; the evaluator reports its message as the rule's error. */
class CelLibraryError extends Error {}

/** `matches` on RE2 (Go `regexp.MatchString`: an unanchored search). */
function re2Matches(s: string, pattern: string): boolean {
  try {
    return compilePattern(pattern).test(s);
  } catch (err) {
    if (err instanceof PatternError) throw new CelLibraryError(`invalid regular expression: ${err.reason}`);
    throw err;
  }
}

type Scalar = bigint | number | string | boolean;

function compare(a: Scalar, b: Scalar): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = typeof a === 'bigint' ? a : Number(a);
  const y = typeof b === 'bigint' ? b : Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function isSorted(list: Scalar[]): boolean {
  for (let i = 1; i < list.length; i++) if (compare(list[i - 1]!, list[i]!) > 0) return false;
  return true;
}

function extreme(list: Scalar[], sign: 1 | -1): Scalar {
  if (list.length === 0) throw new CelLibraryError(`${sign > 0 ? 'max' : 'min'} called on an empty list`);
  let best = list[0]!;
  for (const x of list) if (compare(x, best) * sign > 0) best = x;
  return best;
}

const equal = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a === 'object' && a !== null && JSON.stringify(a) === JSON.stringify(b));

function indexOf(list: unknown[], x: unknown, last: boolean): bigint {
  if (last) {
    for (let i = list.length - 1; i >= 0; i--) if (equal(list[i], x)) return BigInt(i);
  } else for (let i = 0; i < list.length; i++) if (equal(list[i], x)) return BigInt(i);
  return -1n;
}

function charAt(s: string, i: bigint): string {
  const chars = [...s];
  if (i < 0n || i > BigInt(chars.length)) throw new CelLibraryError(`index out of range: ${i}`);
  return chars[Number(i)] ?? '';
}

function replace(s: string, from: string, to: string, n = -1n): string {
  if (n < 0n) return s.split(from).join(to);
  let out = '';
  let rest = s;
  for (let k = 0n; k < n; k++) {
    const at = rest.indexOf(from);
    if (at < 0) break;
    out += rest.slice(0, at) + to;
    rest = rest.slice(at + from.length);
    if (from === '') {
      out += rest.slice(0, 1);
      rest = rest.slice(1);
    }
  }
  return out + rest;
}

// --- url ---------------------------------------------------------------------------------------

export class KubeURL {
  constructor(
    readonly scheme: string,
    readonly host: string,
    readonly hostname: string,
    readonly port: string,
    readonly path: string,
    readonly query: string,
  ) {}
}

/** Go's url.ParseRequestURI: an absolute URL, or an absolute path. */
function parseURL(s: string): KubeURL | undefined {
  if (s.startsWith('/')) {
    const q = s.indexOf('?');
    return new KubeURL('', '', '', '', q < 0 ? s : s.slice(0, q), q < 0 ? '' : s.slice(q + 1));
  }
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(s) || /\s/.test(s)) return undefined;
  try {
    const u = new URL(s);
    const hostname = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
    return new KubeURL(u.protocol.slice(0, -1), u.host, hostname, u.port, u.pathname, u.search.slice(1));
  } catch {
    return undefined;
  }
}

function url(s: string): KubeURL {
  const u = parseURL(s);
  if (!u) throw new CelLibraryError(`URL parse error during conversion from string: ${s}`);
  return u;
}

function queryMap(u: KubeURL): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of new URLSearchParams(u.query)) out.set(k, [...(out.get(k) ?? []), v]);
  return out;
}

// --- ip and cidr -------------------------------------------------------------------------------

export class KubeIP {
  constructor(
    readonly address: string,
    readonly family: 4 | 6,
  ) {}
}

export class KubeCIDR {
  constructor(
    readonly ip: KubeIP,
    readonly prefix: number,
  ) {}
}

/** netip.ParseAddr: no zones, no IPv4-mapped IPv6 for `ip()` (Kubernetes refuses those). */
function parseIP(s: string): KubeIP | undefined {
  if (s.includes('%')) return undefined;
  const family = netIsIP(s);
  if (family === 4) return new KubeIP(s, 4);
  if (family === 6 && !/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(s)) return new KubeIP(s, 6);
  return undefined;
}

function ip(s: string): KubeIP {
  const parsed = parseIP(s);
  if (!parsed) throw new CelLibraryError(`IP Address '${s}' parse error during conversion from string`);
  return parsed;
}

function parseCIDR(s: string): KubeCIDR | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseIP(s.slice(0, slash));
  const bits = s.slice(slash + 1);
  if (!addr || !/^\d{1,3}$/.test(bits)) return undefined;
  const prefix = Number(bits);
  if (prefix > (addr.family === 4 ? 32 : 128)) return undefined;
  return new KubeCIDR(addr, prefix);
}

function cidr(s: string): KubeCIDR {
  const parsed = parseCIDR(s);
  if (!parsed) throw new CelLibraryError(`network address parse error during conversion from string: ${s}`);
  return parsed;
}

function containsIP(c: KubeCIDR, a: KubeIP): boolean {
  if (c.ip.family !== a.family) return false;
  const list = new BlockList();
  const type = c.ip.family === 4 ? 'ipv4' : 'ipv6';
  list.addSubnet(c.ip.address, c.prefix, type);
  return list.check(a.address, type);
}

/** The address bytes as one number, for masking and classification. */
function ipBits(a: KubeIP): bigint {
  if (a.family === 4) return a.address.split('.').reduce((n, p) => (n << 8n) | BigInt(p), 0n);
  const [head = '', tail = ''] = a.address.toLowerCase().split('::');
  const parse = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [parseInt(g, 16)];
          const [b0 = 0, b1 = 0, b2 = 0, b3 = 0] = g.split('.').map(Number);
          return [(b0 << 8) | b1, (b2 << 8) | b3];
        });
  const h = parse(head);
  const t = parse(tail);
  const groups = a.address.includes('::')
    ? [...h, ...Array<number>(8 - h.length - t.length).fill(0), ...t]
    : h;
  return groups.reduce((n, g) => (n << 16n) | BigInt(g), 0n);
}

function ipFromBits(n: bigint, family: 4 | 6): KubeIP {
  if (family === 4) {
    const parts = [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 255n));
    return new KubeIP(parts.join('.'), 4);
  }
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((n >> s) & 0xffffn).toString(16));
  // Shorten the longest run of zero groups, as Go's netip does.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const text =
    best < 0
      ? groups.join(':')
      : `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
  return new KubeIP(text, 6);
}

function masked(c: KubeCIDR): KubeCIDR {
  const width = c.ip.family === 4 ? 32n : 128n;
  const host = width - BigInt(c.prefix);
  const bits = (ipBits(c.ip) >> host) << host;
  return new KubeCIDR(ipFromBits(bits, c.ip.family), c.prefix);
}

function isLoopback(a: KubeIP): boolean {
  return a.family === 4 ? a.address.startsWith('127.') : ipBits(a) === 1n;
}

// --- quantity ----------------------------------------------------------------------------------

/** A resource.Quantity as an exact fraction. */
export class KubeQuantity {
  constructor(
    readonly num: bigint,
    readonly den: bigint,
  ) {}
}

const SUFFIX: Record<string, [bigint, bigint]> = {
  '': [1n, 1n],
  n: [1n, 1000000000n],
  u: [1n, 1000000n],
  m: [1n, 1000n],
  k: [1000n, 1n],
  M: [1000000n, 1n],
  G: [10n ** 9n, 1n],
  T: [10n ** 12n, 1n],
  P: [10n ** 15n, 1n],
  E: [10n ** 18n, 1n],
  Ki: [1n << 10n, 1n],
  Mi: [1n << 20n, 1n],
  Gi: [1n << 30n, 1n],
  Ti: [1n << 40n, 1n],
  Pi: [1n << 50n, 1n],
  Ei: [1n << 60n, 1n],
};
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:([KMGTPE]i|[numkMGTPE])|[eE]([+-]?\d{1,3}))?$/;

function parseQuantity(s: string): KubeQuantity | undefined {
  const m = QUANTITY.exec(s);
  if (!m) return undefined;
  const [, sign, digits = '', suffix = '', exp] = m;
  const [whole = '', frac = ''] = digits.split('.');
  let num = BigInt((whole || '0') + frac) * (sign === '-' ? -1n : 1n);
  let den = 10n ** BigInt(frac.length);
  const [mul, div] = SUFFIX[suffix]!;
  num *= mul;
  den *= div;
  if (exp !== undefined) {
    const e = BigInt(exp);
    if (e >= 0n) num *= 10n ** e;
    else den *= 10n ** -e;
  }
  return new KubeQuantity(num, den);
}

function quantity(s: string): KubeQuantity {
  const q = parseQuantity(s);
  if (!q) throw new CelLibraryError('quantities must match the regular expression');
  return q;
}

const qCompare = (a: KubeQuantity, b: KubeQuantity): number => {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
};
const qAdd = (a: KubeQuantity, b: KubeQuantity, sign: bigint): KubeQuantity =>
  new KubeQuantity(a.num * b.den + sign * b.num * a.den, a.den * b.den);
const qInt = (n: bigint): KubeQuantity => new KubeQuantity(n, 1n);

const INT64_MAX = (1n << 63n) - 1n;
function asInteger(q: KubeQuantity): bigint {
  if (q.num % q.den !== 0n) throw new CelLibraryError('cannot convert value to integer');
  const n = q.num / q.den;
  if (n > INT64_MAX || n < -INT64_MAX - 1n) throw new CelLibraryError('cannot convert value to integer');
  return n;
}

// --- registration ------------------------------------------------------------------------------

/** Functions the Kubernetes CEL environment offers that shipshape does not evaluate. */
export const NOT_IMPLEMENTED = new Set([
  'format',
  'quote',
  'strings.quote',
  'base64.encode',
  'base64.decode',
  'sets.contains',
  'sets.equivalent',
  'sets.intersects',
  'lists.range',
  'math.greatest',
  'math.least',
  'math.abs',
  'math.ceil',
  'math.floor',
  'math.round',
  'math.sign',
  'math.trunc',
  'math.isNaN',
  'math.isInf',
  'math.isFinite',
  'math.bitAnd',
  'math.bitOr',
  'math.bitXor',
  'math.bitNot',
  'math.bitShiftLeft',
  'math.bitShiftRight',
  'semver',
  'isSemver',
  'major',
  'minor',
  'patch',
  'sortBy',
  'distinct',
  'flatten',
  'slice',
  'sort',
  'first',
  'last',
  'transformList',
  'transformMap',
  'transformMapEntry',
  'isGlobalUnicast',
  'isLinkLocalMulticast',
  'isLinkLocalUnicast',
  'ip.isCanonical',
  // The format library (format.dns1123Label().validate(self), …).
  'format.named',
  'format.dns1123Label',
  'format.dns1123Subdomain',
  'format.dns1035Label',
  'format.qualifiedName',
  'format.dns1123LabelPrefix',
  'format.dns1123SubdomainPrefix',
  'format.dns1035LabelPrefix',
  'format.labelValue',
  'format.uri',
  'format.uuid',
  'format.byte',
  'format.date',
  'format.datetime',
  'validate',
]);

/** The name under which the RE2 `matches` is registered (the AST's `matches` calls are renamed to it). */
export const RE2_MATCHES = 'k8sMatches';

/** Register the Kubernetes library on a fresh environment (before it is cloned). */
export function registerKubernetesLibrary(env: Environment): void {
  const fn = (sig: string, handler: (...args: never[]) => unknown): void => {
    env.registerFunction(sig, handler as (...args: unknown[]) => unknown);
  };
  fn(`string.${RE2_MATCHES}(string): bool`, (s: string, p: string) => re2Matches(s, p));
  fn('matches(string, string): bool', (s: string, p: string) => re2Matches(s, p));

  // Lists (k8s.io/apiserver/pkg/cel/library/lists.go).
  for (const t of ['int', 'double', 'string', 'bool', 'uint']) {
    fn(`list<${t}>.isSorted(): bool`, (l: Scalar[]) => isSorted(l));
    fn(`list<${t}>.min(): ${t}`, (l: Scalar[]) => extreme(l, -1));
    fn(`list<${t}>.max(): ${t}`, (l: Scalar[]) => extreme(l, 1));
  }
  fn('list<int>.sum(): int', (l: bigint[]) => l.reduce((a, b) => a + b, 0n));
  fn('list<double>.sum(): double', (l: number[]) => l.reduce((a, b) => a + b, 0));
  fn('list<A>.indexOf(A): int', (l: unknown[], x: unknown) => indexOf(l, x, false));
  fn('list<A>.lastIndexOf(A): int', (l: unknown[], x: unknown) => indexOf(l, x, true));

  // Strings (cel-go ext/strings; cel-js has lowerAscii, upperAscii, trim, split, join, indexOf…).
  fn('string.charAt(int): string', (s: string, i: bigint) => charAt(s, i));
  fn('string.replace(string, string): string', (s: string, a: string, b: string) => replace(s, a, b));
  fn('string.replace(string, string, int): string', (s: string, a: string, b: string, n: bigint) =>
    replace(s, a, b, n),
  );
  fn('string.reverse(): string', (s: string) => [...s].reverse().join(''));

  // URLs (library/urls.go).
  env.registerType('URL', KubeURL);
  fn('url(string): URL', (s: string) => url(s));
  fn('isURL(string): bool', (s: string) => parseURL(s) !== undefined);
  fn('URL.getScheme(): string', (u: KubeURL) => u.scheme);
  fn('URL.getHost(): string', (u: KubeURL) => u.host);
  fn('URL.getHostname(): string', (u: KubeURL) => u.hostname);
  fn('URL.getPort(): string', (u: KubeURL) => u.port);
  fn('URL.getEscapedPath(): string', (u: KubeURL) => u.path);
  fn('URL.getQuery(): map<string, list<string>>', (u: KubeURL) => queryMap(u));

  // IP addresses and CIDRs (library/ip.go, library/cidr.go).
  env.registerType('net.IP', KubeIP);
  env.registerType('net.CIDR', KubeCIDR);
  fn('ip(string): net.IP', (s: string) => ip(s));
  fn('isIP(string): bool', (s: string) => parseIP(s) !== undefined);
  fn('string(net.IP): string', (a: KubeIP) => a.address);
  fn('net.IP.family(): int', (a: KubeIP) => BigInt(a.family));
  fn('net.IP.isLoopback(): bool', (a: KubeIP) => isLoopback(a));
  fn('net.IP.isUnspecified(): bool', (a: KubeIP) => ipBits(a) === 0n);
  fn('net.IP.isCanonical(): bool', (a: KubeIP) => ipFromBits(ipBits(a), a.family).address === a.address);
  fn('cidr(string): net.CIDR', (s: string) => cidr(s));
  fn('isCIDR(string): bool', (s: string) => parseCIDR(s) !== undefined);
  fn('string(net.CIDR): string', (c: KubeCIDR) => `${c.ip.address}/${c.prefix}`);
  fn('net.CIDR.containsIP(net.IP): bool', (c: KubeCIDR, a: KubeIP) => containsIP(c, a));
  fn('net.CIDR.containsIP(string): bool', (c: KubeCIDR, s: string) => containsIP(c, ip(s)));
  fn(
    'net.CIDR.containsCIDR(net.CIDR): bool',
    (c: KubeCIDR, o: KubeCIDR) => o.prefix >= c.prefix && containsIP(c, o.ip),
  );
  fn('net.CIDR.containsCIDR(string): bool', (c: KubeCIDR, s: string) => {
    const o = cidr(s);
    return o.prefix >= c.prefix && containsIP(c, o.ip);
  });
  fn('net.CIDR.ip(): net.IP', (c: KubeCIDR) => c.ip);
  fn('net.CIDR.masked(): net.CIDR', (c: KubeCIDR) => masked(c));
  fn('net.CIDR.prefixLength(): int', (c: KubeCIDR) => BigInt(c.prefix));

  // Quantities (library/quantity.go).
  env.registerType('Quantity', KubeQuantity);
  fn('quantity(string): Quantity', (s: string) => quantity(s));
  fn('isQuantity(string): bool', (s: string) => parseQuantity(s) !== undefined);
  fn('Quantity.compareTo(Quantity): int', (a: KubeQuantity, b: KubeQuantity) => BigInt(qCompare(a, b)));
  fn('Quantity.isGreaterThan(Quantity): bool', (a: KubeQuantity, b: KubeQuantity) => qCompare(a, b) > 0);
  fn('Quantity.isLessThan(Quantity): bool', (a: KubeQuantity, b: KubeQuantity) => qCompare(a, b) < 0);
  fn('Quantity.add(Quantity): Quantity', (a: KubeQuantity, b: KubeQuantity) => qAdd(a, b, 1n));
  fn('Quantity.add(int): Quantity', (a: KubeQuantity, b: bigint) => qAdd(a, qInt(b), 1n));
  fn('Quantity.sub(Quantity): Quantity', (a: KubeQuantity, b: KubeQuantity) => qAdd(a, b, -1n));
  fn('Quantity.sub(int): Quantity', (a: KubeQuantity, b: bigint) => qAdd(a, qInt(b), -1n));
  fn('Quantity.sign(): int', (a: KubeQuantity) => BigInt(a.num > 0n ? 1 : a.num < 0n ? -1 : 0));
  fn('Quantity.isInteger(): bool', (a: KubeQuantity) => a.num % a.den === 0n);
  fn('Quantity.asInteger(): int', (a: KubeQuantity) => asInteger(a));
  fn('Quantity.asApproximateFloat(): double', (a: KubeQuantity) => Number(a.num) / Number(a.den));
  env.registerOperator('Quantity == Quantity', (a: KubeQuantity, b: KubeQuantity) => qCompare(a, b) === 0);
}
