/**
 * Realistic Kubernetes objects for the differential proof against the real API server: per kind, a
 * builder of objects a user would write and the API server accepts (real names, containers with
 * images, selectors matching the template's labels, …), randomised by fast-check; and single
 * mutations of the classes issue 12 lists (names, labels, Go-required fields, Go enums, formats,
 * cross-field rules), next to the schema mutations of ./k8s-objects.ts (wrong types, unknown
 * fields, …) applied to the same realistic objects.
 */
import fc from 'fast-check';
import { MUTATIONS as SCHEMA_MUTATIONS, mutate, type SchemaSet } from './k8s-objects.js';

// `undefined` allowed: builders spread optional parts (`...(flag ? {…} : {})`), JSON drops them
type Json = null | undefined | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = Record<string, Json>;

/** The namespaces the cases use (the harness creates them before judging). */
export const NAMESPACES = ['default', 'team-a', 'web'] as const;

const NAMES = [
  'web',
  'api',
  'payments',
  'cache',
  'worker',
  'frontend',
  'billing-db',
  'auth',
  'metrics',
  'queue',
];
const IMAGES = [
  'nginx:1.27',
  'registry.example.com/team/api:2.4.1',
  'ghcr.io/acme/worker@sha256:' + 'a'.repeat(64),
  'redis:7-alpine',
  'busybox',
];

/** What a builder gets: a name, a namespace, an image, numbers, flags (all drawn by fast-check). */
export interface Draw {
  name: string;
  ns: string;
  image: string;
  port: number;
  replicas: number;
  n: number;
  flag: boolean;
  flag2: boolean;
}

const drawArb: fc.Arbitrary<Draw> = fc.record({
  name: fc.tuple(fc.constantFrom(...NAMES), fc.nat(40)).map(([w, n]) => (n < 20 ? w : `${w}-${n}`)),
  ns: fc.constantFrom(...NAMESPACES),
  image: fc.constantFrom(...IMAGES),
  port: fc.constantFrom(80, 443, 8080, 9090, 5432, 6379),
  replicas: fc.integer({ min: 0, max: 5 }),
  n: fc.nat(1000),
  flag: fc.boolean(),
  flag2: fc.boolean(),
});

const meta = (d: Draw, namespaced: boolean, extra: Obj = {}): Obj => ({
  name: d.name,
  ...(namespaced ? { namespace: d.ns } : {}),
  labels: { app: d.name, 'app.kubernetes.io/part-of': 'shop' },
  ...(d.flag ? { annotations: { 'example.com/owner': 'team-a', description: 'A realistic object.' } } : {}),
  ...extra,
});

function container(d: Draw, name = 'app'): Obj {
  return {
    name,
    image: d.image,
    ...(d.flag ? { imagePullPolicy: 'IfNotPresent' } : {}),
    ports: [{ name: 'http', containerPort: d.port, protocol: 'TCP' }],
    env: [
      { name: 'LOG_LEVEL', value: 'info' },
      ...(d.flag2 ? [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] : []),
    ],
    resources: {
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { memory: '256Mi', ...(d.flag2 ? { cpu: '1' } : {}) },
    },
    ...(d.flag
      ? {
          readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
          livenessProbe: { tcpSocket: { port: d.port }, initialDelaySeconds: 5 },
        }
      : {}),
    volumeMounts: [{ name: 'config', mountPath: '/etc/app', readOnly: true }],
    securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, runAsUser: 10001 },
  };
}

function podSpec(d: Draw, restartPolicy?: string): Obj {
  return {
    ...(restartPolicy ? { restartPolicy } : {}),
    containers: [container(d), ...(d.n % 3 === 0 ? [{ ...container(d, 'sidecar'), ports: [] }] : [])],
    ...(d.n % 4 === 0
      ? { initContainers: [{ name: 'init', image: 'busybox:1.36', command: ['sh', '-c', 'true'] }] }
      : {}),
    volumes: [{ name: 'config', configMap: { name: `${d.name}-config` } }],
    ...(d.flag2 ? { nodeSelector: { 'kubernetes.io/os': 'linux' } } : {}),
    ...(d.n % 5 === 0
      ? { tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }] }
      : {}),
    terminationGracePeriodSeconds: 30,
  };
}

const template = (d: Draw, restartPolicy?: string): Obj => ({
  metadata: { labels: { app: d.name, tier: 'backend' } },
  spec: podSpec(d, restartPolicy),
});
const selector = (d: Draw): Obj => ({ matchLabels: { app: d.name } });
const rule = (groups: string[], resources: string[], verbs: string[]): Obj => ({
  apiGroups: groups,
  resources,
  verbs,
});
const CERT_PEM_KEYS = {
  'tls.crt': 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==',
  'tls.key': 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCg==',
};

type Builder = (d: Draw) => Obj;
/** A builder: generic metadata, which the body's own `metadata` (e.g. a CRD's name) overrides. */
const b = (
  apiVersion: string,
  kind: string,
  namespaced: boolean,
  body: (d: Draw) => Obj,
): [string, Builder] => [
  `${apiVersion}/${kind}`,
  (d) => {
    const { metadata, ...rest } = body(d);
    return {
      apiVersion,
      kind,
      metadata: { ...meta(d, namespaced), ...(metadata as Obj | undefined) },
      ...rest,
    };
  },
];
/** A self-signed CA certificate and a certificate request (P-256), made with openssl for these tests. */
const CA_PEM =
  '-----BEGIN CERTIFICATE-----\nMIIBkjCCATegAwIBAgIUQQXPb1VD2QW8P6GmRgavumi7TOYwCgYIKoZIzj0EAwIw\nHjEcMBoGA1UEAwwTc2hpcHNoYXBlLXNhbXBsZS1jYTAeFw0yNjEyMDcxMTQ2NTJa\nFw0zNjEyMDQxMTQ2NTJaMB4xHDAaBgNVBAMME3NoaXBzaGFwZS1zYW1wbGUtY2Ew\nWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQoRmVdC3yzIbtjO99RF/aykiD39kVG\nsNvQ/lWcFoEh2OB8J88jQFTIwqI41Bam3va/BecyO1c51pW7RMu9ioQVo1MwUTAd\nBgNVHQ4EFgQUq21A2+aMZf8l5QqHuwQjrWyWG5owHwYDVR0jBBgwFoAUq21A2+aM\nZf8l5QqHuwQjrWyWG5owDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNJADBG\nAiEAuuZ1genKfGEDoszG2yFg9PwUpHysl+ccMRxUrOfiiisCIQCE8mqUa2JEubOJ\niOa5/OxyCUNkC3sfITXQgKSW8TGI6w==\n-----END CERTIFICATE-----\n';
const CSR_BASE64 =
  'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0KTUlId01JR1dBZ0VBTURReEd6QVpCZ05WQkFNTUVuTjVjM1JsYlRwdWIyUmxPbTV2WkdVdE1URVZNQk1HQTFVRQpDZ3dNYzNsemRHVnRPbTV2WkdWek1Ga3dFd1lIS29aSXpqMENBUVlJS29aSXpqMERBUWNEUWdBRVlTMHVvbW9EClRpd2tTd0lWNDRYeWkxL2thbVRtK3c3KzA3dFEvOUUwcjMrODhsTDg1SVI0Nllqc1p6MzlwRGdGSHBGek5veTEKVmtlejE5MlJHRHptK0tBQU1Bb0dDQ3FHU000OUJBTUNBMGtBTUVZQ0lRRENCYnVNUlBkUzRGUFFDN0xwVVA3awpkdjkrb1JqeFM2Mllsd1Vtb3FRZWt3SWhBSkU3WlZqSHZwczA0MWxGK0ZGRStTb3VRMXpDK3YvWWlhZTlOSjBjClJHTmUKLS0tLS1FTkQgQ0VSVElGSUNBVEUgUkVRVUVTVC0tLS0tCg==';

/** `apiVersion/Kind` → builder of a valid object. */
export const BUILDERS: Record<string, Builder> = Object.fromEntries([
  b('v1', 'Pod', true, (d) => ({ spec: podSpec(d, d.flag ? 'Always' : undefined) })),
  b('v1', 'PodTemplate', true, (d) => ({ template: template(d) })),
  b('v1', 'ReplicationController', true, (d) => ({
    spec: { replicas: d.replicas, selector: { app: d.name }, template: template(d) },
  })),
  b('apps/v1', 'Deployment', true, (d) => ({
    spec: {
      replicas: d.replicas,
      selector: selector(d),
      template: template(d),
      ...(d.flag2
        ? { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 1 } } }
        : d.n % 2 === 0
          ? { strategy: { type: 'Recreate' } }
          : {}),
      revisionHistoryLimit: 5,
    },
  })),
  b('apps/v1', 'ReplicaSet', true, (d) => ({
    spec: { replicas: d.replicas, selector: selector(d), template: template(d) },
  })),
  b('apps/v1', 'StatefulSet', true, (d) => ({
    spec: {
      serviceName: d.name,
      replicas: d.replicas,
      selector: selector(d),
      template: template(d),
      ...(d.flag
        ? {
            volumeClaimTemplates: [
              {
                metadata: { name: 'data' },
                spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
              },
            ],
          }
        : {}),
      podManagementPolicy: d.flag2 ? 'Parallel' : 'OrderedReady',
    },
  })),
  b('apps/v1', 'DaemonSet', true, (d) => ({
    spec: {
      selector: selector(d),
      template: template(d),
      ...(d.flag ? { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } } : {}),
    },
  })),
  b('apps/v1', 'ControllerRevision', true, (d) => ({ revision: d.n + 1, data: { spec: { replicas: 1 } } })),
  b('batch/v1', 'Job', true, (d) => ({
    spec: {
      backoffLimit: 3,
      ...(d.flag ? { completions: 3, parallelism: 2 } : {}),
      ...(d.flag2 ? { ttlSecondsAfterFinished: 600 } : {}),
      template: { metadata: { labels: { app: d.name } }, spec: podSpec(d, d.flag ? 'Never' : 'OnFailure') },
    },
  })),
  b('batch/v1', 'CronJob', true, (d) => ({
    spec: {
      schedule: ['*/5 * * * *', '0 3 * * *', '@hourly', '30 2 * * 1-5'][d.n % 4]!,
      ...(d.flag ? { concurrencyPolicy: 'Forbid', timeZone: 'Europe/Berlin' } : {}),
      jobTemplate: {
        spec: { template: { metadata: { labels: { app: d.name } }, spec: podSpec(d, 'OnFailure') } },
      },
    },
  })),
  b('v1', 'Service', true, (d) => ({
    spec: {
      ...(d.flag2 ? { type: 'NodePort' } : {}),
      selector: { app: d.name },
      ports: [
        {
          name: 'http',
          port: 80,
          targetPort: 'http',
          protocol: 'TCP',
          ...(d.flag2 && d.flag ? { nodePort: 30080 + (d.n % 100) } : {}),
        },
        ...(d.flag ? [{ name: 'metrics', port: 9090, targetPort: 9090 }] : []),
      ],
    },
  })),
  b('v1', 'ConfigMap', true, (d) => ({
    data: {
      'app.properties': 'log.level=info\n',
      LOG_LEVEL: 'info',
      ...(d.flag ? { 'config.json': '{"a":1}' } : {}),
    },
    ...(d.flag2 ? { binaryData: { 'logo.png': 'iVBORw0KGgo=' } } : {}),
  })),
  b('v1', 'Secret', true, (d) =>
    d.flag
      ? { type: 'kubernetes.io/tls', data: CERT_PEM_KEYS }
      : {
          type: 'Opaque',
          data: { password: 'czNjcjN0' },
          ...(d.flag2 ? { stringData: { username: 'admin' } } : {}),
        },
  ),
  b('v1', 'ServiceAccount', true, (d) => (d.flag ? { automountServiceAccountToken: false } : {})),
  [
    'v1/Namespace',
    (d: Draw) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: meta({ ...d, name: `${d.name}-ns` }, false),
    }),
  ],
  b('v1', 'PersistentVolumeClaim', true, (d) => ({
    spec: {
      accessModes: [d.flag ? 'ReadWriteOnce' : 'ReadOnlyMany'],
      resources: { requests: { storage: d.flag2 ? '10Gi' : '500Mi' } },
      ...(d.flag ? { storageClassName: 'standard' } : {}),
    },
  })),
  b('v1', 'PersistentVolume', false, (d) => ({
    spec: {
      capacity: { storage: '5Gi' },
      accessModes: ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: d.flag ? 'Retain' : 'Delete',
      ...(d.flag2
        ? { hostPath: { path: '/data/pv', type: 'DirectoryOrCreate' } }
        : { nfs: { server: '10.0.0.5', path: '/exports' } }),
    },
  })),
  b('v1', 'LimitRange', true, () => ({
    spec: {
      limits: [
        { type: 'Container', default: { cpu: '500m', memory: '256Mi' }, defaultRequest: { cpu: '100m' } },
      ],
    },
  })),
  b('v1', 'ResourceQuota', true, (d) => ({
    spec: { hard: { pods: String(10 + d.replicas), 'requests.cpu': '4', 'limits.memory': '8Gi' } },
  })),
  b('v1', 'Endpoints', true, (d) => ({
    subsets: [
      {
        addresses: [{ ip: `10.0.0.${1 + (d.n % 250)}` }],
        ports: [{ name: 'http', port: d.port, protocol: 'TCP' }],
      },
    ],
  })),
  b('v1', 'Node', false, () => ({
    spec: { podCIDR: '10.244.1.0/24', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
  })),
  b('v1', 'Event', true, (d) => ({
    involvedObject: { kind: 'Pod', namespace: d.ns, name: d.name, apiVersion: 'v1' },
    reason: 'Started',
    message: 'Started container app',
    type: 'Normal',
    source: { component: 'kubelet' },
    firstTimestamp: '2026-01-02T15:04:05Z',
    lastTimestamp: '2026-01-02T15:04:05Z',
    count: 1,
  })),
  b('events.k8s.io/v1', 'Event', true, (d) => ({
    eventTime: '2026-01-02T15:04:05.000000Z',
    reportingController: 'example.com/controller',
    reportingInstance: 'controller-1',
    action: 'Reconcile',
    reason: 'Synced',
    type: 'Normal',
    regarding: { kind: 'Pod', namespace: d.ns, name: d.name },
  })),
  b('networking.k8s.io/v1', 'Ingress', true, (d) => ({
    spec: {
      ...(d.flag ? { ingressClassName: 'nginx' } : {}),
      ...(d.flag2 ? { tls: [{ hosts: [`${d.name}.example.com`], secretName: `${d.name}-tls` }] } : {}),
      rules: [
        {
          host: `${d.name}.example.com`,
          http: {
            paths: [
              { path: '/', pathType: 'Prefix', backend: { service: { name: d.name, port: { number: 80 } } } },
              {
                path: '/api',
                pathType: 'ImplementationSpecific',
                backend: { service: { name: d.name, port: { name: 'http' } } },
              },
            ],
          },
        },
      ],
    },
  })),
  b('networking.k8s.io/v1', 'IngressClass', false, () => ({
    spec: { controller: 'example.com/ingress-controller' },
  })),
  b('networking.k8s.io/v1', 'NetworkPolicy', true, (d) => ({
    spec: {
      podSelector: { matchLabels: { app: d.name } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [
            { podSelector: { matchLabels: { app: 'frontend' } } },
            { ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.5.0/24'] } },
          ],
          ports: [{ protocol: 'TCP', port: d.port }],
        },
      ],
      egress: [
        {
          to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
          ports: [{ protocol: 'UDP', port: 53 }],
        },
      ],
    },
  })),
  b('networking.k8s.io/v1', 'ServiceCIDR', false, () => ({ spec: { cidrs: ['10.100.0.0/16'] } })),
  b('rbac.authorization.k8s.io/v1', 'Role', true, () => ({
    rules: [
      rule([''], ['pods', 'configmaps'], ['get', 'list', 'watch']),
      rule(['apps'], ['deployments'], ['get', 'update', 'patch']),
    ],
  })),
  b('rbac.authorization.k8s.io/v1', 'ClusterRole', false, (d) => ({
    rules: [
      rule([''], ['nodes'], ['get', 'list']),
      ...(d.flag ? [{ nonResourceURLs: ['/healthz', '/metrics'], verbs: ['get'] }] : []),
    ],
  })),
  b('rbac.authorization.k8s.io/v1', 'RoleBinding', true, (d) => ({
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: d.name },
    subjects: [
      { kind: 'ServiceAccount', name: d.name, namespace: d.ns },
      ...(d.flag ? [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'jane@example.com' }] : []),
    ],
  })),
  b('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', false, (d) => ({
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `${d.name}-readers` }],
  })),
  b('policy/v1', 'PodDisruptionBudget', true, (d) => ({
    spec: { ...(d.flag ? { minAvailable: 1 } : { maxUnavailable: '25%' }), selector: selector(d) },
  })),
  b('autoscaling/v2', 'HorizontalPodAutoscaler', true, (d) => ({
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: d.name },
      minReplicas: 1,
      maxReplicas: 5 + d.replicas,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
    },
  })),
  b('autoscaling/v1', 'HorizontalPodAutoscaler', true, (d) => ({
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: d.name },
      minReplicas: 1,
      maxReplicas: 3 + d.replicas,
      targetCPUUtilizationPercentage: 80,
    },
  })),
  b('scheduling.k8s.io/v1', 'PriorityClass', false, (d) => ({
    value: 1000 + d.n,
    globalDefault: false,
    description: 'Business-critical workloads.',
    ...(d.flag ? { preemptionPolicy: 'Never' } : {}),
  })),
  b('storage.k8s.io/v1', 'StorageClass', false, (d) => ({
    provisioner: 'ebs.csi.aws.com',
    parameters: { type: 'gp3' },
    reclaimPolicy: d.flag ? 'Retain' : 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  })),
  b('storage.k8s.io/v1', 'CSIDriver', false, () => ({
    spec: { attachRequired: true, podInfoOnMount: false, volumeLifecycleModes: ['Persistent'] },
  })),
  b('storage.k8s.io/v1', 'CSINode', false, (d) => ({
    spec: {
      drivers: [
        { name: 'ebs.csi.aws.com', nodeID: `i-${d.n}`, topologyKeys: ['topology.kubernetes.io/zone'] },
      ],
    },
  })),
  b('storage.k8s.io/v1', 'VolumeAttachment', false, (d) => ({
    spec: {
      attacher: 'ebs.csi.aws.com',
      nodeName: `node-${d.n % 3}`,
      source: { persistentVolumeName: `pv-${d.name}` },
    },
  })),
  b('storage.k8s.io/v1', 'VolumeAttributesClass', false, () => ({
    driverName: 'ebs.csi.aws.com',
    parameters: { iops: '3000' },
  })),
  b('storage.k8s.io/v1', 'CSIStorageCapacity', true, () => ({
    storageClassName: 'standard',
    capacity: '100Gi',
  })),
  b('admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', false, (d) => ({
    webhooks: [
      {
        name: `${d.name}.example.com`,
        clientConfig: { service: { namespace: 'default', name: d.name, path: '/validate' } },
        rules: [
          {
            operations: ['CREATE', 'UPDATE'],
            apiGroups: ['apps'],
            apiVersions: ['v1'],
            resources: ['deployments'],
            scope: 'Namespaced',
          },
        ],
        admissionReviewVersions: ['v1'],
        sideEffects: 'None',
        failurePolicy: d.flag ? 'Fail' : 'Ignore',
        timeoutSeconds: 5,
      },
    ],
  })),
  b('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', false, (d) => ({
    webhooks: [
      {
        name: `${d.name}.example.com`,
        clientConfig: { url: `https://${d.name}.example.com/mutate` },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
        admissionReviewVersions: ['v1', 'v1beta1'],
        sideEffects: 'NoneOnDryRun',
        reinvocationPolicy: 'IfNeeded',
      },
    ],
  })),
  b('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicy', false, () => ({
    spec: {
      failurePolicy: 'Fail',
      matchConstraints: {
        resourceRules: [
          {
            apiGroups: ['apps'],
            apiVersions: ['v1'],
            operations: ['CREATE', 'UPDATE'],
            resources: ['deployments'],
          },
        ],
      },
      validations: [{ expression: 'object.spec.replicas <= 5', message: 'at most 5 replicas' }],
    },
  })),
  b('admissionregistration.k8s.io/v1', 'ValidatingAdmissionPolicyBinding', false, (d) => ({
    spec: { policyName: d.name, validationActions: ['Deny'] },
  })),
  b('discovery.k8s.io/v1', 'EndpointSlice', true, (d) => ({
    addressType: 'IPv4',
    endpoints: [{ addresses: [`10.1.2.${1 + (d.n % 250)}`], conditions: { ready: true } }],
    ports: [{ name: 'http', protocol: 'TCP', port: d.port }],
  })),
  b('coordination.k8s.io/v1', 'Lease', true, (d) => ({
    spec: {
      holderIdentity: `${d.name}-0`,
      leaseDurationSeconds: 15,
      ...(d.flag ? { renewTime: '2026-01-02T15:04:05.000000Z' } : {}),
    },
  })),
  b('node.k8s.io/v1', 'RuntimeClass', false, (d) => ({ handler: d.flag ? 'runsc' : 'kata' })),
  b('apiextensions.k8s.io/v1', 'CustomResourceDefinition', false, (d) => ({
    metadata: { name: `${d.name.replace(/-\d+$/, '')}s.example.com` },
    spec: {
      group: 'example.com',
      names: {
        plural: `${d.name.replace(/-\d+$/, '')}s`,
        singular: d.name.replace(/-\d+$/, ''),
        kind: 'Widget',
        listKind: 'WidgetList',
      },
      scope: d.flag ? 'Namespaced' : 'Cluster',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } },
            },
          },
        },
      ],
    },
  })),
  b('apiregistration.k8s.io/v1', 'APIService', false, () => ({
    metadata: { name: 'v1beta1.metrics.example.com' },
    spec: {
      group: 'metrics.example.com',
      version: 'v1beta1',
      service: { namespace: 'default', name: 'metrics', port: 443 },
      groupPriorityMinimum: 100,
      versionPriority: 100,
      insecureSkipTLSVerify: true,
    },
  })),
  b('flowcontrol.apiserver.k8s.io/v1', 'PriorityLevelConfiguration', false, () => ({
    spec: { type: 'Limited', limited: { nominalConcurrencyShares: 10, limitResponse: { type: 'Reject' } } },
  })),
  b('flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', false, (d) => ({
    spec: {
      priorityLevelConfiguration: { name: 'workload-low' },
      matchingPrecedence: 1000 + (d.n % 100),
      distinguisherMethod: { type: 'ByUser' },
      rules: [
        {
          subjects: [{ kind: 'ServiceAccount', serviceAccount: { namespace: d.ns, name: d.name } }],
          resourceRules: [
            { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], namespaces: ['*'] },
          ],
        },
      ],
    },
  })),
  b('resource.k8s.io/v1', 'DeviceClass', false, () => ({
    spec: { selectors: [{ cel: { expression: 'device.driver == "gpu.example.com"' } }] },
  })),
  b('resource.k8s.io/v1', 'ResourceClaim', true, () => ({
    spec: { devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: 'gpu.example.com' } }] } },
  })),
  b('resource.k8s.io/v1', 'ResourceClaimTemplate', true, () => ({
    spec: {
      spec: {
        devices: { requests: [{ name: 'gpu', exactly: { deviceClassName: 'gpu.example.com', count: 1 } }] },
      },
    },
  })),
  b('networking.k8s.io/v1', 'IPAddress', false, (d) => ({
    metadata: { name: `10.96.${d.n % 250}.${1 + (d.port % 250)}` },
    spec: { parentRef: { group: '', resource: 'services', namespace: d.ns, name: d.name } },
  })),
  b('resource.k8s.io/v1', 'ResourceSlice', false, (d) => ({
    spec: {
      driver: 'gpu.example.com',
      nodeName: `node-${d.n % 3}`,
      pool: { name: `node-${d.n % 3}`, generation: 1, resourceSliceCount: 1 },
      devices: [{ name: 'gpu-0', attributes: { model: { string: 'a100' } } }],
    },
  })),
  b('resource.k8s.io/v1', 'DeviceTaintRule', false, () => ({
    spec: {
      deviceSelector: { driver: 'gpu.example.com' },
      taint: { key: 'example.com/maintenance', value: 'true', effect: 'NoSchedule' },
    },
  })),
  b('admissionregistration.k8s.io/v1', 'MutatingAdmissionPolicy', false, () => ({
    spec: {
      matchConstraints: {
        resourceRules: [
          { apiGroups: ['apps'], apiVersions: ['v1'], operations: ['CREATE'], resources: ['deployments'] },
        ],
      },
      failurePolicy: 'Fail',
      reinvocationPolicy: 'Never',
      mutations: [
        {
          patchType: 'ApplyConfiguration',
          applyConfiguration: {
            expression: 'Object{metadata: Object.metadata{labels: {"managed": "true"}}}',
          },
        },
      ],
    },
  })),
  b('admissionregistration.k8s.io/v1', 'MutatingAdmissionPolicyBinding', false, (d) => ({
    spec: { policyName: d.name },
  })),
  b('certificates.k8s.io/v1', 'CertificateSigningRequest', false, (d) => ({
    spec: {
      request: CSR_BASE64,
      signerName: 'example.com/client',
      usages: d.flag ? ['digital signature', 'client auth'] : ['client auth'],
    },
  })),
  b('certificates.k8s.io/v1', 'ClusterTrustBundle', false, () => ({ spec: { trustBundle: CA_PEM } })),
  b('storagemigration.k8s.io/v1', 'StorageVersionMigration', false, () => ({
    spec: { resource: { group: 'apps', resource: 'deployments' } },
  })),
]);

/** The kinds with a realistic builder that the bundled schemas of `schemas.minor` know. */
export function realisticKinds(schemas: SchemaSet): string[] {
  return Object.keys(BUILDERS).filter((k) => k in schemas.kinds);
}

// ---- semantic mutations (the classes of issue 12) ---------------------------------------------

export const SEMANTIC_MUTATIONS = [
  'bad-name',
  'missing-name',
  'bad-label',
  'bad-annotation',
  'go-required',
  'go-enum',
  'bad-port',
  'bad-port-name',
  'bad-cidr',
  'bad-ip',
  'bad-cron',
  'bad-env-name',
  'bad-data-key',
  'bad-resource-name',
  'negative-quantity',
  'bad-ingress-path',
  'bad-base64',
  'selector-mismatch',
  'recreate-rolling-update',
  'two-probe-handlers',
  'pdb-both',
  'missing-volume',
  'duplicate-container-name',
  'tls-secret-keys',
] as const;
export type SemanticMutation = (typeof SEMANTIC_MUTATIONS)[number];
export const ALL_MUTATIONS = [...SCHEMA_MUTATIONS, ...SEMANTIC_MUTATIONS] as const;
export type AnyMutation = (typeof ALL_MUTATIONS)[number];

export interface RealCase {
  key: string;
  object: Obj;
  mutation?: { kind: AnyMutation; path: string; detail: string };
}

const isObj = (v: Json | undefined): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const get = (o: Json | undefined, ...path: Array<string | number>): Json | undefined => {
  let cur = o;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, Json>)[p];
  }
  return cur;
};

/** The pod spec inside a workload, and its path. */
function podSpecOf(o: Obj): { spec: Obj; path: string } | undefined {
  const tries: Array<Array<string>> = [
    ['spec'],
    ['spec', 'template', 'spec'],
    ['template', 'spec'],
    ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  ];
  for (const t of tries) {
    const s = get(o, ...t);
    if (isObj(s) && Array.isArray(s.containers)) return { spec: s, path: '/' + t.join('/') };
  }
  return undefined;
}
const firstContainer = (o: Obj): Obj | undefined => {
  const c = podSpecOf(o)?.spec.containers;
  return Array.isArray(c) && isObj(c[0]) ? c[0] : undefined;
};

type Applied = { path: string; detail: string } | undefined;
const pickOf = <T>(xs: readonly T[], pick: number): T => xs[pick % xs.length]!;

const BAD_NAMES = ['Web-App', 'web_app', '-web', 'web-', 'web.app', 'a'.repeat(64), 'web app', 'web:1'];
const BAD_LABELS: Array<[string, string]> = [
  ['bad key', 'x'],
  ['app', 'has space'],
  ['app', '-leading'],
  ['example.com/', 'x'],
  ['Example_.com/app', 'x'],
  ['app', 'v'.repeat(64)],
  ['a/b/c', 'x'],
];
const BAD_ANNOTATIONS = ['bad key', 'example.com/a b', '-x', 'Example.COM/ok', 'a/b/c'];

/** Apply one semantic mutation in place; undefined when it has nowhere to go in this object. */
function applySemantic(o: Obj, kind: SemanticMutation, pick: number): Applied {
  const key = `${o.apiVersion as string}/${o.kind as string}`;
  const md = o.metadata as Obj;
  const ps = podSpecOf(o);
  const c0 = firstContainer(o);
  const spec = isObj(o.spec) ? o.spec : undefined;
  switch (kind) {
    case 'bad-name': {
      const v = key === 'batch/v1/CronJob' && pick % 2 === 0 ? 'c'.repeat(53) : pickOf(BAD_NAMES, pick);
      md.name = v;
      return {
        path: '/metadata/name',
        detail: `name ← ${JSON.stringify(v.length > 20 ? `${v.slice(0, 8)}… (${v.length})` : v)}`,
      };
    }
    case 'missing-name':
      delete md.name;
      return { path: '/metadata/name', detail: 'removed metadata.name (no generateName)' };
    case 'bad-label': {
      const [k, v] = pickOf(BAD_LABELS, pick);
      md.labels = { ...(md.labels as Obj), [k]: v };
      return {
        path: `/metadata/labels/${k}`,
        detail: `label ${JSON.stringify(k)}: ${JSON.stringify(v.slice(0, 20))}`,
      };
    }
    case 'bad-annotation': {
      const k = pickOf(BAD_ANNOTATIONS, pick);
      md.annotations = { ...(md.annotations as Obj), [k]: 'x' };
      return { path: `/metadata/annotations/${k}`, detail: `annotation key ${JSON.stringify(k)}` };
    }
    case 'go-required': {
      const options: Array<() => Applied> = [];
      if (ps)
        options.push(
          () => ((ps.spec.containers = []), { path: `${ps.path}/containers`, detail: 'containers: []' }),
        );
      if (c0)
        options.push(
          () => (delete c0.image, { path: `${ps!.path}/containers/0/image`, detail: 'removed image' }),
        );
      if (key === 'v1/PersistentVolumeClaim' && spec) {
        options.push(
          () => (delete spec.accessModes, { path: '/spec/accessModes', detail: 'removed accessModes' }),
        );
        options.push(
          () => (
            delete (spec.resources as Obj).requests,
            { path: '/spec/resources/requests', detail: 'removed resources.requests' }
          ),
        );
      }
      if (key === 'networking.k8s.io/v1/Ingress' && spec)
        options.push(
          () => (
            delete spec.rules,
            delete spec.tls,
            { path: '/spec/rules', detail: 'neither rules nor defaultBackend' }
          ),
        );
      if (key === 'v1/Service' && spec && Array.isArray(spec.ports) && spec.ports.length > 1)
        options.push(
          () => (
            delete (spec.ports as Obj[])[1]!.name,
            { path: '/spec/ports/1/name', detail: 'multi-port Service without a port name' }
          ),
        );
      if (key === 'v1/Service' && spec)
        options.push(() => ((spec.ports = []), { path: '/spec/ports', detail: 'ports: []' }));
      if (key === 'apps/v1/StatefulSet' && spec)
        options.push(
          () => (delete spec.serviceName, { path: '/spec/serviceName', detail: 'removed serviceName' }),
        );
      if (key === 'v1/PersistentVolume' && spec)
        options.push(() => (delete spec.capacity, { path: '/spec/capacity', detail: 'removed capacity' }));
      if (key === 'v1/ConfigMap')
        options.push(() => ((o.data = { '': 'x' }), { path: '/data/', detail: 'empty data key' }));
      if (options.length === 0) return undefined;
      return pickOf(options, pick)();
    }
    case 'go-enum': {
      const options: Array<() => Applied> = [];
      if (ps && /Deployment|ReplicaSet|StatefulSet|DaemonSet|ReplicationController/.test(key))
        options.push(
          () => (
            (ps.spec.restartPolicy = 'Never'),
            { path: `${ps.path}/restartPolicy`, detail: 'restartPolicy Never in a controller template' }
          ),
        );
      if (ps && /Job/.test(key))
        options.push(
          () => (
            (ps.spec.restartPolicy = 'Always'),
            { path: `${ps.path}/restartPolicy`, detail: 'restartPolicy Always in a Job' }
          ),
        );
      if (c0)
        options.push(
          () => (
            (c0.imagePullPolicy = 'Sometimes'),
            { path: `${ps!.path}/containers/0/imagePullPolicy`, detail: 'imagePullPolicy Sometimes' }
          ),
        );
      if (ps)
        options.push(
          () => ((ps.spec.dnsPolicy = 'Auto'), { path: `${ps.path}/dnsPolicy`, detail: 'dnsPolicy Auto' }),
        );
      if (ps)
        options.push(
          () => ((ps.spec.os = { name: 'macos' }), { path: `${ps.path}/os/name`, detail: 'os.name macos' }),
        );
      if (key === 'discovery.k8s.io/v1/EndpointSlice')
        options.push(() => ((o.addressType = 'IPv5'), { path: '/addressType', detail: 'addressType IPv5' }));
      if (key === 'v1/Service' && spec)
        options.push(() => ((spec.type = 'Public'), { path: '/spec/type', detail: 'type Public' }));
      if (key === 'v1/PersistentVolumeClaim' && spec)
        options.push(
          () => (
            (spec.accessModes = ['ReadWriteAll']),
            { path: '/spec/accessModes/0', detail: 'accessMode ReadWriteAll' }
          ),
        );
      if (options.length === 0) return undefined;
      return pickOf(options, pick)();
    }
    case 'bad-port': {
      const bad = pickOf([0, 70000, -1, 65536], pick);
      if (c0 && Array.isArray(c0.ports) && isObj(c0.ports[0])) {
        c0.ports[0].containerPort = bad;
        return { path: `${ps!.path}/containers/0/ports/0/containerPort`, detail: `containerPort ${bad}` };
      }
      if (key === 'v1/Service' && spec) {
        (spec.ports as Obj[])[0]!.port = bad;
        return { path: '/spec/ports/0/port', detail: `port ${bad}` };
      }
      if (key === 'discovery.k8s.io/v1/EndpointSlice' || key === 'v1/Endpoints') {
        const port =
          key === 'v1/Endpoints' ? (get(o, 'subsets', 0, 'ports', 0) as Obj) : (get(o, 'ports', 0) as Obj);
        port.port = bad;
        return { path: '/…/ports/0/port', detail: `port ${bad}` };
      }
      return undefined;
    }
    case 'bad-port-name': {
      const bad = pickOf(['HTTP', 'http_port', 'metrics-port-long', '-http', 'http--web', '8080'], pick);
      if (c0 && Array.isArray(c0.ports) && isObj(c0.ports[0])) {
        c0.ports[0].name = bad;
        return { path: `${ps!.path}/containers/0/ports/0/name`, detail: `port name ${bad}` };
      }
      if (key === 'v1/Service' && spec) {
        (spec.ports as Obj[])[0]!.name = bad;
        return { path: '/spec/ports/0/name', detail: `port name ${bad}` };
      }
      return undefined;
    }
    case 'bad-cidr': {
      const bad = pickOf(['10.0.0.0/33', 'not-a-cidr', '10.0.0/16', '300.0.0.0/8', '10.0.0.1/8'], pick);
      if (key === 'networking.k8s.io/v1/NetworkPolicy') {
        (get(o, 'spec', 'ingress', 0, 'from', 1, 'ipBlock') as Obj).cidr = bad;
        return { path: '/spec/ingress/0/from/1/ipBlock/cidr', detail: `cidr ${bad}` };
      }
      if (key === 'v1/Node' && spec) {
        spec.podCIDR = bad;
        return { path: '/spec/podCIDR', detail: `podCIDR ${bad}` };
      }
      if (key === 'networking.k8s.io/v1/ServiceCIDR' && spec) {
        spec.cidrs = [bad];
        return { path: '/spec/cidrs/0', detail: `cidr ${bad}` };
      }
      return undefined;
    }
    case 'bad-ip': {
      const bad = pickOf(['10.0.0.300', '1.2.3', 'localhost', '10.0.0.01', 'fe80::zz'], pick);
      if (key === 'networking.k8s.io/v1/IPAddress') {
        md.name = pickOf(['10.96.0.010', '::FFFF:10.96.0.1', '10.96.0', 'fe80::1%eth0'], pick);
        return { path: '/metadata/name', detail: `IPAddress name ${md.name}` };
      }
      if (key === 'v1/Endpoints') {
        (get(o, 'subsets', 0, 'addresses', 0) as Obj).ip = bad;
        return { path: '/subsets/0/addresses/0/ip', detail: `ip ${bad}` };
      }
      if (key === 'discovery.k8s.io/v1/EndpointSlice') {
        (get(o, 'endpoints', 0) as Obj).addresses = [bad];
        return { path: '/endpoints/0/addresses/0', detail: `address ${bad}` };
      }
      if (key === 'v1/Service' && spec) {
        if (pick % 2 === 0) spec.clusterIP = bad;
        else spec.externalIPs = [bad];
        return { path: '/spec/clusterIP', detail: `IP ${bad}` };
      }
      if (ps) {
        ps.spec.hostAliases = [{ ip: bad, hostnames: ['db.local'] }];
        return { path: `${ps.path}/hostAliases/0/ip`, detail: `hostAlias ip ${bad}` };
      }
      return undefined;
    }
    case 'bad-cron': {
      if (key !== 'batch/v1/CronJob' || !spec) return undefined;
      const bad = pickOf(
        ['61 * * * *', '* * *', '@every-day', '*/0 * * * *', '0 0 31 2 8', 'TZ=UTC 0 * * * *'],
        pick,
      );
      spec.schedule = bad;
      return { path: '/spec/schedule', detail: `schedule ${bad}` };
    }
    case 'bad-env-name': {
      if (!c0 || !Array.isArray(c0.env)) return undefined;
      const bad = pickOf(['A=B', '', '1BAD', 'my var', 'LOG.LEVEL', 'ü'], pick);
      (c0.env[0] as Obj).name = bad;
      return { path: `${ps!.path}/containers/0/env/0/name`, detail: `env name ${JSON.stringify(bad)}` };
    }
    case 'bad-data-key': {
      if (key !== 'v1/ConfigMap' && key !== 'v1/Secret') return undefined;
      const bad = pickOf(['bad key', 'a/b', '..', 'é', 'x'.repeat(254)], pick);
      const field = key === 'v1/ConfigMap' ? 'data' : 'data';
      o[field] = { ...(o[field] as Obj), [bad]: key === 'v1/Secret' ? 'eA==' : 'x' };
      return {
        path: `/${field}/${bad.slice(0, 10)}`,
        detail: `data key ${JSON.stringify(bad.slice(0, 20))}`,
      };
    }
    case 'bad-resource-name': {
      if (!c0) return undefined;
      const bad = pickOf(['gpu', 'cpus', 'example.com/gpu', 'nvidia.com/gpu', 'Memory'], pick);
      (c0.resources as Obj).limits = { ...((c0.resources as Obj).limits as Obj), [bad]: '1' };
      return { path: `${ps!.path}/containers/0/resources/limits/${bad}`, detail: `resource ${bad}` };
    }
    case 'negative-quantity': {
      if (c0) {
        ((c0.resources as Obj).requests as Obj).cpu = pickOf(['-1', '-100m', '-0.5'], pick);
        return { path: `${ps!.path}/containers/0/resources/requests/cpu`, detail: 'negative cpu request' };
      }
      if (key === 'v1/PersistentVolumeClaim' && spec) {
        ((spec.resources as Obj).requests as Obj).storage = '-1Gi';
        return { path: '/spec/resources/requests/storage', detail: 'storage -1Gi' };
      }
      if (key === 'v1/ResourceQuota' && spec) {
        (spec.hard as Obj)['requests.cpu'] = '-4';
        return { path: '/spec/hard/requests.cpu', detail: 'hard requests.cpu -4' };
      }
      return undefined;
    }
    case 'bad-ingress-path': {
      if (key !== 'networking.k8s.io/v1/Ingress') return undefined;
      const p = get(o, 'spec', 'rules', 0, 'http', 'paths', pick % 2) as Obj;
      p.path = pickOf(['api', 'v1/users', '/a//b', '/api;x'], pick >> 1);
      return {
        path: `/spec/rules/0/http/paths/${pick % 2}/path`,
        detail: `path ${String(p.path)} (${p.pathType as string})`,
      };
    }
    case 'bad-base64': {
      if (key !== 'v1/Secret') return undefined;
      const bad = pickOf(['not base64!', 'czNjcjN0=', 'abc', '====', 's3cr3t'], pick);
      o.data = { ...(o.data as Obj), token: bad };
      return { path: '/data/token', detail: 'a value that is not base64' };
    }
    case 'selector-mismatch': {
      const tl = get(o, 'spec', 'template', 'metadata', 'labels');
      if (!isObj(tl) || !isObj(spec?.selector)) return undefined;
      tl.app = `${tl.app as string}-other`;
      return {
        path: '/spec/template/metadata/labels/app',
        detail: 'template labels do not match the selector',
      };
    }
    case 'recreate-rolling-update': {
      if (key !== 'apps/v1/Deployment' || !spec) return undefined;
      spec.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } };
      return { path: '/spec/strategy', detail: 'Recreate with rollingUpdate' };
    }
    case 'two-probe-handlers': {
      if (!c0) return undefined;
      c0.livenessProbe = { httpGet: { path: '/', port: 8080 }, tcpSocket: { port: 8080 } };
      return { path: `${ps!.path}/containers/0/livenessProbe`, detail: 'httpGet and tcpSocket' };
    }
    case 'pdb-both': {
      if (key !== 'policy/v1/PodDisruptionBudget' || !spec) return undefined;
      spec.minAvailable = 1;
      spec.maxUnavailable = 1;
      return { path: '/spec', detail: 'minAvailable and maxUnavailable' };
    }
    case 'missing-volume': {
      if (!c0 || !ps) return undefined;
      ps.spec.volumes = [];
      return { path: `${ps.path}/volumes`, detail: 'volumeMount names no volume' };
    }
    case 'duplicate-container-name': {
      if (!ps || !Array.isArray(ps.spec.containers) || !isObj(c0)) return undefined;
      ps.spec.containers.push({ ...structuredClone(c0), ports: [] });
      return {
        path: `${ps.path}/containers/${ps.spec.containers.length - 1}/name`,
        detail: 'two containers named alike',
      };
    }
    case 'tls-secret-keys': {
      if (key !== 'v1/Secret') return undefined;
      o.type = 'kubernetes.io/tls';
      const k = pick % 2 === 0 ? 'tls.key' : 'tls.crt';
      o.data = { ...CERT_PEM_KEYS };
      delete o.data[k];
      delete o.stringData;
      return { path: `/data/${k}`, detail: `kubernetes.io/tls without ${k}` };
    }
  }
}

/** One mutation of `kind` on a copy of `object`, or undefined when it does not apply. */
export function mutateRealistic(
  schemas: SchemaSet,
  key: string,
  object: Obj,
  kind: AnyMutation,
  pick: number,
): RealCase | undefined {
  if ((SCHEMA_MUTATIONS as readonly string[]).includes(kind)) {
    // a JSON round trip drops the `undefined`s the schema walk does not expect
    const plain = JSON.parse(JSON.stringify(object)) as Parameters<typeof mutate>[2];
    const c = mutate(schemas, key, plain, kind as (typeof SCHEMA_MUTATIONS)[number], pick);
    // `mutate` falls back to another schema kind: report what was done
    return { key, object: c.object, mutation: c.mutation };
  }
  const o = structuredClone(object);
  const applied = applySemantic(o, kind as SemanticMutation, pick);
  return applied ? { key, object: o, mutation: { kind, ...applied } } : undefined;
}

/**
 * A case: a realistic valid object of one of `kinds`; with probability 3/4 one mutation: two times
 * in three a semantic one, chosen evenly among those that apply to the object (so a CronJob's
 * schedule or a PDB's budgets are exercised as often as names), else a schema one.
 */
export function realisticCaseArb(schemas: SchemaSet, kinds: readonly string[]): fc.Arbitrary<RealCase> {
  return fc
    .tuple(
      fc.constantFrom(...kinds),
      drawArb,
      fc.option(
        fc.oneof(
          { arbitrary: fc.constant('semantic' as const), weight: 2 },
          { arbitrary: fc.constantFrom(...SCHEMA_MUTATIONS), weight: 1 },
        ),
        { freq: 3 },
      ),
      fc.nat(),
      fc.nat(),
    )
    .map(([key, d, kind, which, pick]) => {
      const object = BUILDERS[key]!(d);
      if (kind === null) return { key, object };
      if (kind !== 'semantic') return mutateRealistic(schemas, key, object, kind, pick)!;
      const applicable = SEMANTIC_MUTATIONS.map((k) => mutateRealistic(schemas, key, object, k, pick)).filter(
        (c) => c !== undefined,
      );
      return applicable[which % applicable.length]!;
    });
}
