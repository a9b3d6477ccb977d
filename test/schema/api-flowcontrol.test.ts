// flowcontrol.apiserver.k8s.io checks the API server runs in Go; each verdict and message was
// confirmed with kube-apiserver v1.37 (kubectl create --dry-run=server --validate=strict).
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../helpers/schema-findings.js';

describe('API priority and fairness objects', () => {
  it('accepts a FlowSchema and a PriorityLevelConfiguration the API server accepts', async () => {
    const yaml = `apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata:
  name: fs-ok
spec:
  priorityLevelConfiguration: {name: pl-ok}
  matchingPrecedence: 500
  distinguisherMethod: {type: ByUser}
  rules:
  - subjects: [{kind: ServiceAccount, serviceAccount: {name: ctrl, namespace: kube-system}}]
    resourceRules: [{verbs: ["*"], apiGroups: ["*"], resources: ["*"], clusterScope: true, namespaces: ["*"]}]
    nonResourceRules: [{verbs: [get], nonResourceURLs: ["/healthz"]}]
---
apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: PriorityLevelConfiguration
metadata:
  name: pl-ok
spec:
  type: Limited
  limited:
    nominalConcurrencyShares: 10
    lendablePercent: 50
    limitResponse:
      type: Queue
      queuing: {queues: 16, handSize: 4, queueLengthLimit: 50}
`;
    expect(await schemaErrors(yaml)).toEqual([]);
  });

  it('checks a FlowSchema: precedence, distinguisher, priority level, rules and subjects', async () => {
    const yaml = `apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: FlowSchema
metadata:
  name: f1
spec:
  priorityLevelConfiguration: {name: ""}
  matchingPrecedence: 20000
  distinguisherMethod: {type: ByGroup}
  rules:
  - subjects: []
    resourceRules: []
  - subjects: [{kind: Robot}, {kind: User}, {kind: Group, group: {name: ""}}, {kind: ServiceAccount, serviceAccount: {name: "", namespace: ""}}]
    resourceRules: [{verbs: [], apiGroups: [], resources: [], namespaces: []}]
    nonResourceRules: [{verbs: ["get", "*"], nonResourceURLs: ["healthz"]}]
`;
    expect(await schemaErrors(yaml)).toEqual([
      '6:38 spec.priorityLevelConfiguration.name: Required value: must reference a priority level',
      '7:23 spec.matchingPrecedence: Invalid value: 20000: must not be greater than 10000',
      '8:31 spec.distinguisherMethod.type: Unsupported value: "ByGroup": supported values: "ByNamespace", "ByUser"',
      '10:5 spec.rules[0]: Required value: at least one of resourceRules and nonResourceRules has to be non-empty',
      '10:5 spec.rules[0].subjects: Required value: subjects must contain at least one value',
      '12:23 spec.rules[1].subjects[0].kind: Unsupported value: "Robot": supported values: "Group", "ServiceAccount", "User"',
      "12:31 spec.rules[1].subjects[1].user: Required value: user is required when subject kind is 'User'",
      '12:73 spec.rules[1].subjects[2].group.name: Required value',
      '12:125 spec.rules[1].subjects[3].serviceAccount.name: Required value',
      '12:140 spec.rules[1].subjects[3].serviceAccount.namespace: Required value: must specify namespace for service account',
      '13:22 spec.rules[1].resourceRules[0].verbs: Required value: verbs must contain at least one value',
      '13:33 spec.rules[1].resourceRules[0].apiGroups: Required value: resource rules must supply at least one api group',
      '13:48 spec.rules[1].resourceRules[0].resources: Required value: resource rules must supply at least one resource',
      '13:63 spec.rules[1].resourceRules[0].namespaces: Required value: resource rules that are not cluster scoped must supply at least one namespace',
      `14:25 spec.rules[1].nonResourceRules[0].verbs: Invalid value: ["get","*"]: if '*' is present, must not specify other verbs`,
      '14:64 spec.rules[1].nonResourceRules[0].nonResourceURLs[0]: Invalid value: "healthz": must start with slash',
    ]);
  });

  it('checks a PriorityLevelConfiguration: type, limited, limit response', async () => {
    const yaml = `apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: PriorityLevelConfiguration
metadata:
  name: pl1
spec:
  type: Limited
---
apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: PriorityLevelConfiguration
metadata:
  name: pl3
spec:
  type: Limited
  limited:
    nominalConcurrencyShares: -1
    lendablePercent: 101
    limitResponse:
      type: Queue
---
apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: PriorityLevelConfiguration
metadata:
  name: pl4
spec:
  type: Exempt
  limited: {nominalConcurrencyShares: 1}
---
apiVersion: flowcontrol.apiserver.k8s.io/v1
kind: PriorityLevelConfiguration
metadata:
  name: pl5
spec:
  type: Limited
  limited:
    limitResponse:
      type: Queue
      queuing: {queues: -1, handSize: -1, queueLengthLimit: -1}
`;
    expect(await schemaErrors(yaml)).toEqual([
      '5:1 spec.limited: Required value',
      '15:31 spec.limited.nominalConcurrencyShares: Invalid value: -1: must be a non-negative integer',
      '16:22 spec.limited.lendablePercent: Invalid value: 101: must be between 0 and 100, inclusive',
      '17:5 spec.limited.limitResponse.queuing: Required value',
      "25:9 spec.type: Invalid value: \"Exempt\": must be 'Exempt' if and only if `name` is 'exempt'",
      '26:3 spec.limited: Forbidden',
      '26:3 spec.limited.limitResponse: missing required field "limitResponse"',
      '37:25 spec.limited.limitResponse.queuing.queues: Invalid value: -1: must be positive',
      '37:39 spec.limited.limitResponse.queuing.handSize: Invalid value: -1: must be positive',
      '37:61 spec.limited.limitResponse.queuing.queueLengthLimit: Invalid value: -1: must be positive',
    ]);
  });
});
