// IPs and CIDRs in the fields the API server parsed loosely before KEP-4858. Every message and
// verdict below is what kube-apiserver v1.37.2 and v1.35.4 answered (`kubectl create
// --dry-run=server --validate=strict`) for test/fixtures/api/legacy-addresses.yaml: from 1.36 leading
// zeros, IPv4-mapped IPv6 and bits beyond the prefix are errors; at 1.35 they are warnings;
// non-canonical IPv6 is a warning in legacy fields at both, and an error in EndpointSlices.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lintText } from '../../src/index.js';

const FILE = new URL('../fixtures/api/legacy-addresses.yaml', import.meta.url);

async function findings(kubernetesVersion: string): Promise<string[]> {
  const r = await lintText('legacy-addresses.yaml', readFileSync(FILE, 'utf8'), {
    presets: ['schema'],
    kubernetesVersion,
  });
  return r.findings
    .filter((f) => f.ruleId === 'k8s-schema')
    .map((f) => `${f.location?.start.line}:${f.location?.start.column} ${f.severity} ${f.message}`);
}

const NON_STANDARD = 'will be considered invalid in a future Kubernetes release: use';

describe('legacy IP and CIDR fields follow the target minor', () => {
  it('1.37: strict parsing is an error, non-canonical IPv6 a warning', async () => {
    expect(await findings('1.37')).toEqual([
      '7:10 error spec.hostAliases[0].ip: Invalid value: "10.0.0.01": must not have leading 0s',
      '8:10 error spec.hostAliases[1].ip: Invalid value: "::ffff:10.1.2.3": must not be an IPv4-mapped IPv6 address',
      '9:10 warn spec.hostAliases[2].ip: IPv6 address "2001:DB8::1" should be in RFC 5952 canonical format ("2001:db8::1")',
      '11:29 error spec.dnsConfig.nameservers[0]: Invalid value: "10.0.0.010": must not have leading 0s',
      '18:14 error spec.clusterIPs[0]: Invalid value: "10.96.0.010": must not have leading 0s',
      '20:17 error spec.externalIPs[0]: Invalid value: "::ffff:10.1.2.3": must not be an IPv4-mapped IPv6 address',
      '20:36 warn spec.externalIPs[1]: IPv6 address "2001:db8:0:0:0:0:0:1" should be in RFC 5952 canonical format ("2001:db8::1")',
      '21:30 error spec.LoadBalancerSourceRanges[0]: Invalid value: "10.0.0.1/8": must not have bits set beyond the prefix length',
      '21:44 error spec.LoadBalancerSourceRanges[1]: Invalid value: "10.0.0.0/08": must not have leading 0s in IP or prefix length',
      '21:59 warn spec.loadBalancerSourceRanges[2]: IPv6 CIDR value "2001:DB8::/64" should be in RFC 5952 canonical format ("2001:db8::/64")',
      '27:20 error subsets[0].addresses[0].ip: Invalid value: "10.0.0.01": must not have leading 0s',
      '37:23 error spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.1/8": must not have bits set beyond the prefix length',
      '37:46 error spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "::ffff:10.0.0.0/112": must not have an IPv4-mapped IPv6 address',
      '42:17 error spec.podCIDR: Invalid value: "10.0.0.1/16": must not have bits set beyond the prefix length',
      '48:26 error endpoints[0].addresses[0]: Invalid value: "10.0.0.01": must not have leading 0s',
      '54:26 error endpoints[0].addresses[0]: Invalid value: "2001:DB8::1": must be in canonical form ("2001:db8::1")',
    ]);
  });

  it('1.35: the same values are warnings, except a non-canonical EndpointSlice address', async () => {
    expect(await findings('1.35')).toEqual([
      `7:10 warn spec.hostAliases[0].ip: non-standard IP address "10.0.0.01" ${NON_STANDARD} "10.0.0.1"`,
      `8:10 warn spec.hostAliases[1].ip: non-standard IP address "::ffff:10.1.2.3" ${NON_STANDARD} "10.1.2.3"`,
      '9:10 warn spec.hostAliases[2].ip: IPv6 address "2001:DB8::1" should be in RFC 5952 canonical format ("2001:db8::1")',
      `11:29 warn spec.dnsConfig.nameservers[0]: non-standard IP address "10.0.0.010" ${NON_STANDARD} "10.0.0.10"`,
      `18:14 warn spec.clusterIP: non-standard IP address "10.96.0.010" ${NON_STANDARD} "10.96.0.10"`,
      `20:17 warn spec.externalIPs[0]: non-standard IP address "::ffff:10.1.2.3" ${NON_STANDARD} "10.1.2.3"`,
      '20:36 warn spec.externalIPs[1]: IPv6 address "2001:db8:0:0:0:0:0:1" should be in RFC 5952 canonical format ("2001:db8::1")',
      '21:30 warn spec.loadBalancerSourceRanges[0]: CIDR value "10.0.0.1/8" is ambiguous in this context (should be "10.0.0.0/8" or "10.0.0.1/32"?)',
      `21:44 warn spec.loadBalancerSourceRanges[1]: non-standard CIDR value "10.0.0.0/08" ${NON_STANDARD} "10.0.0.0/8"`,
      '21:59 warn spec.loadBalancerSourceRanges[2]: IPv6 CIDR value "2001:DB8::/64" should be in RFC 5952 canonical format ("2001:db8::/64")',
      `27:20 warn subsets[0].addresses[0].ip: non-standard IP address "10.0.0.01" ${NON_STANDARD} "10.0.0.1"`,
      '37:23 warn spec.ingress[0].from[0].ipBlock.cidr: CIDR value "10.0.0.1/8" is ambiguous in this context (should be "10.0.0.0/8" or "10.0.0.1/32"?)',
      `37:46 warn spec.ingress[0].from[0].ipBlock.except[0]: non-standard CIDR value "::ffff:10.0.0.0/112" ${NON_STANDARD} "10.0.0.0/16"`,
      '42:17 warn spec.podCIDR: CIDR value "10.0.0.1/16" is ambiguous in this context (should be "10.0.0.0/16" or "10.0.0.1/32"?)',
      `48:26 warn endpoints[0].addresses[0]: non-standard IP address "10.0.0.01" ${NON_STANDARD} "10.0.0.1"`,
      '54:26 error endpoints[0].addresses[0]: Invalid value: "2001:DB8::1": must be in canonical form ("2001:db8::1")',
    ]);
  });
});
