// The disagreements the 1.30–1.33 differential runs turned up (they exist at 1.37 too). Every
// message is what kube-apiserver v1.37.2 answered (`kubectl create --dry-run=server
// --validate=strict`) for test/fixtures/api/go-checks-3.yaml, document by document; the API server
// accepts the CRD of test/fixtures/api/crd-null-keywords.yaml.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../helpers/schema-findings.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/api/${name}`, import.meta.url), 'utf8');
const NAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

describe('Go checks the OpenAPI document does not carry (third round)', () => {
  it('int32 IntOrStrings, digit-less PV capacity, Node taints, APIService fields, admission policy resource rules, FlowSchema verbs, exponent-only limits, null pod specs, binding policy names, null CIDR items', async () => {
    expect(await schemaErrors(fixture('go-checks-3.yaml'), undefined, 'go-checks-3.yaml')).toEqual([
      '5:17 spec.minAvailable: out of range for a 32-bit integer, got integer 4294967296',
      '12:23 spec.capacity.storage: Invalid value: "0": must be greater than zero',
      `21:11 metadata.taints[0].key: Invalid value: "12:30:00": ${NAME_PART}`,
      '32:26 spec.insecureSkipTLSVerify: Invalid value: true: local APIServices may not have insecureSkipTLSVerify',
      `39:21 metadata.taints[0].value: Invalid value: "x y": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character`,
      '41:5 metadata.taints[2]: Duplicate value: {"Key":"b","Value":"z","Effect":"NoSchedule","TimeAdded":null}: taints must be unique by key and effect pair',
      `42:11 metadata.taints[3].key: Invalid value: "-bad": ${NAME_PART}`,
      '50:24 spec.service.namespace: Required value',
      '50:36 spec.service.name: Required value',
      '50:46 spec.service.port: Invalid value: 70000: port is not valid: must be between 1 and 65535, inclusive',
      '51:25 spec.groupPriorityMinimum: Invalid value: 0: must be positive and less than 20000',
      '52:20 spec.versionPriority: Invalid value: 1001: must be positive and less than 1000',
      '53:26 spec.insecureSkipTLSVerify: Invalid value: true: may not be true if caBundle is present',
      `60:10 spec.group: Invalid value: "Example_com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      `61:12 spec.version: Invalid value: "V1": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character`,
      '62:13 spec.caBundle: Invalid value: "3 bytes": local APIServices may not have a caBundle',
      '69:1 spec.group: Required value: only v1 may have an empty group and it better be legacy kube',
      '71:25 spec.groupPriorityMinimum: Invalid value: 20001: must be positive and less than 20000',
      '80:20 spec.matchConstraints.resourceRules: Required value',
      '89:3 spec.matchConstraints.resourceRules: Required value',
      '101:22 spec.rules[0].resourceRules[0].verbs: Unsupported value: ["12:30:00","list"]: supported values: "create", "delete", "deletecollection", "get", "list", "patch", "proxy", "update", "watch"',
      '114:40 spec.template.spec.containers[0].resources.requests: Invalid value: "128Mi": must be less than or equal to memory limit of 0',
      '114:65 spec.template.spec.containers[0].resources.limits.memory: string "e3" is not a quantity: it has no digits, and the API server stores it as 0',
      '123:11 spec.template.spec.containers: Required value',
      `129:15 spec.policyName: Invalid value: "12:30:00": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      '139:44 spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ]);
  });

  it('a CRD whose schema has null keywords is accepted, and its resources are checked by the rest', async () => {
    expect(await schemaErrors(fixture('crd-null-keywords.yaml'), undefined, 'crd.yaml')).toEqual([
      '30:1 spec: Invalid value: failed rule: self.size >= 1',
      '31:9 spec.size: must be at least 1, got 0',
    ]);
  });

  it('before 1.34 a StatefulSet template is not validated, but its restart policy and deadline are', async () => {
    const text = fixture('statefulset-template-1.33.yaml');
    const policy = [
      '10:22 spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
      '11:30 spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported',
    ];
    expect(await schemaErrors(text, '1.33')).toEqual(policy);
    expect(await schemaErrors(text, '1.34')).toEqual([
      ...policy,
      '13:9 spec.template.spec.containers[0].image: Required value',
    ]);
  });

  it('StatefulSet claim templates are validated from 1.34 (only decoded before)', async () => {
    const text = fixture('statefulset-claim-template.yaml');
    expect(await schemaErrors(text, '1.33')).toEqual([]);
    expect(await schemaErrors(text, '1.34')).toEqual([
      '14:21 spec.volumeClaimTemplates[0].spec.accessModes[0]: must be one of ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod, got string "NotAnAllowedValue"',
    ]);
  });
});
