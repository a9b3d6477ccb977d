// API-server-grade checks of the policy group (src/schema/api/policy.ts) through the schema preset.
// Every fixture under test/fixtures/api/policy was sent to a real kube-apiserver v1.37.2
// (`kubectl create --dry-run=server --validate=strict`): it rejects exactly the documents that
// get findings here, with the same field paths and wording, and accepts the others.
import { describe, expect, it } from 'vitest';
import { fixtureFindings } from '../helpers/schema-findings.js';

const DIR = new URL('../fixtures/api/policy/', import.meta.url);

const findings = fixtureFindings(DIR);

describe('policy: API-server validation', () => {
  it('PodDisruptionBudget: minAvailable and maxUnavailable exclusive, int-or-percent, at most 100 %, selector, eviction policy; a valid one passes', async () => {
    expect(await findings('pdb.yaml')).toEqual([
      '5:1 spec: Invalid value: {"MinAvailable":1,"Selector":{"matchLabels":{"app":"a"}},"Ma\u2026: minAvailable and maxUnavailable cannot be both set',
      '16:17 spec.minAvailable: Invalid value: -1: must be greater than or equal to 0',
      '17:31 spec.unhealthyPodEvictionPolicy: must be one of IfHealthyBudget, AlwaysAllow, got string "Foo"',
      '24:19 spec.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
      "31:19 spec.maxUnavailable: Invalid value: \"x\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      "34:34 spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ]);
  });
});
