/**
 * The networking.k8s.io group (pkg/apis/networking/validation): Ingresses, IngressClasses,
 * NetworkPolicies, and the IPAddress and ServiceCIDR kinds 1.37 serves.
 */
import { Issues, arr, num, obj, str, type Obj, type Path, type ValidatorTable } from './issues.js';
import { isPortNum, portNameProblems, validateLabelSelector } from './formats.js';
import { dns1123LabelProblems, dns1123SubdomainProblems, pathSegmentProblems } from './workload-shared.js';
import {
  cidrProblems,
  legacyCIDRProblems,
  parseAddr,
  parsePrefix,
  reportAddress,
  strictAddresses,
  strictSubset,
  unmapPrefix,
} from './netaddr.js';

const PORT_RANGE_MSG = 'must be between 1 and 65535, inclusive';
const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'] as const;
const INVALID_PATH_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_PATH_SUFFIXES = ['/..', '/.'];
const WILDCARD_MSG =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const WILDCARD = /^\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function wildcardProblems(host: string): string[] {
  const out: string[] = [];
  if (host.length > 253) out.push('must be no more than 253 characters');
  if (!WILDCARD.test(host)) out.push(WILDCARD_MSG);
  return out;
}

/** A host with a `*` is a wildcard subdomain, anything else a DNS subdomain. */
function hostProblems(host: string): string[] {
  return host.includes('*') ? wildcardProblems(host) : dns1123SubdomainProblems(host);
}

/** A TypedLocalObjectReference: optional apiGroup subdomain, kind and name path segments. */
function typedLocalRef(ref: Obj, path: Path, v: Issues): void {
  const group = str(ref.apiGroup);
  if (group !== undefined)
    for (const p of dns1123SubdomainProblems(group)) v.invalid([...path, 'apiGroup'], group, p);
  for (const f of ['kind', 'name'] as const) {
    const s = str(ref[f]) ?? '';
    if (s === '') v.required([...path, f]);
    else for (const p of pathSegmentProblems(s)) v.invalid([...path, f], s, p);
  }
}

function ingressBackend(backend: Obj, path: Path, v: Issues): void {
  const resource = obj(backend.resource);
  const service = obj(backend.service);
  if (resource && service) {
    v.invalid(path, '', 'cannot set both resource and service backends');
    return;
  }
  if (resource) {
    typedLocalRef(resource, [...path, 'resource'], v);
    return;
  }
  if (!service) {
    v.invalid(path, '', 'resource or service backend is required');
    return;
  }
  const name = str(service.name) ?? '';
  if (name === '') v.required([...path, 'service', 'name']);
  else for (const p of dns1123LabelProblems(name)) v.invalid([...path, 'service', 'name'], name, p);
  const port = obj(service.port) ?? {};
  const portName = str(port.name) ?? '';
  const portNumber = num(port.number) ?? 0;
  if (portName !== '' && portNumber !== 0) v.invalid(path, '', 'cannot set both port name & port number');
  else if (portName !== '')
    for (const p of portNameProblems(portName)) v.invalid([...path, 'service', 'port', 'name'], portName, p);
  else if (portNumber !== 0) {
    if (!isPortNum(portNumber)) v.invalid([...path, 'service', 'port', 'number'], portNumber, PORT_RANGE_MSG);
  } else v.required(path, 'port name or number is required');
}

function httpPath(p: Obj, path: Path, v: Issues): void {
  const pathType = str(p.pathType);
  if (pathType === undefined) {
    v.required([...path, 'pathType'], 'pathType must be specified');
    return;
  }
  const value = str(p.path) ?? '';
  const at = [...path, 'path'];
  if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!value.startsWith('/')) v.invalid(at, value, 'must be an absolute path');
    if (value.length > 0) {
      for (const seq of INVALID_PATH_SEQUENCES)
        if (value.includes(seq)) v.invalid(at, value, `must not contain '${seq}'`);
      for (const suffix of INVALID_PATH_SUFFIXES)
        if (value.endsWith(suffix)) v.invalid(at, value, `cannot end with '${suffix}'`);
    }
  } else if (pathType === 'ImplementationSpecific') {
    if (value.length > 0 && !value.startsWith('/')) v.invalid(at, value, 'must be an absolute path');
  } else v.notSupported([...path, 'pathType'], pathType, PATH_TYPES);
  ingressBackend(obj(p.backend) ?? {}, [...path, 'backend'], v);
}

function ingress(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  const rules = arr(spec.rules);
  if (rules.length === 0 && spec.defaultBackend == null)
    v.invalid(['spec'], spec.rules ?? null, 'either `defaultBackend` or `rules` must be specified');
  const db = obj(spec.defaultBackend);
  if (db !== undefined) ingressBackend(db, ['spec', 'defaultBackend'], v);
  rules.forEach((r, i) => {
    const rule = obj(r) ?? {};
    const at: Path = ['spec', 'rules', i];
    const host = str(rule.host) ?? '';
    if (host !== '') {
      if (parseAddr(host, true)) v.invalid([...at, 'host'], host, 'must be a DNS name, not an IP address');
      for (const p of hostProblems(host)) v.invalid([...at, 'host'], host, p);
    }
    const http = obj(rule.http);
    if (http !== undefined) {
      const paths = arr(http.paths);
      if (paths.length === 0) v.required([...at, 'http', 'paths']);
      paths.forEach((p, j) => httpPath(obj(p) ?? {}, [...at, 'http', 'paths', j], v));
    }
  });
  arr(spec.tls).forEach((t, i) => {
    const tls = obj(t) ?? {};
    const at: Path = ['spec', 'tls', i];
    arr(tls.hosts).forEach((h, j) => {
      if (typeof h === 'string') for (const p of hostProblems(h)) v.invalid([...at, 'hosts', j], h, p);
    });
    const secret = str(tls.secretName) ?? '';
    if (secret !== '')
      for (const p of dns1123SubdomainProblems(secret)) v.invalid([...at, 'secretName'], secret, p);
  });
  const className = str(spec.ingressClassName);
  if (className !== undefined)
    for (const p of dns1123SubdomainProblems(className))
      v.invalid(['spec', 'ingressClassName'], className, p);
}

const HTTP_PATH = /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;
const SCOPES = ['Cluster', 'Namespace'] as const;

function ingressClass(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  const cPath: Path = ['spec', 'controller'];
  const controller = str(spec.controller) ?? '';
  if (controller.length > 250) v.add(cPath, 'Too long: may not be more than 250 bytes');
  const slash = controller.indexOf('/');
  if (controller === '') v.required(cPath);
  else if (slash <= 0 || slash === controller.length - 1)
    v.invalid(cPath, controller, 'must be a domain-prefixed path (such as "acme.io/foo")');
  else {
    const host = controller.slice(0, slash);
    for (const p of dns1123SubdomainProblems(host)) v.invalid(cPath, host, p);
    const rest = controller.slice(slash + 1);
    if (!HTTP_PATH.test(rest))
      v.invalid(
        cPath,
        rest,
        "Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')",
      );
  }
  const params = obj(spec.parameters);
  if (params === undefined) return;
  const pPath: Path = ['spec', 'parameters'];
  typedLocalRef(params, pPath, v);
  const scope = str(params.scope) ?? 'Cluster';
  const ns = str(params.namespace);
  if (!SCOPES.includes(scope as 'Cluster')) v.notSupported([...pPath, 'scope'], scope, SCOPES);
  else if (scope === 'Namespace') {
    if (ns === undefined) v.required([...pPath, 'namespace'], "`parameters.scope` is set to 'Namespace'");
    else for (const p of dns1123LabelProblems(ns)) v.invalid([...pPath, 'namespace'], ns, p);
  } else if (ns !== undefined) v.forbidden([...pPath, 'namespace'], "`parameters.scope` is set to 'Cluster'");
}

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

function policyPort(port: Obj, path: Path, v: Issues): void {
  const protocol = str(port.protocol);
  if (protocol !== undefined && !PROTOCOLS.includes(protocol as 'TCP'))
    v.notSupported([...path, 'protocol'], protocol, PROTOCOLS);
  const p = port.port;
  const end = num(port.endPort);
  if (typeof p === 'number') {
    if (!isPortNum(p)) v.invalid([...path, 'port'], p, PORT_RANGE_MSG);
    if (end !== undefined) {
      if (end < p) v.invalid([...path, 'endPort'], end, 'must be greater than or equal to `port`');
      if (!isPortNum(end)) v.invalid([...path, 'endPort'], end, PORT_RANGE_MSG);
    }
  } else if (typeof p === 'string') {
    if (end !== undefined)
      v.invalid([...path, 'endPort'], end, 'may not be specified when `port` is non-numeric');
    for (const msg of portNameProblems(p)) v.invalid([...path, 'port'], p, msg);
  } else if (end !== undefined)
    v.invalid([...path, 'endPort'], end, 'may not be specified when `port` is not specified');
}

function ipBlock(block: Obj, path: Path, v: Issues): void {
  const cidr = str(block.cidr) ?? '';
  if (cidr === '') {
    v.required([...path, 'cidr']);
    return;
  }
  const strict = strictAddresses(v);
  reportAddress(v, [...path, 'cidr'], cidr, legacyCIDRProblems(cidr, strict));
  const sloppy = parsePrefix(cidr, true);
  if (sloppy === undefined) return;
  const outer = unmapPrefix(sloppy);
  arr(block.except).forEach((item, i) => {
    // A null item of a string list decodes as "".
    const e = item === null ? '' : item;
    if (typeof e !== 'string') return;
    const at = [...path, 'except', i];
    reportAddress(v, at, e, legacyCIDRProblems(e, strict));
    const parsed = parsePrefix(e, true);
    const inner = parsed && unmapPrefix(parsed);
    if (inner !== undefined && !strictSubset(outer, inner))
      v.invalid(at, e, 'must be a strict subset of `cidr`');
  });
}

function policyPeer(peer: Obj, path: Path, v: Issues): void {
  let peers = 0;
  for (const f of ['podSelector', 'namespaceSelector'] as const)
    if (peer[f] != null) {
      peers++;
      validateLabelSelector(peer[f], [...path, f], v);
    }
  const block = obj(peer.ipBlock);
  if (block !== undefined) {
    peers++;
    ipBlock(block, [...path, 'ipBlock'], v);
  }
  if (peers === 0) v.required(path, 'must specify a peer');
  else if (peers > 1 && block !== undefined)
    v.forbidden(path, 'may not specify both ipBlock and another peer');
}

function networkPolicy(o: Obj, v: Issues): void {
  const spec = obj(o.spec);
  if (spec === undefined) return;
  validateLabelSelector(spec.podSelector, ['spec', 'podSelector'], v);
  for (const [dir, peersField] of [
    ['ingress', 'from'],
    ['egress', 'to'],
  ] as const)
    arr(spec[dir]).forEach((r, i) => {
      const rule = obj(r) ?? {};
      const at: Path = ['spec', dir, i];
      arr(rule.ports).forEach((p, j) => policyPort(obj(p) ?? {}, [...at, 'ports', j], v));
      arr(rule[peersField]).forEach((p, j) => policyPeer(obj(p) ?? {}, [...at, peersField, j], v));
    });
  const types = arr(spec.policyTypes);
  if (types.length > 2) {
    v.invalid(['spec', 'policyTypes'], types, 'may not specify more than two policyTypes');
    return;
  }
  types.forEach((t, i) => {
    if (typeof t === 'string' && t !== 'Ingress' && t !== 'Egress')
      v.notSupported(['spec', 'policyTypes', i], t, ['Ingress', 'Egress']);
  });
}

function ipAddress(o: Obj, v: Issues): void {
  // metadata.name (an IP in canonical form: netaddr.ipProblems) is left to the name rules of meta.ts.
  const spec = obj(o.spec) ?? {};
  const ref = obj(spec.parentRef);
  if (ref === undefined) {
    v.required(['spec', 'parentRef']);
    return;
  }
  const at: Path = ['spec', 'parentRef'];
  const group = str(ref.group) ?? '';
  if (group !== '') for (const p of dns1123SubdomainProblems(group)) v.invalid([...at, 'group'], group, p);
  for (const f of ['resource', 'name'] as const) {
    const s = str(ref[f]) ?? '';
    if (s === '') v.required([...at, f]);
    else for (const p of pathSegmentProblems(s)) v.invalid([...at, f], s, p);
  }
  const ns = str(ref.namespace) ?? '';
  if (ns !== '') for (const p of pathSegmentProblems(ns)) v.invalid([...at, 'namespace'], ns, p);
}

function serviceCidr(o: Obj, v: Issues): void {
  const spec = obj(o.spec) ?? {};
  const cidrs = arr(spec.cidrs);
  const at: Path = ['spec', 'cidrs'];
  if (cidrs.length === 0) {
    v.required(at, 'at least one CIDR required');
    return;
  }
  if (cidrs.length > 2) {
    v.invalid(at, { CIDRs: cidrs }, 'may only hold up to 2 values');
    return;
  }
  let valid = true;
  cidrs.forEach((c, i) => {
    if (typeof c !== 'string') return;
    const problems = cidrProblems(c);
    if (problems.length > 0) valid = false;
    for (const p of problems) v.invalid([...at, i], c, p);
  });
  if (valid && cidrs.length === 2) {
    const [a, b] = cidrs.map((c) => parsePrefix(String(c)));
    if (a && b && a.addr.v6 === b.addr.v6)
      v.invalid(
        at,
        cidrs,
        'may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64',
      );
  }
}

export const NETWORKING_VALIDATORS: ValidatorTable = {
  'networking.k8s.io/Ingress': ingress,
  'networking.k8s.io/IngressClass': ingressClass,
  'networking.k8s.io/NetworkPolicy': networkPolicy,
  'networking.k8s.io/IPAddress': ipAddress,
  'networking.k8s.io/ServiceCIDR': serviceCidr,
};
