// Benchmark: custom resources checked against a CRD with typical x-kubernetes-validations rules,
// against the same CRD without its rules (the difference is the cost of CEL), end to end (lintText).
// Usage: npm run build && node bench/cel.bench.mjs [resources=5000] [runs=5]
import { performance } from 'node:perf_hooks';

const { lintText } = await import(new URL('../dist/index.js', import.meta.url).href);

const N = Number(process.argv[2] ?? 5_000);
const RUNS = Number(process.argv[3] ?? 5);

// Rules of the kinds found in real CRDs: cross-field bounds, optional fields, enums by regex,
// list membership, quantities, URLs, immutability (a transition rule: skipped).
const rules = `
            x-kubernetes-validations:
            - rule: "self.minReplicas <= self.maxReplicas"
              message: "minReplicas must not exceed maxReplicas"
            - rule: "!has(self.endpoint) || (isURL(self.endpoint) && url(self.endpoint).getScheme() == 'https')"
              message: "endpoint must be an https URL"
            - rule: "self.ports.all(p, p.port > 0 && p.port < 65536)"
            - rule: "self.ports.exists(p, p.name == 'http')"
              message: "an http port is required"
            - rule: "quantity(self.memory).compareTo(quantity('8Gi')) <= 0"
              messageExpression: "'memory ' + self.memory + ' is over 8Gi'"
            - rule: "oldSelf.minReplicas == self.minReplicas"
              message: "immutable"`;

const crd = (withRules) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.bench.cel.example.com
spec:
  group: bench.cel.example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object${withRules ? rules : ''}
            properties:
              minReplicas: {type: integer}
              maxReplicas: {type: integer}
              endpoint: {type: string, maxLength: 256}
              memory: {type: string, maxLength: 32}
              tier: {type: string, maxLength: 32${withRules ? `, x-kubernetes-validations: [{rule: "self.matches('^(gold|silver|bronze)$')"}]` : ''}}
              ports:
                type: array
                maxItems: 16
                items:
                  type: object
                  required: [name, port]
                  properties:
                    name: {type: string, maxLength: 15}
                    port: {type: integer}
          status:
            type: object
            properties:
              phase: {type: string}
---
`;

const widget = (i) => `apiVersion: bench.cel.example.com/v1
kind: Widget
metadata: {name: widget-${i}, namespace: team-${i % 17}}
spec:
  minReplicas: ${1 + (i % 3)}
  maxReplicas: ${3 + (i % 7)}
  endpoint: https://svc-${i}.example.com/api
  memory: ${128 * (1 + (i % 8))}Mi
  tier: ${['gold', 'silver', 'bronze'][i % 3]}
  ports:
  - {name: grpc, port: ${9000 + (i % 100)}}
  - {name: http, port: 8080}
  - {name: metrics, port: 9102}
status: {phase: Ready}
---
`;

const body = Array.from({ length: N }, (_, i) => widget(i)).join('');

async function measure(withRules) {
  const text = crd(withRules) + body;
  let best = Infinity;
  let findings = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now();
    const result = await lintText('bench.yaml', text, { presets: ['schema'] });
    best = Math.min(best, performance.now() - t0);
    findings = result.findings.length;
  }
  return { ms: best, findings };
}

const plain = await measure(false);
const cel = await measure(true);
const rate = (ms) => Math.round((N / ms) * 1000).toLocaleString('en-US');
console.log(`${N} custom resources, best of ${RUNS} runs (lintText, schema preset)`);
console.log(
  `  CRD without rules : ${plain.ms.toFixed(0)} ms, ${rate(plain.ms)} resources/s, ${plain.findings} findings`,
);
console.log(
  `  CRD with 7 rules  : ${cel.ms.toFixed(0)} ms, ${rate(cel.ms)} resources/s, ${cel.findings} findings`,
);
