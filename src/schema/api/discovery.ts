/**
 * discovery.k8s.io: EndpointSlices (pkg/apis/discovery/validation): the address type, addresses of
 * that type, endpoint host and node names, ports.
 */
import { Issues, arr, isObj, str, type Obj, type ValidatorTable } from './issues.js';
import {
  DNS1123_LABEL_MSG,
  DNS1123_SUBDOMAIN_MSG,
  isDns1123Label,
  isDns1123Subdomain,
  qualifiedNameProblems,
} from './formats.js';
import { ipProblems, legacyIPProblems, parseAddr, reportAddress, strictAddresses } from './netaddr.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'] as const;
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'] as const;
const MAX_ADDRESSES = 100;

/** A fully qualified domain name (IsFullyQualifiedDomainName): a subdomain with at least one dot. */
export function fqdnProblem(name: string): string | undefined {
  const n = name.endsWith('.') ? name.slice(0, -1) : name;
  if (!isDns1123Subdomain(n)) return DNS1123_SUBDOMAIN_MSG;
  if (n.split('.').length < 2) return 'should be a domain with at least two segments separated by dots';
  return undefined;
}

function validateEndpoint(ep: Obj, type: string, i: number, v: Issues): void {
  const at = ['endpoints', i];
  const addresses = arr(ep.addresses);
  if (addresses.length === 0) v.required([...at, 'addresses']);
  else if (addresses.length > MAX_ADDRESSES) v.tooMany([...at, 'addresses'], MAX_ADDRESSES);
  addresses.forEach((a, j) => {
    if (typeof a !== 'string') return;
    const path = [...at, 'addresses', j];
    if (type === 'FQDN') {
      const p = fqdnProblem(a);
      if (p !== undefined) v.invalid(path, a, p);
      return;
    }
    if (type !== 'IPv4' && type !== 'IPv6') return;
    const strict = ipProblems(a);
    if (strict.length > 0 && !strictAddresses(v) && parseAddr(a) === undefined && parseAddr(a, true))
      reportAddress(v, path, a, legacyIPProblems(a, false));
    else if (strict.length > 0) v.invalid(path, a, strict[0]!);
    else if (type === 'IPv4' && a.includes(':'))
      v.invalid([...at, 'addresses'], a, 'must be an IPv4 address');
    else if (type === 'IPv6' && !a.includes(':'))
      v.invalid([...at, 'addresses'], a, 'must be an IPv6 address');
  });
  const nodeName = str(ep.nodeName);
  if (nodeName !== undefined && !isDns1123Subdomain(nodeName))
    v.invalid([...at, 'nodeName'], nodeName, DNS1123_SUBDOMAIN_MSG);
  const hostname = str(ep.hostname);
  if (hostname !== undefined && !isDns1123Label(hostname))
    v.invalid([...at, 'hostname'], hostname, DNS1123_LABEL_MSG);
}

function validateEndpointSlice(o: Obj, v: Issues): void {
  const type = str(o.addressType) ?? '';
  if (type === '') v.required(['addressType']);
  else if (!(ADDRESS_TYPES as readonly string[]).includes(type))
    v.notSupported(['addressType'], type, ADDRESS_TYPES);
  arr(o.endpoints).forEach((ep, i) => {
    if (isObj(ep)) validateEndpoint(ep, type, i, v);
  });
  const names = new Set<string>();
  arr(o.ports).forEach((port, i) => {
    if (!isObj(port)) return;
    const at = ['ports', i];
    // v1 defaults a missing name to "".
    const name = str(port.name) ?? '';
    if (name !== '' && !isDns1123Label(name)) v.invalid([...at, 'name'], name, DNS1123_LABEL_MSG);
    if (names.has(name)) v.duplicate([...at, 'name'], name);
    names.add(name);
    const protocol = str(port.protocol);
    if (protocol !== undefined && !(PROTOCOLS as readonly string[]).includes(protocol))
      v.notSupported([...at, 'protocol'], protocol, PROTOCOLS);
    const appProtocol = str(port.appProtocol);
    if (appProtocol !== undefined)
      for (const p of qualifiedNameProblems(appProtocol)) v.invalid([...at, 'appProtocol'], appProtocol, p);
  });
}

export const DISCOVERY_VALIDATORS: ValidatorTable = {
  'discovery.k8s.io/EndpointSlice': validateEndpointSlice,
};
