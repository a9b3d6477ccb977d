// coordination.k8s.io checks the API server runs in Go; each verdict and message was confirmed with
// kube-apiserver v1.37 (kubectl create --dry-run=server --validate=strict).
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../helpers/schema-findings.js';

describe('Lease validation', () => {
  it('accepts a lease the API server accepts', async () => {
    const yaml = `apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: l0
spec:
  holderIdentity: pod-a
  leaseDurationSeconds: 15
  leaseTransitions: 0
`;
    expect(await schemaErrors(yaml)).toEqual([]);
  });

  it('wants a positive duration and non-negative transitions', async () => {
    const yaml = `apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: l1
spec:
  leaseDurationSeconds: 0
  leaseTransitions: -1
`;
    expect(await schemaErrors(yaml)).toEqual([
      '6:25 spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
      '7:21 spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
    ]);
  });
});
