// node.k8s.io checks the API server runs in Go; each verdict and message was confirmed with
// kube-apiserver v1.37 (kubectl create --dry-run=server --validate=strict).
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../helpers/schema-findings.js';

describe('RuntimeClass validation', () => {
  it('accepts a RuntimeClass the API server accepts', async () => {
    const yaml = `apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: gvisor
handler: runsc
overhead:
  podFixed: {cpu: 250m, memory: 64Mi}
scheduling:
  nodeSelector: {runtime: gvisor}
  tolerations: [{key: runtime, operator: Exists}]
`;
    expect(await schemaErrors(yaml)).toEqual([]);
  });

  it('checks the handler, overhead and scheduling', async () => {
    const yaml = `apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: rc1
handler: "Bad.Handler"
overhead:
  podFixed: {cpu: "-1"}
scheduling:
  tolerations: [{key: k, operator: Exists, value: v}]
---
apiVersion: node.k8s.io/v1
kind: RuntimeClass
metadata:
  name: rc2
handler: ""
`;
    expect(await schemaErrors(yaml)).toEqual([
      `5:10 handler: Invalid value: "Bad.Handler": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character`,
      '7:19 overhead.podFixed.cpu: Invalid value: "-1": must be greater than or equal to 0',
      '9:36 scheduling.tolerations[0].operator: Invalid value: "v": value must be empty when `operator` is \'Exists\'',
      '15:10 handler: Required value',
    ]);
  });
});
