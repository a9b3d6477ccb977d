// discovery.k8s.io checks the API server runs in Go; each verdict and message was confirmed with
// kube-apiserver v1.37 (kubectl create --dry-run=server --validate=strict).
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../helpers/schema-findings.js';

const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

describe('EndpointSlice validation', () => {
  it('accepts slices the API server accepts', async () => {
    const yaml = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ok
addressType: IPv4
endpoints:
- addresses: ["10.0.0.1"]
  hostname: web-0
  nodeName: node-1.example
  conditions: {ready: true}
ports:
- {name: http, port: 80, protocol: TCP, appProtocol: kubernetes.io/h2c}
- {port: 8080}
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ok6
addressType: FQDN
endpoints: []
`;
    expect(await schemaErrors(yaml)).toEqual([]);
  });

  it('checks the address type', async () => {
    const yaml = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: e1
addressType: IPv5
endpoints: []
`;
    expect(await schemaErrors(yaml)).toEqual([
      '5:14 addressType: Unsupported value: "IPv5": supported values: "FQDN", "IPv4", "IPv6"',
    ]);
  });

  it('checks addresses against the type, host and node names, and ports', async () => {
    const yaml = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: e2
addressType: IPv4
endpoints:
- addresses: []
- addresses: ["10.0.0.1", "fd00::1", "010.0.0.1", "x", "::ffff:10.0.0.1"]
  hostname: Bad_Host
  nodeName: "Node_1"
ports:
- {name: http, port: 80, protocol: TCP}
- {name: http, port: 81, protocol: ICMP}
- {name: "-bad", port: 82, appProtocol: "-x"}
`;
    expect(await schemaErrors(yaml)).toEqual([
      '7:3 endpoints[0].addresses: Required value',
      '8:3 endpoints[1].addresses: Invalid value: "fd00::1": must be an IPv4 address',
      '8:38 endpoints[1].addresses[2]: Invalid value: "010.0.0.1": must not have leading 0s',
      '8:51 endpoints[1].addresses[3]: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      '8:56 endpoints[1].addresses[4]: Invalid value: "::ffff:10.0.0.1": must not be an IPv4-mapped IPv6 address',
      `9:13 endpoints[1].hostname: Invalid value: "Bad_Host": ${LABEL}`,
      `10:13 endpoints[1].nodeName: Invalid value: "Node_1": ${SUBDOMAIN}`,
      '13:10 ports[1].name: Duplicate value: "http"',
      '13:36 ports[1].protocol: must be one of TCP, UDP, SCTP, got string "ICMP"',
      `14:10 ports[2].name: Invalid value: "-bad": ${LABEL}`,
      `14:41 ports[2].appProtocol: Invalid value: "-x": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
    ]);
  });

  it('checks FQDN and IPv6 addresses', async () => {
    const yaml = `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: e3
addressType: FQDN
endpoints:
- addresses: ["example.com", "Bad_Name", "10.0.0.1", "a"]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: e4
addressType: IPv6
endpoints:
- addresses: ["fd00::1", "10.0.0.1"]
`;
    expect(await schemaErrors(yaml)).toEqual([
      `7:30 endpoints[0].addresses[1]: Invalid value: "Bad_Name": ${SUBDOMAIN}`,
      '7:54 endpoints[0].addresses[3]: Invalid value: "a": should be a domain with at least two segments separated by dots',
      '15:3 endpoints[0].addresses: Invalid value: "10.0.0.1": must be an IPv6 address',
    ]);
  });
});
