// An ingress controller stack as a platform team renders it per cluster: namespace, RBAC, config,
// controller Deployment with admission webhook, its certificate Jobs, Services, IngressClass,
// autoscaling and disruption budget. Written for the benchmark corpus (not taken from any chart).

/** @param {import('./index.mjs').Cluster} c */
export default (c) => `# Source: edge-router/templates/namespace.yaml
apiVersion: v1
kind: Namespace
metadata:
  name: edge-system
  labels:
    app.kubernetes.io/part-of: edge-router
    pod-security.kubernetes.io/enforce: baseline
    pod-security.kubernetes.io/warn: restricted
    platform.example.com/cluster: ${c.name}
---
# Source: edge-router/templates/controller-serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: edge-router
  namespace: edge-system
  labels: &labels
    app.kubernetes.io/name: edge-router
    app.kubernetes.io/instance: edge
    app.kubernetes.io/version: "${c.versions.edge}"
    app.kubernetes.io/component: controller
    app.kubernetes.io/part-of: edge-router
    app.kubernetes.io/managed-by: platform-renderer
automountServiceAccountToken: true
---
# Source: edge-router/templates/admission-serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: edge-router-admission
  namespace: edge-system
  labels:
    app.kubernetes.io/name: edge-router
    app.kubernetes.io/instance: edge
    app.kubernetes.io/component: admission-webhook
  annotations:
    platform.example.com/hook: pre-install,pre-upgrade,post-install,post-upgrade
    platform.example.com/hook-delete-policy: before-hook-creation,hook-succeeded
---
# Source: edge-router/templates/controller-configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: edge-router-controller
  namespace: edge-system
  labels:
    app.kubernetes.io/name: edge-router
    app.kubernetes.io/instance: edge
    app.kubernetes.io/component: controller
data:
  allow-snippet-annotations: "false"
  annotations-risk-level: Critical
  client-body-buffer-size: 64k
  client-header-buffer-size: 4k
  compute-full-forwarded-for: "true"
  enable-brotli: "true"
  enable-ocsp: "false"
  enable-real-ip: "true"
  forwarded-for-header: X-Forwarded-For
  generate-request-id: "true"
  hsts: "true"
  hsts-include-subdomains: "true"
  hsts-max-age: "31536000"
  hsts-preload: "false"
  http2-max-concurrent-streams: "128"
  keep-alive: "75"
  keep-alive-requests: "1000"
  large-client-header-buffers: 4 16k
  log-format-escape-json: "true"
  log-format-upstream: '{"time":"$time_iso8601","remote_addr":"$remote_addr","request_id":"$req_id","status":$status,"method":"$request_method","host":"$host","uri":"$uri","request_time":$request_time,"upstream":"$upstream_addr","upstream_status":"$upstream_status","bytes_sent":$bytes_sent,"user_agent":"$http_user_agent"}'
  max-worker-connections: "16384"
  proxy-body-size: 16m
  proxy-buffer-size: 16k
  proxy-connect-timeout: "5"
  proxy-read-timeout: "60"
  proxy-send-timeout: "60"
  proxy-real-ip-cidr: ${c.podCidr},${c.serviceCidr}
  server-tokens: "false"
  ssl-ciphers: ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305
  ssl-protocols: TLSv1.2 TLSv1.3
  ssl-session-cache-size: 10m
  ssl-session-timeout: 10m
  upstream-keepalive-connections: "320"
  upstream-keepalive-requests: "10000"
  upstream-keepalive-timeout: "60"
  use-forwarded-headers: "${c.behindLoadBalancer}"
  use-gzip: "true"
  gzip-level: "5"
  gzip-types: application/json application/javascript text/css text/plain application/xml image/svg+xml
  worker-processes: auto
  worker-shutdown-timeout: 240s
---
# Source: edge-router/templates/controller-configmap-tcp.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: edge-router-tcp
  namespace: edge-system
  labels:
    app.kubernetes.io/name: edge-router
    app.kubernetes.io/component: controller
data:
  "5432": data/postgres-primary:5432
  "6379": data/cache-redis-master:6379
  "9092": streaming/kafka-bootstrap:9092
---
# Source: edge-router/templates/clusterrole.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: edge-router
  labels:
    app.kubernetes.io/name: edge-router
    app.kubernetes.io/instance: edge
rules:
  - apiGroups: [""]
    resources: [configmaps, endpoints, nodes, pods, secrets, namespaces]
    verbs: [list, watch]
  - apiGroups: [coordination.k8s.io]
    resources: [leases]
    verbs: [list, watch]
  - apiGroups: [""]
    resources: [nodes]
    verbs: [get]
  - apiGroups: [""]
    resources: [services]
    verbs: [get, list, watch]
  - apiGroups: [networking.k8s.io]
    resources: [ingresses]
    verbs: [get, list, watch]
  - apiGroups: [""]
    resources: [events]
    verbs: [create, patch]
  - apiGroups: [networking.k8s.io]
    resources: [ingresses/status]
    verbs: [update]
  - apiGroups: [networking.k8s.io]
    resources: [ingressclasses]
    verbs: [get, list, watch]
  - apiGroups: [discovery.k8s.io]
    resources: [endpointslices]
    verbs: [list, watch, get]
---
# Source: edge-router/templates/clusterrolebinding.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: edge-router
  labels:
    app.kubernetes.io/name: edge-router
    app.kubernetes.io/instance: edge
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edge-router
subjects:
  - kind: ServiceAccount
    name: edge-router
    namespace: edge-system
---
# Source: edge-router/templates/controller-role.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: edge-router
  namespace: edge-system
  labels:
    app.kubernetes.io/name: edge-router
    app.kubernetes.io/component: controller
rules:
  - apiGroups: [""]
    resources: [namespaces]
    verbs: [get]
  - apiGroups: [""]
    resources: [configmaps, pods, secrets, endpoints]
    verbs: [get, list, watch]
  - apiGroups: [""]
    resources: [services]
    verbs: [get, list, watch]
  - apiGroups: [networking.k8s.io]
    resources: [ingresses, ingressclasses]
    verbs: [get, list, watch]
  - apiGroups: [networking.k8s.io]
    resources: [ingresses/status]
    verbs: [update]
  - apiGroups: [coordination.k8s.io]
    resources: [leases]
    resourceNames: [edge-router-leader]
    verbs: [get, update]
  - apiGroups: [coordination.k8s.io]
    resources: [leases]
    verbs: [create]
  - apiGroups: [""]
    resources: [events]
    verbs: [create, patch]
  - apiGroups: [discovery.k8s.io]
    resources: [endpointslices]
    verbs: [list, watch, get]
---
# Source: edge-router/templates/controller-rolebinding.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: edge-router
  namespace: edge-system
  labels:
    app.kubernetes.io/name: edge-router
    app.kubernetes.io/component: controller
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: edge-router
subjects:
  - kind: ServiceAccount
    name: edge-router
    namespace: edge-system
---
# Source: edge-router/templates/admission-role.yaml
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: edge-router-admission
  namespace: edge-system
rules:
  - apiGroups: [""]
    resources: [secrets]
    verbs: [get, create]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: edge-router-admission
  namespace: edge-system
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: edge-router-admission
subjects:
  - kind: ServiceAccount
    name: edge-router-admission
    namespace: edge-system
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: edge-router-admission
rules:
  - apiGroups: [admissionregistration.k8s.io]
    resources: [validatingwebhookconfigurations]
    verbs: [get, update]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: edge-router-admission
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: edge-router-admission
subjects:
  - kind: ServiceAccount
    name: edge-router-admission
    namespace: edge-system
---
# Source: edge-router/templates/controller-service.yaml
apiVersion: v1
kind: Service
metadata:
  name: edge-router-controller
  namespace: edge-system
  labels:
    app.kubernetes.io/name: edge-router
    app.kubernetes.io/component: controller
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-type: nlb
    service.beta.kubernetes.io/aws-load-balancer-cross-zone-load-balancing-enabled: "true"
    service.beta.kubernetes.io/aws-load-balancer-backend-protocol: tcp
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  ipFamilyPolicy: SingleStack
  ipFamilies: [IPv4]
  loadBalancerSourceRanges:
${c.allowedSources.map((s) => `    - ${s}`).join('\n')}
  ports:
    - name: http
      port: 80
      protocol: TCP
      targetPort: http
      appProtocol: http
    - name: https
      port: 443
      protocol: TCP
      targetPort: https
      appProtocol: https
  selector:
    app.kubernetes.io/name: edge-router
    app.kubernetes.io/instance: edge
    app.kubernetes.io/component: controller
---
# Source: edge-router/templates/controller-service-metrics.yaml
apiVersion: v1
kind: Service
metadata:
  name: edge-router-controller-metrics
  namespace: edge-system
  labels:
    app.kubernetes.io/name: edge-router
    app.kubernetes.io/component: controller
spec:
  type: ClusterIP
  ports:
    - name: metrics
      port: 10254
      protocol: TCP
      targetPort: metrics
  selector:
    app.kubernetes.io/name: edge-router
    app.kubernetes.io/instance: edge
    app.kubernetes.io/component: controller
---
# Source: edge-router/templates/controller-service-webhook.yaml
apiVersion: v1
kind: Service
metadata:
  name: edge-router-controller-admission
  namespace: edge-system
spec:
  type: ClusterIP
  ports:
    - name: https-webhook
      port: 443
      targetPort: webhook
      appProtocol: https
  selector:
    app.kubernetes.io/name: edge-router
    app.kubernetes.io/instance: edge
    app.kubernetes.io/component: controller
---
# Source: edge-router/templates/controller-deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: edge-router-controller
  namespace: edge-system
  labels:
    app.kubernetes.io/name: edge-router
    app.kubernetes.io/instance: edge
    app.kubernetes.io/version: "${c.versions.edge}"
    app.kubernetes.io/component: controller
spec:
  replicas: ${c.replicas.edge}
  revisionHistoryLimit: 10
  minReadySeconds: 10
  selector:
    matchLabels:
      app.kubernetes.io/name: edge-router
      app.kubernetes.io/instance: edge
      app.kubernetes.io/component: controller
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 1
      maxSurge: 25%
  template:
    metadata:
      labels:
        app.kubernetes.io/name: edge-router
        app.kubernetes.io/instance: edge
        app.kubernetes.io/component: controller
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "10254"
        checksum/config: ${c.checksum('edge-config')}
    spec:
      dnsPolicy: ClusterFirst
      serviceAccountName: edge-router
      terminationGracePeriodSeconds: 300
      priorityClassName: platform-critical
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              app.kubernetes.io/name: edge-router
              app.kubernetes.io/component: controller
      affinity:
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchExpressions:
                    - key: app.kubernetes.io/component
                      operator: In
                      values: [controller]
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions:
                  - key: node.example.com/pool
                    operator: In
                    values: [edge, system]
      tolerations:
        - key: node.example.com/dedicated
          operator: Equal
          value: edge
          effect: NoSchedule
      containers:
        - name: controller
          image: ${c.registry}/edge/controller:v${c.versions.edge}@sha256:${c.digest('edge-controller')}
          imagePullPolicy: IfNotPresent
          lifecycle:
            preStop:
              exec:
                command: [/wait-shutdown]
          args:
            - /edge-router-controller
            - --publish-service=$(POD_NAMESPACE)/edge-router-controller
            - --election-id=edge-router-leader
            - --controller-class=example.com/edge-router
            - --ingress-class=edge
            - --configmap=$(POD_NAMESPACE)/edge-router-controller
            - --tcp-services-configmap=$(POD_NAMESPACE)/edge-router-tcp
            - --validating-webhook=:8443
            - --validating-webhook-certificate=/usr/local/certificates/cert
            - --validating-webhook-key=/usr/local/certificates/key
            - --enable-metrics=true
            - --watch-ingress-without-class=false
            - --default-ssl-certificate=edge-system/wildcard-${c.name}
          securityContext:
            runAsUser: 101
            runAsGroup: 82
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: false
            capabilities:
              drop: [ALL]
              add: [NET_BIND_SERVICE]
          env:
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            - name: LD_PRELOAD
              value: /usr/local/lib/libmimalloc.so
            - name: GOMAXPROCS
              valueFrom:
                resourceFieldRef:
                  resource: limits.cpu
                  divisor: "1"
          livenessProbe:
            failureThreshold: 5
            httpGet:
              path: /healthz
              port: 10254
              scheme: HTTP
            initialDelaySeconds: 10
            periodSeconds: 10
            successThreshold: 1
            timeoutSeconds: 1
          readinessProbe:
            failureThreshold: 3
            httpGet:
              path: /healthz
              port: 10254
              scheme: HTTP
            initialDelaySeconds: 10
            periodSeconds: 10
            successThreshold: 1
            timeoutSeconds: 1
          ports:
            - name: http
              containerPort: 80
              protocol: TCP
            - name: https
              containerPort: 443
              protocol: TCP
            - name: metrics
              containerPort: 10254
              protocol: TCP
            - name: webhook
              containerPort: 8443
              protocol: TCP
          volumeMounts:
            - name: webhook-cert
              mountPath: /usr/local/certificates/
              readOnly: true
          resources:
            requests:
              cpu: ${c.cpu(200)}
              memory: ${c.mem(256)}
            limits:
              cpu: ${c.cpu(2000)}
              memory: ${c.mem(1024)}
      nodeSelector:
        kubernetes.io/os: linux
      volumes:
        - name: webhook-cert
          secret:
            secretName: edge-router-admission
            defaultMode: 0440
---
# Source: edge-router/templates/controller-hpa.yaml
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: edge-router-controller
  namespace: edge-system
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: edge-router-controller
  minReplicas: ${c.replicas.edge}
  maxReplicas: ${c.replicas.edge * 4}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: 80
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 600
      policies:
        - type: Pods
          value: 1
          periodSeconds: 180
    scaleUp:
      stabilizationWindowSeconds: 0
      selectPolicy: Max
      policies:
        - type: Percent
          value: 100
          periodSeconds: 60
        - type: Pods
          value: 4
          periodSeconds: 60
---
# Source: edge-router/templates/controller-poddisruptionbudget.yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: edge-router-controller
  namespace: edge-system
spec:
  minAvailable: 1
  unhealthyPodEvictionPolicy: AlwaysAllow
  selector:
    matchLabels:
      app.kubernetes.io/name: edge-router
      app.kubernetes.io/component: controller
---
# Source: edge-router/templates/controller-ingressclass.yaml
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: edge
  labels:
    app.kubernetes.io/name: edge-router
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: example.com/edge-router
---
# Source: edge-router/templates/controller-networkpolicy.yaml
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: edge-router-controller
  namespace: edge-system
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: edge-router
      app.kubernetes.io/component: controller
  policyTypes: [Ingress, Egress]
  ingress:
    - ports:
        - port: 80
          protocol: TCP
        - port: 443
          protocol: TCP
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: monitoring
      ports:
        - port: metrics
    - from:
        - ipBlock:
            cidr: ${c.controlPlaneCidr}
      ports:
        - port: 8443
          protocol: TCP
  egress:
    - {}
---
# Source: edge-router/templates/admission-webhooks/validating-webhook.yaml
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: edge-router-admission
  labels:
    app.kubernetes.io/name: edge-router
    app.kubernetes.io/component: admission-webhook
webhooks:
  - name: validate.edge-router.example.com
    matchPolicy: Equivalent
    rules:
      - apiGroups: [networking.k8s.io]
        apiVersions: [v1]
        operations: [CREATE, UPDATE]
        resources: [ingresses]
    failurePolicy: Fail
    sideEffects: None
    admissionReviewVersions: [v1]
    timeoutSeconds: 10
    namespaceSelector:
      matchExpressions:
        - key: platform.example.com/ingress-validation
          operator: NotIn
          values: [disabled]
    clientConfig:
      service:
        namespace: edge-system
        name: edge-router-controller-admission
        path: /networking/v1/ingresses
        port: 443
---
# Source: edge-router/templates/admission-webhooks/job-createSecret.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: edge-router-admission-create
  namespace: edge-system
  annotations:
    platform.example.com/hook: pre-install,pre-upgrade
spec:
  backoffLimit: 6
  ttlSecondsAfterFinished: 3600
  template:
    metadata:
      name: edge-router-admission-create
      labels:
        app.kubernetes.io/name: edge-router
        app.kubernetes.io/component: admission-webhook
    spec:
      restartPolicy: OnFailure
      serviceAccountName: edge-router-admission
      securityContext:
        runAsNonRoot: true
        runAsUser: 65532
        fsGroup: 65532
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: create
          image: ${c.registry}/edge/certgen:v1.4.${c.index}
          imagePullPolicy: IfNotPresent
          args:
            - create
            - --host=edge-router-controller-admission,edge-router-controller-admission.$(POD_NAMESPACE).svc
            - --namespace=$(POD_NAMESPACE)
            - --secret-name=edge-router-admission
          env:
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          resources:
            requests: { cpu: 10m, memory: 20Mi }
            limits: { cpu: 100m, memory: 64Mi }
---
apiVersion: batch/v1
kind: Job
metadata:
  name: edge-router-admission-patch
  namespace: edge-system
  annotations:
    platform.example.com/hook: post-install,post-upgrade
spec:
  backoffLimit: 6
  ttlSecondsAfterFinished: 3600
  template:
    metadata:
      name: edge-router-admission-patch
      labels:
        app.kubernetes.io/name: edge-router
        app.kubernetes.io/component: admission-webhook
    spec:
      restartPolicy: OnFailure
      serviceAccountName: edge-router-admission
      securityContext:
        runAsNonRoot: true
        runAsUser: 65532
        fsGroup: 65532
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: patch
          image: ${c.registry}/edge/certgen:v1.4.${c.index}
          imagePullPolicy: IfNotPresent
          args:
            - patch
            - --webhook-name=edge-router-admission
            - --namespace=$(POD_NAMESPACE)
            - --patch-mutating=false
            - --secret-name=edge-router-admission
            - --patch-failure-policy=Fail
          env:
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          resources:
            requests: { cpu: 10m, memory: 20Mi }
            limits: { cpu: 100m, memory: 64Mi }
`;
