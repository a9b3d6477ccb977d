// Application teams' namespaces as a platform renders them: quotas, default-deny policies, and per
// service a ServiceAccount, ConfigMap, Deployment, Service, autoscaler and disruption budget, plus
// ingress routes, batch jobs and a log shipper DaemonSet. Written for the benchmark corpus.

const SERVICES = [
  {
    name: 'storefront',
    port: 8080,
    lang: 'node',
    cpu: 250,
    mem: 384,
    public: '/',
    env: { NODE_ENV: 'production', UV_THREADPOOL_SIZE: '8' },
  },
  {
    name: 'catalog',
    port: 8080,
    lang: 'jvm',
    cpu: 500,
    mem: 1024,
    public: '/api/catalog',
    env: {
      JAVA_TOOL_OPTIONS: '-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError',
      SPRING_PROFILES_ACTIVE: 'kubernetes',
    },
  },
  {
    name: 'cart',
    port: 9000,
    lang: 'go',
    cpu: 100,
    mem: 128,
    public: '/api/cart',
    env: { GOMEMLIMIT: '100MiB', CART_TTL: '72h' },
  },
  {
    name: 'checkout',
    port: 9000,
    lang: 'go',
    cpu: 200,
    mem: 192,
    public: '/api/checkout',
    env: { GOMEMLIMIT: '160MiB', PAYMENT_TIMEOUT: '8s' },
  },
  {
    name: 'payments',
    port: 8443,
    lang: 'jvm',
    cpu: 500,
    mem: 768,
    env: { JAVA_TOOL_OPTIONS: '-XX:MaxRAMPercentage=70', PSP_REGION: 'eu' },
  },
  {
    name: 'search',
    port: 8080,
    lang: 'python',
    cpu: 300,
    mem: 512,
    public: '/api/search',
    env: { GUNICORN_WORKERS: '4', PYTHONUNBUFFERED: '1' },
  },
  {
    name: 'recommendations',
    port: 8080,
    lang: 'python',
    cpu: 400,
    mem: 768,
    env: { MODEL_PATH: '/models/current', PYTHONUNBUFFERED: '1' },
  },
  {
    name: 'accounts',
    port: 8080,
    lang: 'node',
    cpu: 150,
    mem: 256,
    public: '/api/accounts',
    env: { NODE_ENV: 'production', SESSION_STORE: 'redis' },
  },
  {
    name: 'notifications',
    port: 8080,
    lang: 'go',
    cpu: 50,
    mem: 64,
    env: { GOMEMLIMIT: '48MiB', SMTP_RELAY: 'smtp.mail.svc:25' },
  },
  {
    name: 'inventory',
    port: 50051,
    lang: 'go',
    cpu: 100,
    mem: 128,
    env: { GOMEMLIMIT: '100MiB', GRPC_MAX_RECV: '8388608' },
  },
];

const service = (c, ns, s, i) => {
  const replicas = Math.max(2, c.replicas.app + (i % 3) - 1);
  return `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${s.name}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${s.name}
    app.kubernetes.io/part-of: shop
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: ${s.name}-config
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${s.name}
data:
${Object.entries(s.env)
  .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`)
  .join('\n')}
  LOG_FORMAT: json
  LOG_LEVEL: ${c.name === 'prod' ? 'info' : 'debug'}
  OTEL_EXPORTER_OTLP_ENDPOINT: http://otel-collector.observability.svc:4317
  OTEL_SERVICE_NAME: ${s.name}
  OTEL_RESOURCE_ATTRIBUTES: deployment.environment=${c.name},service.namespace=${ns}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${s.name}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${s.name}
    app.kubernetes.io/version: "${c.versions.app}.${i}"
    app.kubernetes.io/part-of: shop
    app.kubernetes.io/managed-by: platform-renderer
  annotations:
    platform.example.com/owner: team-${ns}
    platform.example.com/oncall: https://oncall.example.com/teams/${ns}
spec:
  replicas: ${replicas}
  revisionHistoryLimit: 5
  progressDeadlineSeconds: 600
  selector:
    matchLabels:
      app.kubernetes.io/name: ${s.name}
  strategy:
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${s.name}
        app.kubernetes.io/part-of: shop
        platform.example.com/lang: ${s.lang}
      annotations:
        checksum/config: ${c.checksum(`${ns}-${s.name}`)}
        prometheus.io/scrape: "true"
        prometheus.io/port: "${s.port === 8443 ? 9090 : s.port}"
    spec:
      serviceAccountName: ${s.name}
      automountServiceAccountToken: false
      terminationGracePeriodSeconds: ${s.lang === 'jvm' ? 60 : 30}
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        runAsGroup: 10001
        fsGroup: 10001
        seccompProfile:
          type: RuntimeDefault
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app.kubernetes.io/name: ${s.name}
        - maxSkew: 2
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app.kubernetes.io/name: ${s.name}
${
  s.name === 'recommendations'
    ? `      initContainers:
        - name: fetch-model
          image: ${c.registry}/shop/model-fetcher:2.${c.index}.1
          args: [--bucket=models-${c.name}, --prefix=recommendations/current, --dest=/models/current]
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
          resources:
            requests: { cpu: 100m, memory: 128Mi, ephemeral-storage: 1Gi }
            limits: { cpu: 500m, memory: 256Mi, ephemeral-storage: 2Gi }
          volumeMounts:
            - { name: models, mountPath: /models }
`
    : ''
}      containers:
        - name: ${s.name}
          image: ${c.registry}/shop/${s.name}:${c.versions.app}.${i}
          imagePullPolicy: IfNotPresent
          ports:
            - name: ${s.port === 50051 ? 'grpc' : s.port === 8443 ? 'https' : 'http'}
              containerPort: ${s.port}
              protocol: TCP
${
  s.port === 8443
    ? `            - name: metrics
              containerPort: 9090
              protocol: TCP
`
    : ''
}          envFrom:
            - configMapRef:
                name: ${s.name}-config
          env:
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: NODE_NAME
              valueFrom:
                fieldRef:
                  fieldPath: spec.nodeName
            - name: DATABASE_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: ${s.name}-db
                  key: password
                  optional: true
          resources:
            requests:
              cpu: ${c.cpu(s.cpu)}
              memory: ${c.mem(s.mem)}
              ephemeral-storage: 256Mi
            limits:
              memory: ${c.mem(s.mem * 2)}
              ephemeral-storage: 1Gi
          ${
            s.port === 50051
              ? `readinessProbe:
            grpc:
              port: ${s.port}
            periodSeconds: 5
          livenessProbe:
            grpc:
              port: ${s.port}
            periodSeconds: 20
            failureThreshold: 3`
              : `readinessProbe:
            httpGet:
              path: /ready
              port: ${s.port === 8443 ? 'metrics' : 'http'}
            periodSeconds: 5
            timeoutSeconds: 2
          livenessProbe:
            httpGet:
              path: /live
              port: ${s.port === 8443 ? 'metrics' : 'http'}
            periodSeconds: 20
            timeoutSeconds: 2
            failureThreshold: 3`
          }
${
  s.lang === 'jvm'
    ? `          startupProbe:
            httpGet:
              path: /live
              port: ${s.port === 8443 ? 'metrics' : 'http'}
            periodSeconds: 5
            failureThreshold: 36
`
    : ''
}          lifecycle:
            preStop:
              sleep:
                seconds: 5
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          volumeMounts:
            - name: tmp
              mountPath: /tmp
${s.name === 'recommendations' ? '            - { name: models, mountPath: /models, readOnly: true }\n' : ''}      volumes:
        - name: tmp
          emptyDir:
            medium: Memory
            sizeLimit: 64Mi
${s.name === 'recommendations' ? '        - name: models\n          emptyDir: { sizeLimit: 4Gi }\n' : ''}---
apiVersion: v1
kind: Service
metadata:
  name: ${s.name}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: ${s.name}
spec:
  selector:
    app.kubernetes.io/name: ${s.name}
  ports:
    - name: ${s.port === 50051 ? 'grpc' : s.port === 8443 ? 'https' : 'http'}
      port: ${s.port === 8443 ? 443 : s.port === 50051 ? 50051 : 80}
      targetPort: ${s.port === 50051 ? 'grpc' : s.port === 8443 ? 'https' : 'http'}
${s.port === 50051 ? '      appProtocol: grpc\n' : ''}---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${s.name}
  namespace: ${ns}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${s.name}
  minReplicas: ${replicas}
  maxReplicas: ${replicas * 5}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: ${60 + (i % 4) * 5}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: ${s.name}
  namespace: ${ns}
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: ${s.name}
`;
};

const namespace = (c, ns) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
  labels:
    platform.example.com/cluster: ${c.name}
    platform.example.com/team: ${ns}
    pod-security.kubernetes.io/enforce: restricted
    pod-security.kubernetes.io/enforce-version: latest
---
apiVersion: v1
kind: ResourceQuota
metadata:
  name: compute
  namespace: ${ns}
spec:
  hard:
    requests.cpu: "${c.replicas.app * 20}"
    requests.memory: ${c.replicas.app * 40}Gi
    limits.memory: ${c.replicas.app * 80}Gi
    pods: "${c.replicas.app * 100}"
    services.loadbalancers: "0"
    services.nodeports: "0"
---
apiVersion: v1
kind: LimitRange
metadata:
  name: defaults
  namespace: ${ns}
spec:
  limits:
    - type: Container
      default:
        memory: 256Mi
      defaultRequest:
        cpu: 50m
        memory: 128Mi
      max:
        memory: 8Gi
    - type: PersistentVolumeClaim
      max:
        storage: 100Gi
      min:
        storage: 1Gi
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: ${ns}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns-and-telemetry
  namespace: ${ns}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - { port: 53, protocol: UDP }
        - { port: 53, protocol: TCP }
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: observability
      ports:
        - { port: 4317, protocol: TCP }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-from-edge
  namespace: ${ns}
spec:
  podSelector:
    matchExpressions:
      - key: app.kubernetes.io/name
        operator: In
        values: [${SERVICES.filter((s) => s.public)
          .map((s) => s.name)
          .join(', ')}]
  policyTypes: [Ingress]
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: edge-system
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: team-edit
  namespace: ${ns}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edit
subjects:
  - apiGroup: rbac.authorization.k8s.io
    kind: Group
    name: team-${ns}-developers
`;

const routes = (c, ns) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: ${ns}
  annotations:
    edge.example.com/proxy-body-size: 8m
    edge.example.com/limit-rps: "${c.name === 'prod' ? 200 : 20}"
    certs.example.com/cluster-issuer: public-acme
spec:
  ingressClassName: edge
  tls:
    - hosts: [${ns}.${c.domain}]
      secretName: ${ns}-tls
  rules:
    - host: ${ns}.${c.domain}
      http:
        paths:
${SERVICES.filter((s) => s.public)
  .map(
    (s) => `          - path: ${s.public}
            pathType: Prefix
            backend:
              service:
                name: ${s.name}
                port:
                  name: http`,
  )
  .join('\n')}
`;

const jobs = (c, ns) => `apiVersion: batch/v1
kind: CronJob
metadata:
  name: catalog-reindex
  namespace: ${ns}
spec:
  schedule: "${(c.index * 7) % 60} 3 * * *"
  timeZone: Etc/UTC
  concurrencyPolicy: Forbid
  startingDeadlineSeconds: 600
  successfulJobsHistoryLimit: 3
  failedJobsHistoryLimit: 5
  jobTemplate:
    spec:
      backoffLimit: 2
      activeDeadlineSeconds: 7200
      ttlSecondsAfterFinished: 86400
      template:
        metadata:
          labels:
            app.kubernetes.io/name: catalog-reindex
        spec:
          restartPolicy: Never
          serviceAccountName: catalog
          securityContext:
            runAsNonRoot: true
            runAsUser: 10001
            seccompProfile: { type: RuntimeDefault }
          containers:
            - name: reindex
              image: ${c.registry}/shop/catalog:${c.versions.app}.1
              command: [java, -jar, /app/catalog.jar, reindex, --full]
              resources:
                requests: { cpu: "1", memory: 2Gi }
                limits: { memory: 3Gi }
              securityContext:
                allowPrivilegeEscalation: false
                readOnlyRootFilesystem: true
                capabilities: { drop: [ALL] }
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: cart-expiry
  namespace: ${ns}
spec:
  schedule: "*/15 * * * *"
  concurrencyPolicy: Replace
  startingDeadlineSeconds: 120
  jobTemplate:
    spec:
      backoffLimit: 1
      ttlSecondsAfterFinished: 3600
      template:
        spec:
          restartPolicy: OnFailure
          securityContext:
            runAsNonRoot: true
            runAsUser: 10001
            seccompProfile: { type: RuntimeDefault }
          containers:
            - name: expire
              image: ${c.registry}/shop/cart:${c.versions.app}.2
              args: [expire, --older-than=72h, --batch=500]
              resources:
                requests: { cpu: 50m, memory: 64Mi }
                limits: { memory: 128Mi }
              securityContext:
                allowPrivilegeEscalation: false
                readOnlyRootFilesystem: true
                capabilities: { drop: [ALL] }
---
apiVersion: batch/v1
kind: Job
metadata:
  name: accounts-migrate-${c.versions.app.replace(/\./g, '-')}
  namespace: ${ns}
spec:
  backoffLimit: 0
  completions: 1
  parallelism: 1
  ttlSecondsAfterFinished: 600
  template:
    spec:
      restartPolicy: Never
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile: { type: RuntimeDefault }
      containers:
        - name: migrate
          image: ${c.registry}/shop/accounts:${c.versions.app}.7
          command: [node, dist/migrate.js, up]
          env:
            - name: DATABASE_URL
              valueFrom:
                secretKeyRef: { name: accounts-db, key: url }
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { memory: 256Mi }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
`;

const logShipper = (c) => `apiVersion: v1
kind: Namespace
metadata:
  name: logging
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: log-shipper
  namespace: logging
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: log-shipper
rules:
  - apiGroups: [""]
    resources: [namespaces, pods, nodes, nodes/proxy]
    verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: log-shipper
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: log-shipper
subjects:
  - kind: ServiceAccount
    name: log-shipper
    namespace: logging
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: log-shipper
  namespace: logging
data:
  shipper.conf: |
    [SERVICE]
        Daemon       Off
        Flush        1
        Log_Level    info
        Parsers_File /etc/shipper/parsers.conf
        HTTP_Server  On
        HTTP_Listen  0.0.0.0
        HTTP_Port    2020
        Health_Check On

    [INPUT]
        Name              tail
        Path              /var/log/containers/*.log
        multiline.parser  docker, cri
        Tag               kube.*
        Mem_Buf_Limit     50MB
        Skip_Long_Lines   On

    [INPUT]
        Name            systemd
        Tag             host.*
        Systemd_Filter  _SYSTEMD_UNIT=kubelet.service
        Read_From_Tail  On

    [FILTER]
        Name                kubernetes
        Match               kube.*
        Merge_Log           On
        Keep_Log            Off
        K8S-Logging.Parser  On
        K8S-Logging.Exclude On

    [FILTER]
        Name    modify
        Match   *
        Add     cluster ${c.name}
        Add     region ${c.region}

    [OUTPUT]
        Name            forward
        Match           *
        Host            log-aggregator.logging.svc
        Port            24224
        Retry_Limit     False
  parsers.conf: |
    [PARSER]
        Name        json
        Format      json
        Time_Key    time
        Time_Format %Y-%m-%dT%H:%M:%S.%L%z

    [PARSER]
        Name        logfmt
        Format      logfmt
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-shipper
  namespace: logging
  labels:
    app.kubernetes.io/name: log-shipper
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: log-shipper
  template:
    metadata:
      labels:
        app.kubernetes.io/name: log-shipper
      annotations:
        checksum/config: ${c.checksum('log-shipper')}
    spec:
      serviceAccountName: log-shipper
      priorityClassName: system-node-critical
      tolerations:
        - operator: Exists
          effect: NoSchedule
        - operator: Exists
          effect: NoExecute
      containers:
        - name: shipper
          image: ${c.registry}/logging/shipper:3.1.${c.index}
          args: [--config=/etc/shipper/shipper.conf]
          ports:
            - { name: http, containerPort: 2020 }
          livenessProbe:
            httpGet: { path: /, port: http }
          readinessProbe:
            httpGet: { path: /api/v1/health, port: http }
          resources:
            requests: { cpu: 50m, memory: 64Mi }
            limits: { cpu: 500m, memory: 256Mi }
          securityContext:
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL], add: [DAC_READ_SEARCH] }
          volumeMounts:
            - { name: config, mountPath: /etc/shipper }
            - { name: varlog, mountPath: /var/log, readOnly: true }
            - { name: journal, mountPath: /run/log/journal, readOnly: true }
            - { name: state, mountPath: /var/lib/shipper }
      volumes:
        - name: config
          configMap: { name: log-shipper }
        - name: varlog
          hostPath: { path: /var/log }
        - name: journal
          hostPath: { path: /run/log/journal }
        - name: state
          hostPath: { path: /var/lib/shipper, type: DirectoryOrCreate }
`;

/** @param {import('./index.mjs').Cluster} c */
export default (c) => {
  const out = [logShipper(c)];
  for (const ns of c.teams) {
    out.push(namespace(c, ns));
    SERVICES.forEach((s, i) => out.push(service(c, ns, s, i)));
    out.push(routes(c, ns), jobs(c, ns));
  }
  return out.join('---\n');
};
