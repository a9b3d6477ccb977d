// API-server-grade checks of the networking.k8s.io group (src/schema/api/networking.ts, netaddr.ts) through the schema preset.
// Every fixture under test/fixtures/api/networking was sent to a real kube-apiserver v1.37.2
// (`kubectl create --dry-run=server --validate=strict`): it rejects exactly the documents that
// get findings here, with the same field paths and wording, and accepts the others.
import { describe, expect, it } from 'vitest';
import { fixtureFindings } from '../helpers/schema-findings.js';
import { ipProblems } from '../../src/schema/api/netaddr.js';

const DIR = new URL('../fixtures/api/networking/', import.meta.url);

const findings = fixtureFindings(DIR);

describe('networking: API-server validation', () => {
  it('Ingress: rules or defaultBackend, backends, path types and absolute paths, hosts (no IP, wildcards), TLS hosts and secret, class name; a valid one passes', async () => {
    expect(await findings('ingress.yaml')).toEqual([
      '5:1 spec: Invalid value: null: either `defaultBackend` or `rules` must be specified',
      "12:21 spec.ingressClassName: Invalid value: \"Bad_Class\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      '13:3 spec.defaultBackend: Invalid value: "": cannot set both port name & port number',
      "18:30 spec.tls[0].hosts[1]: Invalid value: \"Bad_Host\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      "19:17 spec.tls[0].secretName: Invalid value: \"Bad_Secret\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      '21:11 spec.rules[0].host: Invalid value: "1.2.3.4": must be a DNS name, not an IP address',
      '24:15 spec.rules[0].http.paths[0].path: Invalid value: "relative": must be an absolute path',
      '26:9 spec.rules[0].http.paths[0].backend: Required value: port name or number is required',
      '28:9 spec.rules[0].http.paths[1].pathType: missing required field "pathType"',
      '32:19 spec.rules[0].http.paths[2].pathType: must be one of Exact, Prefix, ImplementationSpecific, got string "Foo"',
      '34:47 spec.rules[0].http.paths[2].backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive',
      '38:15 spec.rules[1].http.paths[0].path: Invalid value: "/a//b": must not contain \'//\'',
      '40:9 spec.rules[1].http.paths[0].backend: Required value: port name or number is required',
      '42:15 spec.rules[1].http.paths[1].path: Invalid value: "/a/./b": must not contain \'/./\'',
      '44:9 spec.rules[1].http.paths[1].backend: Invalid value: "": cannot set both resource and service backends',
      '47:15 spec.rules[1].http.paths[2].path: Invalid value: "/a/../b": must not contain \'/../\'',
      '49:9 spec.rules[1].http.paths[2].backend: Invalid value: "": resource or service backend is required',
      "50:11 spec.rules[2].host: Invalid value: \"foo.*.com\": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      "56:32 spec.rules[2].http.paths[0].backend.resource.apiGroup: Invalid value: \"Bad Group\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      '56:51 spec.rules[2].http.paths[0].backend.resource.kind: Required value',
      '56:61 spec.rules[2].http.paths[0].backend.resource.name: Required value',
      "57:11 spec.rules[3].host: Invalid value: \"bad_host.com\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      "58:11 spec.rules[4].host: Invalid value: \"*\": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      '67:7 spec.rules[0].http.paths: Required value',
      '82:15 spec.rules[0].http.paths[1].path: Invalid value: "/a/..": cannot end with \'/..\'',
      '86:15 spec.rules[0].http.paths[2].path: Invalid value: "/a/.": cannot end with \'/.\'',
      '94:15 spec.rules[0].http.paths[4].path: Invalid value: "relative": must be an absolute path',
      "106:21 spec.defaultBackend.service.name: Invalid value: \"Bad_Svc\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      '106:45 spec.defaultBackend.service.port.name: Invalid value: "Bad_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      '114:21 spec.defaultBackend.service.name: Required value',
      "116:11 spec.rules[0].host: Invalid value: \"::1\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      '116:11 spec.rules[0].host: Invalid value: "::1": must be a DNS name, not an IP address',
      '117:11 spec.rules[1].host: Invalid value: "01.2.3.4": must be a DNS name, not an IP address',
    ]);
  });

  it('IngressClass: domain-prefixed controller, parameters reference, scope and namespace; a valid one passes', async () => {
    expect(await findings('ingressclass.yaml')).toEqual([
      "6:15 spec.controller: Invalid value: \"Example.com\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      '7:22 spec.parameters.kind: Required value',
      '7:32 spec.parameters.name: Required value',
      '7:43 spec.parameters.scope: Unsupported value: "Foo": supported values: "Cluster", "Namespace"',
      '14:15 spec.controller: Invalid value: "noslash": must be a domain-prefixed path (such as "acme.io/foo")',
      "15:26 spec.parameters.apiGroup: Invalid value: \"a/b\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      '15:39 spec.parameters.kind: Invalid value: "a/b": may not contain \'/\'',
      '15:52 spec.parameters.name: Invalid value: "a%b": may not contain \'%\'',
      "15:86 spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'",
      '22:15 spec.controller: Invalid value: "example.com/": must be a domain-prefixed path (such as "acme.io/foo")',
      '28:1 spec.controller: Required value',
      "29:3 spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'",
      "36:15 spec.controller: Invalid value: \"a b\": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')",
      "37:68 spec.parameters.namespace: Invalid value: \"Bad_NS\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
    ]);
  });

  it('NetworkPolicy: ports, protocols, endPort, peers, ipBlock CIDRs and except subsets, policyTypes; a valid one passes', async () => {
    expect(await findings('networkpolicy.yaml')).toEqual([
      '8:28 spec.podSelector.matchExpressions[0].operator: must be one of In, NotIn, Exists, DoesNotExist, got string "Bad"',
      '9:26 spec.policyTypes[1]: must be one of Ingress, Egress, got string "Sideways"',
      '12:18 spec.ingress[0].ports[0].protocol: must be one of TCP, UDP, SCTP, got string "ICMP"',
      '13:14 spec.ingress[0].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      '14:28 spec.ingress[0].ports[2].endPort: Invalid value: 90: must be greater than or equal to `port`',
      '15:29 spec.ingress[0].ports[3].endPort: Invalid value: 90: may not be specified when `port` is non-numeric',
      '16:17 spec.ingress[0].ports[4].endPort: Invalid value: 90: may not be specified when `port` is not specified',
      '17:14 spec.ingress[0].ports[5].port: Invalid value: "Bad_Name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      '18:27 spec.ingress[0].ports[6].endPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      '20:7 spec.ingress[0].from[0]: Required value: must specify a peer',
      '21:7 spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer',
      '23:23 spec.ingress[0].from[2].ipBlock.cidr: Required value',
      '24:23 spec.ingress[0].from[3].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      '25:46 spec.ingress[0].from[4].ipBlock.except[0]: Invalid value: "11.0.0.0/16": must be a strict subset of `cidr`',
      '25:61 spec.ingress[0].from[4].ipBlock.except[1]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`',
      '25:90 spec.ingress[0].from[4].ipBlock.except[3]: Invalid value: "bogus": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      '25:99 spec.ingress[0].from[4].ipBlock.except[4]: Invalid value: "010.1.0.0/16": must not have leading 0s in IP or prefix length',
      '26:23 spec.ingress[0].from[5].ipBlock.cidr: Invalid value: "10.0.0.1/8": must not have bits set beyond the prefix length',
      '32:23 spec.egress[0].to[1].ipBlock.cidr: Invalid value: "1.2.3.4": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      '40:3 spec.policyTypes: Invalid value: ["Ingress","Egress","Ingress"]: may not specify more than two policyTypes',
    ]);
  });

  it('IPAddress: parentRef.namespace is a path segment, not a DNS label (as the API server checks it)', async () => {
    expect(await findings('ipaddress-parent-namespace.yaml')).toEqual([
      `13:57 spec.parentRef.namespace: Invalid value: "a/b": may not contain '/'`,
    ]);
  });

  it('IPAddress: parentRef required with resource and name', async () => {
    expect(await findings('ipaddress.yaml')).toEqual([
      '13:25 spec.parentRef.resource: Required value',
      '13:35 spec.parentRef.name: Required value',
      '19:1 spec.parentRef: missing required field "parentRef"',
    ]);
  });

  it('ServiceCIDR: one or two canonical CIDRs of distinct families; a dual-stack one passes', async () => {
    expect(await findings('servicecidr.yaml')).toEqual([
      '6:3 spec.cidrs: Invalid value: {"CIDRs":["10.0.0.0/8","10.1.0.0/16","fd00::/64"]}: may only hold up to 2 values',
      '13:11 spec.cidrs[0]: Invalid value: "10.0.0.1/8": must not have bits set beyond the prefix length',
      '13:25 spec.cidrs[1]: Invalid value: "bogus": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      '20:3 spec.cidrs: Invalid value: ["10.0.0.0/8","11.0.0.0/8"]: may specify no more than one IP for each IP family, i.e 192.168.0.0/24 and 2001:db8::/64',
      '26:1 spec.cidrs: Required value: at least one CIDR required',
    ]);
  });
});

describe('netaddr: strict IP and CIDR forms', () => {
  // Messages as the API server gave them for IPAddress names "010.0.0.1" and "fd00:0:0::1".
  it('refuses leading zeros and non-canonical IPv6, accepts canonical addresses', () => {
    expect(ipProblems('010.0.0.1')).toEqual(['must not have leading 0s']);
    expect(ipProblems('fd00:0:0::1')).toEqual(['must be in canonical form ("fd00::1")']);
    expect(ipProblems('10.0.0.1')).toEqual([]);
    expect(ipProblems('2001:db8::ffff')).toEqual([]);
    expect(ipProblems('bogus')).toEqual(['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
  });
});
