/**
 * ObjectMeta as apimachinery's ValidateObjectMeta checks it at create, with the per-kind name rule
 * (`NAME_RULES`). Kinds not in the table use DNS-1123 subdomain names, the API server's default.
 * Every rule and message here was checked against kube-apiserver v1.37.
 */
import { compareMinor } from '../removed-apis.js';
import { isClusterScoped } from '../../engine/kinds.js';
import { Issues, arr, isObj, obj, str, type Obj, type ValidatorTable } from './issues.js';
import {
  dns1035LabelProblems,
  dns1123LabelProblems,
  dns1123SubdomainProblems,
  invalidIn,
  isIP,
  pathSegmentProblems,
  qualifiedNameProblems,
  validateAnnotations,
  validateLabels,
} from './formats.js';

/**
 * How a kind's name is validated: the problems of `name`, [] when valid. `prefix` is true for a
 * `generateName` (a trailing '-' is then allowed, as the API server masks it).
 */
export type NameRule = (name: string, prefix: boolean, minor: string) => string[];

const maskTrailingDash = (n: string): string => (n.length > 1 && n.endsWith('-') ? n.slice(0, -1) + 'a' : n);

export const subdomain: NameRule = (n, prefix) => dns1123SubdomainProblems(prefix ? maskTrailingDash(n) : n);
/** Declaratively validated kinds word the length limit in bytes. */
const subdomainBytes: NameRule = (n, prefix) =>
  dns1123SubdomainProblems(prefix ? maskTrailingDash(n) : n, 'bytes');
export const label: NameRule = (n, prefix) => dns1123LabelProblems(prefix ? maskTrailingDash(n) : n);
export const pathSegment: NameRule = (n, prefix) => pathSegmentProblems(n, prefix);
const anyName: NameRule = () => [];

/** Services: DNS-1035 labels before RelaxedServiceNameValidation (KEP-5311, on by default from 1.35). */
const serviceName: NameRule = (n, prefix, minor) =>
  compareMinor(minor, '1.35') < 0
    ? dns1035LabelProblems(prefix ? maskTrailingDash(n) : n)
    : label(n, prefix, minor);

/** CronJobs: subdomains, and at most 52 characters (the Job names it makes get 11 more). */
const cronJobName: NameRule = (n, prefix, minor) => {
  const out = subdomain(n, prefix, minor);
  if (!prefix && n.length > 52) out.push('must be no more than 52 characters');
  return out;
};

/** IPAddress objects are named by their address, in canonical form. */
const ipAddressName: NameRule = (n, prefix) => {
  if (prefix) return [];
  if (/^\d+\.\d+\.\d+\.\d+$/.test(n) && n.split('.').some((o) => o.length > 1 && o.startsWith('0')))
    return ['must not have leading 0s'];
  if (!isIP(n)) return ['must be a valid IP address'];
  if (n.includes(':')) {
    const canon = canonicalIPv6(n);
    if (canon !== n) return [`must be in canonical form (${JSON.stringify(canon)})`];
  }
  return [];
};

/** RFC 5952 text of a valid IPv6 address (lower case, no leading zeros, longest zero run as '::'). */
export function canonicalIPv6(s: string): string {
  let text = s.toLowerCase();
  const tail = text.slice(text.lastIndexOf(':') + 1);
  if (tail.includes('.')) {
    const o = tail.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, text.lastIndexOf(':') + 1)}${((o[0] << 8) | o[1]).toString(16)}:${((o[2] << 8) | o[3]).toString(16)}`;
  }
  const [l, r] = text.split('::') as [string, string | undefined];
  const left = l === '' ? [] : l.split(':');
  const right = r === undefined || r === '' ? [] : r.split(':');
  const groups =
    r === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  const g = groups.map((x) => parseInt(x, 16).toString(16));
  if (g.length >= 7 && g.slice(0, 5).every((x) => x === '0') && g[5] === 'ffff' && g.length === 8) {
    const n = [g[6], g[7]].map((x) => parseInt(x!, 16));
    return `::ffff:${n[0]! >> 8}.${n[0]! & 255}.${n[1]! >> 8}.${n[1]! & 255}`;
  }
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best < 0) return g.join(':');
  return `${g.slice(0, best).join(':')}::${g.slice(best + bestLen).join(':')}`;
}

/** `group/Kind` → name rule; everything else is a DNS-1123 subdomain. */
export const NAME_RULES: Readonly<Record<string, NameRule>> = {
  '/Namespace': label,
  '/Service': serviceName,
  'apps/StatefulSet': label,
  '/Event': pathSegment,
  'policy/PodDisruptionBudget': pathSegment,
  'rbac.authorization.k8s.io/Role': pathSegment,
  'rbac.authorization.k8s.io/ClusterRole': pathSegment,
  'rbac.authorization.k8s.io/RoleBinding': pathSegment,
  'rbac.authorization.k8s.io/ClusterRoleBinding': pathSegment,
  'apiregistration.k8s.io/APIService': pathSegment,
  'certificates.k8s.io/CertificateSigningRequest': anyName,
  '/ReplicationController': subdomainBytes,
  'resource.k8s.io/DeviceClass': subdomainBytes,
  'batch/CronJob': cronJobName,
  'networking.k8s.io/IPAddress': ipAddressName,
};

/** Kind-specific checks owned by this module. */
export const META_VALIDATORS: ValidatorTable = {};

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);
/** Longest generateName the API server keeps before it appends 5 random characters. */
const MAX_GENERATE_PREFIX = 58;

export function validateObjectMeta(object: Obj, key: string, v: Issues): void {
  const meta = obj(object.metadata) ?? {};
  const kind = key.slice(key.indexOf('/') + 1);
  const rule = NAME_RULES[key] ?? subdomain;
  const minor = v.ctx.minor;
  const name = str(meta.name) ?? '';
  const generateName = str(meta.generateName) ?? '';

  if (generateName !== '') {
    const problems = rule(generateName, true, minor);
    for (const p of problems) v.invalid(['metadata', 'generateName'], generateName, p);
    if (name === '') {
      // The name the server will make; only a length limit can fail on it beyond the prefix's problems.
      const made = generateName.slice(0, MAX_GENERATE_PREFIX) + 'xxxxx';
      for (const p of rule(made, false, minor))
        if (!problems.includes(p)) v.invalid(['metadata', 'generateName'], generateName, p);
    }
  }
  if (name !== '') for (const p of rule(name, false, minor)) v.invalid(['metadata', 'name'], name, p);
  // A LimitRange without a name is named by the API server (a UUID).
  else if (generateName === '' && !kind.endsWith('Review') && key !== '/LimitRange')
    v.required(['metadata', 'name'], 'name or generateName is required');

  const ns = str(meta.namespace);
  if (ns !== undefined && ns !== '' && !isClusterScoped(kind))
    for (const p of dns1123LabelProblems(ns)) v.invalid(['metadata', 'namespace'], ns, p);

  validateLabels(meta.labels, ['metadata', 'labels'], v);
  validateAnnotations(meta.annotations, ['metadata', 'annotations'], v);
  validateOwnerReferences(meta.ownerReferences, v);
  validateFinalizers(
    meta.finalizers,
    v,
    !GENERIC_META.has(key.slice(0, key.indexOf('/'))) && key !== 'policy/PodDisruptionBudget',
  );
}

function validateOwnerReferences(refs: unknown, v: Issues): void {
  let controller = '';
  arr(refs).forEach((r, i) => {
    if (!isObj(r)) return;
    const at = ['metadata', 'ownerReferences', i];
    for (const f of ['apiVersion', 'kind', 'name', 'uid'])
      if ((str(r[f]) ?? '') === '') v.required([...at, f], 'must not be empty');
    if (r.controller === true) {
      const current = `${str(r.kind) ?? ''}/${str(r.name) ?? ''}`;
      if (controller !== '')
        v.invalid(
          ['metadata', 'ownerReferences'],
          refs,
          `Only one reference can have Controller set to true. Found "true" in references for ${controller} and ${current}`,
        );
      else controller = current;
    }
  });
}

/**
 * Groups whose objects the API server checks with apimachinery's generic ObjectMeta validation:
 * their finalizers need only be qualified names (a plain `cleanup` is accepted, as for PDBs).
 */
const GENERIC_META = new Set(['admissionregistration.k8s.io', 'coordination.k8s.io', 'apiextensions.k8s.io']);

function validateFinalizers(finalizers: unknown, v: Issues, standardOrQualified: boolean): void {
  const list = arr(finalizers);
  const at = ['metadata', 'finalizers'];
  list.forEach((f, i) => {
    if (typeof f === 'string') for (const p of qualifiedNameProblems(f)) invalidIn(v, [...at, i], at, f, p);
  });
  if (list.includes('orphan') && list.includes('foregroundDeletion'))
    v.invalid(at, list, 'finalizer orphan and foregroundDeletion cannot be both set');
  list.forEach((f, i) => {
    if (standardOrQualified && typeof f === 'string' && !f.includes('/') && !STANDARD_FINALIZERS.has(f))
      v.invalid([...at, i], f, 'name is neither a standard finalizer name nor is it fully qualified');
  });
}
