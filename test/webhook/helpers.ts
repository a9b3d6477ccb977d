// Shared fixtures of the webhook tests: AdmissionReviews and an engine compiled once per preset list.
import type {
  AdmissionRequest,
  AdmissionReview,
  WebhookSettings,
  AdmissionEngine,
} from '../../src/webhook/admission.js';
import { resolveSettings } from '../../src/webhook/admission.js';
import { loadEngine } from '../../src/webhook/engine.js';
import type { Config } from '../../src/config/config.js';
import type { KubeObject } from '../../src/engine/types.js';

let n = 0;

/** An AdmissionRequest for `object` (CREATE in namespace team-a unless overridden). */
export function request(object: KubeObject | null, over: Partial<AdmissionRequest> = {}): AdmissionRequest {
  const kind = typeof object?.kind === 'string' ? object.kind : 'Pod';
  const apiVersion = typeof object?.apiVersion === 'string' ? object.apiVersion : 'v1';
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return {
    uid: `uid-${++n}`,
    kind: { group: group!, version: version!, kind },
    resource: { group: group!, version: version!, resource: `${kind.toLowerCase()}s` },
    namespace: 'team-a',
    operation: 'CREATE',
    object,
    ...over,
  };
}

/** The request wrapped in its v1 AdmissionReview. */
export const review = (req: AdmissionRequest): AdmissionReview => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: req,
});

export const pod = (
  container: Record<string, unknown> = {},
  spec: Record<string, unknown> = {},
  meta: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', ...meta },
  spec: { containers: [{ name: 'app', image: 'registry.example/app:1.2.3', ...container }], ...spec },
});

/** A Pod that passes the recommended preset (so any finding in a test is the one it adds). */
export const cleanPod = (meta: Record<string, unknown> = {}): KubeObject =>
  pod(
    {
      imagePullPolicy: 'IfNotPresent',
      resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '64Mi' } },
      readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
      livenessProbe: { httpGet: { path: '/live', port: 8080 } },
      ports: [{ containerPort: 8080 }],
      securityContext: {
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      },
    },
    { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } },
    meta,
  );

const engines = new Map<string, Promise<AdmissionEngine>>();

/** The engine for a config (cached by its JSON). */
export function engineFor(
  config: Config = {},
  settings: WebhookSettings = resolveSettings(config.webhook),
): Promise<AdmissionEngine> {
  const key = JSON.stringify([config, settings.inlineConfig, settings.schemaValidation]);
  let e = engines.get(key);
  if (!e) engines.set(key, (e = loadEngine(config, settings, process.cwd())));
  return e;
}
