/**
 * IP addresses and CIDRs as the API server's strict validators see them (Go's netip: no leading
 * zeros, canonical form, no bits beyond the prefix), with their messages, and prefix containment
 * for NetworkPolicy `except` blocks.
 */
import { compareMinor } from '../removed-apis.js';
import { invalidIn } from './formats.js';
import type { Issues, Path } from './issues.js';

export interface Addr {
  v6: boolean;
  /** The address as an integer (32 or 128 bits). */
  value: bigint;
}

/** IPv4 dotted quad; `sloppy` accepts leading zeros (Go's ParseIPSloppy). */
function parseV4(s: string, sloppy: boolean): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let out = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    if (!sloppy && p.length > 1 && p.startsWith('0')) return undefined;
    out = (out << 8n) | BigInt(Number(p));
  }
  return out;
}

function parseV6(s: string): bigint | undefined {
  if (!s.includes(':') || s.includes('%')) return undefined;
  let head = s;
  const tail: bigint[] = [];
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = parseV4(s.slice(lastColon + 1), false);
    if (v4 === undefined) return undefined;
    tail.push(v4 >> 16n, v4 & 0xffffn);
    head = s.slice(0, lastColon + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): bigint[] | undefined => {
    if (part === '') return [];
    const out: bigint[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9A-Fa-f]{1,4}$/.test(g)) return undefined;
      out.push(BigInt(parseInt(g, 16)));
    }
    return out;
  };
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  if (left === undefined || right === undefined) return undefined;
  const given = left.length + right.length + tail.length;
  let all: bigint[];
  if (halves.length === 2) {
    if (given > 7) return undefined;
    all = [...left, ...Array<bigint>(8 - given).fill(0n), ...right, ...tail];
  } else {
    if (given !== 8) return undefined;
    all = [...left, ...tail];
  }
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}

/** Parse an address; `sloppy` accepts IPv4 leading zeros. */
export function parseAddr(s: string, sloppy = false): Addr | undefined {
  const v4 = parseV4(s, sloppy);
  if (v4 !== undefined) return { v6: false, value: v4 };
  const v6 = parseV6(s);
  return v6 === undefined ? undefined : { v6: true, value: v6 };
}

/** Go's netip.Addr.String (RFC 5952 for IPv6). */
export function formatAddr(a: Addr): string {
  if (!a.v6) return [24n, 16n, 8n, 0n].map((sh) => String((a.value >> sh) & 0xffn)).join('.');
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((sh) => Number((a.value >> sh) & 0xffffn));
  // The longest run of two or more zero groups becomes '::' (the first when tied).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export const IP_MSG = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
export const CIDR_MSG = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

const IS_4IN6 = (a: Addr): boolean => a.v6 && a.value >> 32n === 0xffffn;

/** IsValidIP's problems ([] when valid). */
export function ipProblems(s: string): string[] {
  const a = parseAddr(s);
  if (a === undefined) return [parseAddr(s, true) ? 'must not have leading 0s' : IP_MSG];
  if (IS_4IN6(a)) return ['must not be an IPv4-mapped IPv6 address'];
  const canonical = formatAddr(a);
  return canonical === s ? [] : [`must be in canonical form (${JSON.stringify(canonical)})`];
}

export interface Prefix {
  addr: Addr;
  bits: number;
}

/** Parse `ip/bits`; `sloppy` accepts leading zeros (Go's ParseCIDRSloppy). */
export function parsePrefix(s: string, sloppy = false): Prefix | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const bitsText = s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText) || (!sloppy && bitsText.length > 1 && bitsText.startsWith('0')))
    return undefined;
  const addr = parseAddr(s.slice(0, slash), sloppy);
  if (addr === undefined) return undefined;
  const bits = Number(bitsText);
  if (bits > (addr.v6 ? 128 : 32)) return undefined;
  return { addr, bits };
}

const width = (p: Prefix): bigint => (p.addr.v6 ? 128n : 32n);

function masked(p: Prefix): bigint {
  const host = width(p) - BigInt(p.bits);
  return (p.addr.value >> host) << host;
}

/** IsValidCIDR's problems ([] when valid). */
export function cidrProblems(s: string): string[] {
  const p = parsePrefix(s);
  if (p === undefined)
    return [parsePrefix(s, true) ? 'must not have leading 0s in IP or prefix length' : CIDR_MSG];
  if (IS_4IN6(p.addr)) return ['must not have an IPv4-mapped IPv6 address'];
  if (masked(p) !== p.addr.value) return ['must not have bits set beyond the prefix length'];
  const canonical = `${formatAddr(p.addr)}/${p.bits}`;
  return canonical === s ? [] : [`must be in canonical form (${JSON.stringify(canonical)})`];
}

/** Is `inner` a strict subset of `outer` (same family, longer prefix, inside it)? */
export function strictSubset(outer: Prefix, inner: Prefix): boolean {
  if (outer.addr.v6 !== inner.addr.v6 || inner.bits <= outer.bits) return false;
  const host = width(outer) - BigInt(outer.bits);
  return masked(inner) >> host === masked(outer) >> host;
}

/**
 * One problem with an address in a field the API server validated loosely before KEP-4858
 * (hostAliases, nameservers, clusterIPs, externalIPs, Endpoints, loadBalancerSourceRanges,
 * NetworkPolicy ipBlocks, Node podCIDRs). `warning` problems are what it only warns about.
 */
export interface AddrProblem {
  message: string;
  warning: boolean;
}

const q = (s: string): string => JSON.stringify(s);
const err = (message: string): AddrProblem => ({ message, warning: false });
const warn = (message: string): AddrProblem => ({ message, warning: true });
const nonStandard = (what: string, s: string, use: string): AddrProblem =>
  warn(
    `non-standard ${what} ${q(s)} will be considered invalid in a future Kubernetes release: use ${q(use)}`,
  );

/** ::ffff:a.b.c.d as the IPv4 address it carries. */
const unmap = (a: Addr): Addr => (IS_4IN6(a) ? { v6: false, value: a.value & 0xffffffffn } : a);

/** A prefix whose address is IPv4-mapped, as the IPv4 prefix it denotes. */
export function unmapPrefix(p: Prefix): Prefix {
  return IS_4IN6(p.addr) && p.bits >= 96 ? { addr: unmap(p.addr), bits: p.bits - 96 } : p;
}

const formatPrefix = (p: Prefix): string => `${formatAddr(p.addr)}/${p.bits}`;

/**
 * A legacy IP field. `strict` is the StrictIPCIDRValidation behaviour (on from 1.36): leading zeros
 * and IPv4-mapped IPv6 are errors; before it they are warnings. A non-canonical IPv6 address is a
 * warning at every minor.
 */
export function legacyIPProblems(s: string, strict: boolean): AddrProblem[] {
  const a = parseAddr(s);
  if (a === undefined) {
    const sloppy = parseAddr(s, true);
    if (sloppy === undefined) return [err(IP_MSG)];
    return [strict ? err('must not have leading 0s') : nonStandard('IP address', s, formatAddr(sloppy))];
  }
  if (IS_4IN6(a))
    return [
      strict
        ? err('must not be an IPv4-mapped IPv6 address')
        : nonStandard('IP address', s, formatAddr(unmap(a))),
    ];
  const canonical = formatAddr(a);
  return canonical === s
    ? []
    : [warn(`IPv6 address ${q(s)} should be in RFC 5952 canonical format (${q(canonical)})`)];
}

/** A legacy CIDR field, as legacyIPProblems; bits beyond the prefix were only "ambiguous" before 1.36. */
export function legacyCIDRProblems(s: string, strict: boolean): AddrProblem[] {
  const p = parsePrefix(s);
  if (p === undefined) {
    const sloppy = parsePrefix(s, true);
    if (sloppy === undefined) return [err(CIDR_MSG)];
    return strict
      ? [err('must not have leading 0s in IP or prefix length')]
      : [nonStandard('CIDR value', s, formatPrefix(unmapPrefix(sloppy)))];
  }
  if (IS_4IN6(p.addr))
    return [
      strict
        ? err('must not have an IPv4-mapped IPv6 address')
        : nonStandard('CIDR value', s, formatPrefix(unmapPrefix(p))),
    ];
  if (masked(p) !== p.addr.value) {
    if (strict) return [err('must not have bits set beyond the prefix length')];
    const network = formatPrefix({ addr: { v6: p.addr.v6, value: masked(p) }, bits: p.bits });
    const host = formatPrefix({ addr: p.addr, bits: p.addr.v6 ? 128 : 32 });
    return [warn(`CIDR value ${q(s)} is ambiguous in this context (should be ${q(network)} or ${q(host)}?)`)];
  }
  const canonical = formatPrefix(p);
  return canonical === s
    ? []
    : [warn(`IPv6 CIDR value ${q(s)} should be in RFC 5952 canonical format (${q(canonical)})`)];
}

/** Strict IP/CIDR parsing in legacy fields (the StrictIPCIDRValidation gate is on from 1.36). */
export const strictAddresses = (v: Issues): boolean => compareMinor(v.ctx.minor, '1.36') >= 0;

/**
 * Report a legacy address field's problems at `path`; `shown` names the field in error messages
 * where the API server names it differently (`spec.clusterIPs[0]` for `spec.clusterIP`).
 */
export function reportAddress(
  v: Issues,
  path: Path,
  value: string,
  problems: readonly AddrProblem[],
  shown?: string,
): void {
  for (const p of problems) {
    if (p.warning) v.warn(path, v.show(value, path) === '' ? 'non-standard address' : p.message);
    else if (shown !== undefined) invalidIn(v, path, shown, value, p.message);
    else v.invalid(path, value, p.message);
  }
}
