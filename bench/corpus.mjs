#!/usr/bin/env node
// Generates the benchmark corpus: realistic, schema-valid manifests of mixed kinds.
// Usage: node bench/corpus.mjs <out-dir> [resources=10000] [per-file=100] [--dense]
// --dense: Deployments with a sidecar only (about 46 lines per resource), the worst case for memory.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const labels = (app, indent) =>
  [`app.kubernetes.io/name: ${app}`, `app.kubernetes.io/part-of: shop`]
    .map((l) => `${indent}${l}`)
    .join('\n');

const kinds = [
  (i) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-${i}
  namespace: team-${i % 7}
  labels:
${labels(`web-${i}`, '    ')}
spec:
  replicas: ${2 + (i % 3)}
  selector:
    matchLabels:
      app.kubernetes.io/name: web-${i}
  template:
    metadata:
      labels:
${labels(`web-${i}`, '        ')}
    spec:
      securityContext:
        runAsNonRoot: true
      containers:
        - name: web
          image: registry.example.com/web:1.${i % 50}.0
          ports:
            - containerPort: 8080
              name: http
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: "1", memory: 256Mi }
          readinessProbe:
            httpGet: { path: /ready, port: http }
          livenessProbe:
            httpGet: { path: /healthz, port: http }
`,
  (i) => `apiVersion: v1
kind: Service
metadata:
  name: web-${i}
  namespace: team-${i % 7}
spec:
  selector:
    app.kubernetes.io/name: web-${i}
  ports:
    - name: http
      port: 80
      targetPort: http
`,
  (i) => `apiVersion: v1
kind: ConfigMap
metadata:
  name: settings-${i}
  namespace: team-${i % 7}
data:
  LOG_LEVEL: info
  FEATURE_FLAGS: "search,checkout"
  app.properties: |
    cache.size=${i % 1000}
    retry=3
`,
  (i) => `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader-${i}
  namespace: team-${i % 7}
rules:
  - apiGroups: [""]
    resources: [configmaps, services]
    verbs: [get, list, watch]
`,
  (i) => `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: reader-${i}
  namespace: team-${i % 7}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: reader-${i}
subjects:
  - kind: ServiceAccount
    name: app-${i}
    namespace: team-${i % 7}
`,
  (i) => `apiVersion: v1
kind: ServiceAccount
metadata:
  name: app-${i}
  namespace: team-${i % 7}
automountServiceAccountToken: false
`,
  (i) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web-${i}
  namespace: team-${i % 7}
spec:
  tls:
    - hosts: [web-${i}.example.com]
      secretName: web-${i}-tls
  rules:
    - host: web-${i}.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web-${i}
                port: { number: 80 }
`,
  (i) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: cleanup-${i}
  namespace: team-${i % 7}
spec:
  schedule: "${i % 60} 3 * * *"
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      backoffLimit: 2
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: cleanup
              image: registry.example.com/cleanup:2.1.${i % 9}
              args: ["--older-than", "7d"]
`,
  (i) => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db-${i}
  namespace: team-${i % 7}
spec:
  serviceName: db-${i}
  replicas: 3
  selector:
    matchLabels: { app: db-${i} }
  template:
    metadata:
      labels: { app: db-${i} }
    spec:
      containers:
        - name: db
          image: registry.example.com/db:15.${i % 4}
          volumeMounts:
            - { name: data, mountPath: /var/lib/db }
  volumeClaimTemplates:
    - metadata: { name: data }
      spec:
        accessModes: [ReadWriteOnce]
        resources: { requests: { storage: 10Gi } }
`,
  (i) => `apiVersion: v1
kind: Secret
metadata:
  name: token-${i}
  namespace: team-${i % 7}
type: Opaque
data:
  token: ${Buffer.from(`token-${i}`).toString('base64')}
`,
];
// Weights: many small objects, fewer large ones, as in real repositories.
const mix = [
  1, 1, 2, 2, 2, 3, 4, 5, 5, 5, 1, 2, 6, 7, 8, 9, 0, 5, 5, 2, 1, 3, 9, 4, 0, 5, 9, 2, 1, 5, 5, 9, 1, 2, 5,
];

/** A Deployment with a sidecar: the generator's densest resource (46 lines with its separator). */
const dense = (i) =>
  `${kinds[0](i)}        - name: proxy
          image: registry.example.com/proxy:3.${i % 20}
          args: ["--upstream", "127.0.0.1:8080"]
          ports:
            - containerPort: 9090
              name: proxy
          resources:
            requests: { cpu: 50m, memory: 64Mi }
            limits: { cpu: 200m, memory: 128Mi }
          env:
            - { name: MODE, value: sidecar }
`;

export function corpus(n, { dense: onlyDense = false } = {}) {
  const docs = [];
  for (let i = 0; i < n; i++) docs.push(onlyDense ? dense(i) : kinds[mix[i % mix.length]](i));
  return docs;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2).filter((a) => a !== '--dense');
  const out = args[0];
  const n = Number(args[1] ?? 10000);
  const perFile = Number(args[2] ?? 100);
  if (!out) {
    console.error('usage: node bench/corpus.mjs <out-dir> [resources] [per-file] [--dense]');
    process.exit(2);
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const docs = corpus(n, { dense: process.argv.includes('--dense') });
  let lines = 0;
  for (let f = 0; f * perFile < n; f++) {
    const text = docs.slice(f * perFile, (f + 1) * perFile).join('---\n');
    lines += text.split('\n').length;
    writeFileSync(join(out, `part-${String(f).padStart(4, '0')}.yaml`), text);
  }
  console.log(`wrote ${n} resources, ${lines} lines (${((lines / n) * 100).toFixed(0)} per 100) to ${out}`);
}
