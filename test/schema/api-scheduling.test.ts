// scheduling.k8s.io checks the API server runs in Go; each verdict and message was confirmed with
// kube-apiserver v1.37 (kubectl create --dry-run=server --validate=strict).
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../helpers/schema-findings.js';

describe('PriorityClass validation', () => {
  it('accepts classes the API server accepts', async () => {
    const yaml = `apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: high
value: 1000000000
preemptionPolicy: Never
`;
    expect(await schemaErrors(yaml)).toEqual([]);
  });

  it('limits user-defined values, checks preemptionPolicy and reserves system- names', async () => {
    const yaml = `apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: p1
value: 2000000000
preemptionPolicy: Sometimes
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata:
  name: system-mine
value: 10
`;
    expect(await schemaErrors(yaml)).toEqual([
      '5:8 value: Forbidden: maximum allowed value of a user defined priority is 1000000000',
      '6:19 preemptionPolicy: must be one of Never, PreemptLowerPriority, got string "Sometimes"',
      "11:9 metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class",
    ]);
  });
});
