// The false acceptances left after issue 12's first ports (generated cases at 1.35 and the sample).
// Every message is what kube-apiserver v1.37.2 answered (`kubectl create --dry-run=server
// --validate=strict`) for test/fixtures/api/go-checks-2.yaml, which it rejects document by document.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { schemaErrors } from '../helpers/schema-findings.js';

const TEXT = readFileSync(new URL('../fixtures/api/go-checks-2.yaml', import.meta.url), 'utf8');
const ACCESS = 'supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"';

describe('Go checks the OpenAPI document does not carry (second round)', () => {
  it('device classes and claims, CSI lifecycle modes, Job names, PV access modes, LimitRange bounds, decoded limits', async () => {
    expect(await schemaErrors(TEXT, undefined, 'go-checks-2.yaml')).toEqual([
      '5:21 spec.selectors[0].cel: Required value',
      '11:15 spec.selectors[0].cel: Required value',
      '19:18 spec.spec.devices.requests[0]: Required value: exactly one of `exactly` or `firstAvailable` is required',
      '26:16 spec.devices.requests[0]: Required value: exactly one of `exactly` or `firstAvailable` is required',
      '33:16 spec.devices.requests[0]: Invalid value: null: exactly one of `exactly` or `firstAvailable` is required, but multiple fields are set',
      '39:3 spec.volumeLifecycleModes: Unsupported value: "": supported values: "Persistent", "Ephemeral"',
      `43:18 spec.template.labels: Invalid value: "${'n'.repeat(59)}…": must be no more than 63 bytes`,
      `67:17 spec.accessModes: Unsupported value: "ReadWriteAll": ${ACCESS}`,
      `67:31 spec.accessModes: Unsupported value: "": ${ACCESS}`,
      '78:23 spec.limits[0].default[memory]: Invalid value: "4Gi": default value 8Gi is greater than max value 4Gi',
      '78:33 spec.limits[0].default[cpu]: Invalid value: "500m": min value 500m is greater than default value 100m',
      '79:30 spec.limits[0].defaultRequest[memory]: Invalid value: "512Mi": min value 1Gi is greater than default request value 512Mi',
      '79:42 spec.limits[0].defaultRequest[cpu]: Invalid value: "3": default request value 3 is greater than default limit value 100m',
      '79:42 spec.limits[0].defaultRequest[cpu]: Invalid value: "3": default request value 3 is greater than max value 2',
      // the API server prints the ratio canonically ("500m"); the value as written is kept here
      '80:36 spec.limits[0].maxLimitRequestRatio[memory]: Invalid value: "0.5": ratio 0.5 is less than 1',
      '90:23 spec.containers[0].resources.requests: Invalid value: "100m": must be less than or equal to cpu limit of 0',
      '90:37 spec.containers[0].resources.requests: Invalid value: "128Mi": must be less than or equal to memory limit of 0',
      '91:35 spec.containers[0].resources.limits.memory: string "m" is not a quantity: it has no digits, and the API server stores it as 0',
    ]);
  });

  it('a Job with a manual selector keeps its long name (no job-name label is added)', async () => {
    const doc = TEXT.split('\n---\n').find((d) => d.includes('manualSelector'))!;
    expect(await schemaErrors(doc)).toEqual([]);
  });
});
