// admissionregistration.k8s.io checks the API server runs in Go; each verdict and message was
// confirmed with kube-apiserver v1.37 (kubectl create --dry-run=server --validate=strict).
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../helpers/schema-findings.js';

describe('admission webhook configurations', () => {
  it('accepts webhooks the API server accepts', async () => {
    const yaml = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: ok
webhooks:
- name: check.example.com
  clientConfig: {service: {name: s, namespace: ns, path: /validate, port: 8443}}
  admissionReviewVersions: [v1, v1beta1]
  sideEffects: None
  failurePolicy: Fail
  matchPolicy: Equivalent
  timeoutSeconds: 5
  rules:
  - operations: [CREATE, UPDATE]
    apiGroups: ["", apps]
    apiVersions: ["*"]
    resources: [pods, "pods/status", "*/scale"]
    scope: Namespaced
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: ok
webhooks:
- name: mutate.example.com
  clientConfig: {url: "https://hooks.example.com/mutate"}
  admissionReviewVersions: [v1]
  sideEffects: NoneOnDryRun
  reinvocationPolicy: IfNeeded
  rules:
  - operations: ["*"]
    apiGroups: ["*"]
    apiVersions: ["*"]
    resources: ["*/*"]
`;
    expect(await schemaErrors(yaml)).toEqual([]);
  });

  it('checks names, rules, policies, timeouts, client config and review versions', async () => {
    const yaml = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: v1
webhooks:
- name: check
  clientConfig: {url: "http://x.example.com/v"}
  admissionReviewVersions: []
  rules:
  - operations: ["CREATE", "FROB", "*"]
    apiGroups: [""]
    apiVersions: [v1]
    resources: ["pods", "*/status"]
    scope: Everything
  failurePolicy: Maybe
  matchPolicy: Loose
  timeoutSeconds: 31
  sideEffects: Unknown
- name: a.example.com
  clientConfig: {service: {name: s, namespace: ns}}
  admissionReviewVersions: [v1, v1]
  sideEffects: Some
  rules:
  - operations: []
    apiGroups: []
    apiVersions: []
    resources: []
- name: b.example.com
  clientConfig: {}
  sideEffects: None
  admissionReviewVersions: [v2]
  timeoutSeconds: 0
  namespaceSelector: {matchExpressions: [{key: a, operator: In}]}
`;
    expect(await schemaErrors(yaml)).toEqual([
      '6:9 webhooks[0].name: Invalid value: "check": should be a domain with at least three segments separated by dots',
      `7:23 webhooks[0].clientConfig.url: Invalid value: "http": 'https' is the only allowed URL scheme; desired format: https://host[/path]`,
      '8:3 webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1',
      `10:5 webhooks[0].rules[0].operations: Invalid value: ["CREATE","FROB","*"]: if '*' is present, must not specify other operations`,
      '10:28 webhooks[0].rules[0].operations[1]: Unsupported value: "FROB": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"',
      '14:12 webhooks[0].rules[0].scope: Unsupported value: "Everything": supported values: "*", "Cluster", "Namespaced"',
      '15:18 webhooks[0].failurePolicy: Unsupported value: "Maybe": supported values: "Fail", "Ignore"',
      '16:16 webhooks[0].matchPolicy: Unsupported value: "Loose": supported values: "Equivalent", "Exact"',
      '17:19 webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds',
      '18:16 webhooks[0].sideEffects: Unsupported value: "Unknown": supported values: "None", "NoneOnDryRun"',
      '21:33 webhooks[1].admissionReviewVersions[1]: Invalid value: "v1": duplicate version',
      '22:16 webhooks[1].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"',
      '24:5 webhooks[1].rules[0].operations: Required value',
      '25:5 webhooks[1].rules[0].apiGroups: Required value',
      '26:5 webhooks[1].rules[0].apiVersions: Required value',
      '27:5 webhooks[1].rules[0].resources: Required value',
      '29:3 webhooks[2].clientConfig: Required value: exactly one of url or service is required',
      '31:3 webhooks[2].admissionReviewVersions: Invalid value: ["v2"]: must include at least one of v1, v1beta1',
      '32:19 webhooks[2].timeoutSeconds: Invalid value: 0: the timeout value must be between 1 and 30 seconds',
      "33:42 webhooks[2].namespaceSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    ]);
  });

  it('refuses two webhooks of one name (in the API server words, not as a list-map key)', async () => {
    const hook = (n: number) =>
      `- name: a.example.com\n  clientConfig: {url: "https://x.example.com/${n}"}\n  admissionReviewVersions: [v1]\n  sideEffects: None\n`;
    const yaml = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: dup
webhooks:
${hook(1)}${hook(2)}`;
    expect(await schemaErrors(yaml)).toEqual(['10:9 webhooks[1].name: Duplicate value: "a.example.com"']);
  });

  it('checks wildcards, reinvocationPolicy and the required sideEffects of mutating webhooks', async () => {
    const yaml = `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: m1
webhooks:
- name: m.example.com
  clientConfig: {url: "https://x.example.com/m"}
  admissionReviewVersions: [v1]
  sideEffects: NoneOnDryRun
  reinvocationPolicy: Sometimes
  rules:
  - operations: ["*", "CREATE"]
    apiGroups: ["*", "apps"]
    apiVersions: ["*"]
    resources: ["*", "pods"]
- name: n.example.com
  clientConfig: {url: "https://x.example.com/m"}
  admissionReviewVersions: [v1]
`;
    expect(await schemaErrors(yaml)).toEqual([
      '10:23 webhooks[0].reinvocationPolicy: Unsupported value: "Sometimes": supported values: "IfNeeded", "Never"',
      `12:5 webhooks[0].rules[0].operations: Invalid value: ["*","CREATE"]: if '*' is present, must not specify other operations`,
      `13:5 webhooks[0].rules[0].apiGroups: Invalid value: ["*","apps"]: if '*' is present, must not specify other API groups`,
      `15:5 webhooks[0].rules[0].resources: Invalid value: ["*","pods"]: if '*' is present, must not specify other resources without subresources`,
      '16:3 webhooks[1].sideEffects: missing required field "sideEffects"',
    ]);
  });
});

describe('validating admission policies and bindings', () => {
  it('accepts a policy and a binding the API server accepts', async () => {
    const yaml = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: p3
spec:
  failurePolicy: Fail
  matchConstraints:
    resourceRules:
    - operations: [CREATE]
      apiGroups: [apps]
      apiVersions: [v1]
      resources: [deployments]
  validations:
  - expression: "object.spec.replicas <= 5"
    reason: Invalid
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: b3
spec:
  policyName: p3
  validationActions: [Deny, Audit]
  paramRef: {name: x, parameterNotFoundAction: Deny}
`;
    expect(await schemaErrors(yaml)).toEqual([]);
  });

  it('checks the policy: match constraints, validations, failurePolicy', async () => {
    const yaml = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: p1
spec:
  failurePolicy: Maybe
  matchConstraints:
    resourceRules:
    - operations: [CREATE]
      apiGroups: [apps]
      apiVersions: [v1]
      resources: [deployments]
  validations: []
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: p2
spec:
  validations:
  - expression: ""
    reason: Weird
  - expression: "object.spec.replicas <= 5"
    message: "a\\nb"
`;
    expect(await schemaErrors(yaml)).toEqual([
      '5:1 spec.auditAnnotations: Required value: validations or auditAnnotations must contain at least one item',
      '6:18 spec.failurePolicy: Unsupported value: "Maybe": supported values: "Fail", "Ignore"',
      '13:3 spec.validations: Required value: validations or auditAnnotations must contain at least one item',
      '19:1 spec.matchConstraints: Required value',
      '21:17 spec.validations[0].expression: Required value: expression is not specified',
      '22:13 spec.validations[0].reason: Unsupported value: "Weird": supported values: "Forbidden", "Invalid", "RequestEntityTooLarge"',
      '24:14 spec.validations[1].message: Invalid value: "a\\nb": must not contain line breaks',
    ]);
  });

  it('checks the binding: policyName, validationActions, paramRef', async () => {
    const yaml = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: b1
spec:
  validationActions: []
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: b2
spec:
  policyName: p
  validationActions: [Deny, Warn, Deny, Shout]
  paramRef: {name: x, selector: {}}
`;
    expect(await schemaErrors(yaml)).toEqual([
      '5:1 spec.policyName: missing required field "policyName"',
      '6:3 spec.validationActions: Required value',
      '14:3 spec.validationActions: Invalid value: ["Deny","Warn","Deny","Shout"]: must not contain both Deny and Warn (repeating the same validation failure information in the API response and headers serves no purpose)',
      '14:35 spec.validationActions[2]: Duplicate value: "Deny"',
      '14:41 spec.validationActions[3]: Unsupported value: "Shout": supported values: "Audit", "Deny", "Warn"',
      '15:3 spec.paramRef.parameterNotFoundAction: Required value',
      '15:20 spec.paramRef.name: Forbidden: name and selector are mutually exclusive',
      '15:23 spec.paramRef.selector: Forbidden: name and selector are mutually exclusive',
    ]);
  });
});
