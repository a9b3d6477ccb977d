// The checks ported while closing issue 12's last disagreements with the API server (each case was
// judged by a kube-apiserver v1.37.2 with `kubectl create --dry-run=server --validate=strict`), and
// what the API server accepts although the OpenAPI walk used to refuse it.
import { describe, expect, it } from 'vitest';
import { lintText } from '../../src/index.js';
import { schemaErrors } from '../helpers/schema-findings.js';

describe('what the API server checks in Go (last ports)', () => {
  it('Node pod CIDRs: strict CIDRs, one per family', async () => {
    expect(
      await schemaErrors(`apiVersion: v1
kind: Node
metadata: {name: n1}
spec: {podCIDR: "10.0.0.1/16"}
---
apiVersion: v1
kind: Node
metadata: {name: n2}
spec: {podCIDRs: ["10.0.0/16", "010.0.0.0/8"]}
---
apiVersion: v1
kind: Node
metadata: {name: n3}
spec: {podCIDRs: ["10.1.0.0/16", "10.2.0.0/16"]}
---
apiVersion: v1
kind: Node
metadata: {name: n4}
spec: {podCIDRs: ["10.1.0.0/16", "fd00::/64"]}
`),
    ).toEqual([
      '4:17 spec.podCIDR: Invalid value: "10.0.0.1/16": must not have bits set beyond the prefix length',
      '9:19 spec.podCIDRs[0]: Invalid value: "10.0.0/16": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
      '9:32 spec.podCIDRs[1]: Invalid value: "010.0.0.0/8": must not have leading 0s in IP or prefix length',
      '14:8 spec.podCIDRs: Invalid value: ["10.1.0.0/16","10.2.0.0/16"]: may specify no more than one CIDR for each IP family',
    ]);
  });

  it('Events, APIServices, PV capacity, Endpoints, trust bundles, device attributes, mutating policies', async () => {
    // the API server accepts documents 2 and 4 (an Event of default about a Node; a new-style Event
    // about another namespace's object) and rejects every other one with these messages
    expect(await schemaErrors(CASES)).toEqual([
      '4:1 involvedObject.namespace: Invalid value: "": does not match event.namespace',
      '19:7 type: Invalid value: "": has invalid value: 12:30:00',
      '20:1 regarding.namespace: Invalid value: "": does not match event.namespace',
      '35:18 metadata.name: Invalid value: "v1.metrics.example.com": must be `spec.version+"."+spec.group`: "v1beta1.metrics.example.com"',
      '47:23 spec.capacity.storage: Invalid value: "0": must be greater than zero',
      '55:3 subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`',
      '61:21 spec.trustBundle: Invalid value: "<value omitted>": at least one trust anchor must be provided',
      '67:16 spec.trustBundle: Invalid value: "<value omitted>": entry 0 has bad block type: PRIVATE KEY',
      '76:16 spec.trustBundle: Invalid value: "<value omitted>": entry 0 does not parse as X.509',
      "90:5 spec.devices[0].attributes: Invalid value: \"bad key\": a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')",
      '91:7 spec.devices[0].attributes.model: Invalid value: "": must specify one of: `int`, `bool`, `string`, `version`, `ints`, `bools`, `strings`, `versions`',
      '92:7 spec.devices[0].attributes.vendor: Invalid value: "{int, string}": must specify exactly one of: `int`, `bool`, `string`, `version`, `ints`, `bools`, `strings`, `versions`',
      '99:98 spec.matchConstraints.resourceRules[0].operations[1]: Unsupported value: "": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"',
      '100:23 spec.reinvocationPolicy: Unsupported value: "Sometimes": supported values: "IfNeeded", "Never"',
      '102:5 spec.mutations[0].jsonPatch: Required value: must be specified when patchType is JSONPatch',
      '103:5 spec.mutations[0].applyConfiguration: Invalid value: "{applyConfiguration}": must not be specified when patchType is JSONPatch',
      '104:5 spec.mutations[1].patchType: missing required field "patchType"',
      '105:5 spec.mutations[2].applyConfiguration: Required value: must be specified when patchType is ApplyConfiguration',
      '111:15 spec.policyName: Required value',
      '112:3 spec.paramRef.parameterNotFoundAction: Required value',
      '112:20 spec.paramRef.name: Forbidden: name and selector are mutually exclusive',
      '112:23 spec.paramRef.selector: Forbidden: name and selector are mutually exclusive',
    ]);
  });
});

describe('what the API server accepts although the OpenAPI says otherwise', () => {
  const warnings = async (yaml: string) =>
    (await lintText('t.yaml', yaml, { presets: ['schema'] })).findings.map(
      (f) => `${f.severity} ${f.location?.start.line}:${f.location?.start.column} ${f.message}`,
    );

  it('duplicate list items of a built-in kind are warnings (a create takes them, server-side apply does not)', async () => {
    expect(
      await warnings(`apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata: {name: d.example.com}
spec:
  volumeLifecycleModes: [Persistent, Persistent]
`),
    ).toEqual([
      'warn 5:38 spec.volumeLifecycleModes[1]: duplicate value "Persistent" (the API server accepts it on create, but server-side apply refuses duplicates)',
    ]);
  });

  it('duplicate list-map keys of a custom resource stay errors (the structural schema is enforced)', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              items:
                type: array
                x-kubernetes-list-type: set
                items: {type: string}
---
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
spec: {items: [a, a]}
`;
    expect(await warnings(crd)).toEqual(['error 27:19 spec.items[1]: duplicate value "a"']);
  });

  it('quantities the decoder takes: no digits (stored as 0) and blanks are warnings; an empty one is an error', async () => {
    const pod = (q: string) => `apiVersion: v1
kind: Pod
metadata: {name: q}
spec:
  containers:
  - {name: c, image: nginx, resources: {limits: {memory: "${q}"}}}
`;
    expect(await warnings(pod('m'))).toEqual([
      'warn 6:58 spec.containers[0].resources.limits.memory: string "m" is not a quantity: it has no digits, and the API server stores it as 0',
    ]);
    expect(await warnings(pod(' 1Gi'))).toEqual([
      'warn 6:58 spec.containers[0].resources.limits.memory: string " 1Gi" is not a canonical quantity (the API server trims the blanks around it)',
    ]);
    expect((await warnings(pod(''))).map((w) => w.split(' ')[0])).toEqual(['error']);
  });

  it('fields required in OpenAPI that the API server accepts absent (measured: src/schema/go-optional.generated.ts)', async () => {
    expect(
      await warnings(`apiVersion: storage.k8s.io/v1
kind: CSINode
metadata: {name: node1}
spec: {}
---
apiVersion: storagemigration.k8s.io/v1
kind: StorageVersionMigration
metadata: {name: m}
spec: {resource: {resource: configmaps}}
`),
    ).toEqual([]);
  });
});

const CASES = `apiVersion: v1
kind: Event
metadata: {name: e1, namespace: team-a}
involvedObject: {kind: Pod, name: p}
---
apiVersion: v1
kind: Event
metadata: {name: e2}
involvedObject: {kind: Node, name: node1}
---
apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: e4, namespace: team-a}
eventTime: "2024-01-02T15:04:05.000000Z"
reportingController: example.com/ctl
reportingInstance: ctl-1
action: Started
reason: Started
type: "12:30:00"
regarding: {kind: Pod, name: p}
---
apiVersion: events.k8s.io/v1
kind: Event
metadata: {name: e5, namespace: team-a}
eventTime: "2024-01-02T15:04:05.000000Z"
reportingController: example.com/ctl
reportingInstance: ctl-1
action: Started
reason: Started
type: Normal
regarding: {kind: Pod, name: p, namespace: web}
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1.metrics.example.com}
spec:
  group: metrics.example.com
  version: v1beta1
  groupPriorityMinimum: 100
  versionPriority: 10
  service: {name: metrics, namespace: default}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv2}
spec:
  capacity: {storage: null}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /tmp/x}
---
apiVersion: v1
kind: Endpoints
metadata: {name: ep}
subsets:
- addresses: null
  ports: [{port: 80}]
---
apiVersion: certificates.k8s.io/v1
kind: ClusterTrustBundle
metadata: {name: ctb1}
spec: {trustBundle: "2024-01-02"}
---
apiVersion: certificates.k8s.io/v1
kind: ClusterTrustBundle
metadata: {name: ctb2}
spec:
  trustBundle: |
    -----BEGIN PRIVATE KEY-----
    aGVsbG8=
    -----END PRIVATE KEY-----
---
apiVersion: certificates.k8s.io/v1
kind: ClusterTrustBundle
metadata: {name: ctb3}
spec:
  trustBundle: |
    -----BEGIN CERTIFICATE-----
    aGVsbG8=
    -----END CERTIFICATE-----
---
apiVersion: resource.k8s.io/v1
kind: ResourceSlice
metadata: {name: rs}
spec:
  driver: gpu.example.com
  nodeName: node1
  pool: {name: p, generation: 1, resourceSliceCount: 1}
  devices:
  - name: d0
    attributes:
      model: {string: null}
      vendor: {string: x, int: 3}
      "bad key": {string: x}
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingAdmissionPolicy
metadata: {name: m}
spec:
  matchConstraints: {resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE, Null], resources: [deployments]}]}
  reinvocationPolicy: Sometimes
  mutations:
  - patchType: JSONPatch
    applyConfiguration: {expression: "Object{}"}
  - {}
  - patchType: ApplyConfiguration
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingAdmissionPolicyBinding
metadata: {name: b}
spec:
  policyName: Null
  paramRef: {name: x, selector: {}}
`;

describe('system priority classes', () => {
  it('accepts the two system classes with their own values, refuses other values and names', async () => {
    const pc = (name: string, value: number) => `apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: ${name}}
value: ${value}
`;
    expect(await schemaErrors(pc('system-cluster-critical', 2000000000))).toEqual([]);
    expect(await schemaErrors(pc('system-node-critical', 2000001000))).toEqual([]);
    expect(await schemaErrors(pc('system-node-critical', 5))).toEqual([
      "3:18 metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-node-critical PriorityClass must be 2000001000",
    ]);
  });
});
