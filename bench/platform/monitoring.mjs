// A monitoring stack: a Prometheus StatefulSet with its scrape configuration and alert rules in
// ConfigMaps, an Alertmanager StatefulSet, a node exporter DaemonSet, a cluster-state exporter and a
// dashboard server with provisioned dashboards. Written for the benchmark corpus.

const rule = (name, expr, forD, severity, summary) => `      - alert: ${name}
        expr: ${expr}
        for: ${forD}
        labels:
          severity: ${severity}
        annotations:
          summary: ${summary}
          runbook_url: https://runbooks.example.com/monitoring/${name.toLowerCase()}`;

const panel = (id, title, expr, x, y) => `        {
          "id": ${id},
          "type": "timeseries",
          "title": "${title}",
          "gridPos": { "h": 8, "w": 12, "x": ${x}, "y": ${y} },
          "datasource": { "type": "prometheus", "uid": "prom" },
          "targets": [{ "expr": "${expr}", "legendFormat": "{{pod}}", "refId": "A" }],
          "fieldConfig": { "defaults": { "unit": "short", "min": 0 }, "overrides": [] },
          "options": { "legend": { "displayMode": "table", "placement": "right" }, "tooltip": { "mode": "multi" } }
        }`;

/** @param {import('./index.mjs').Cluster} c */
export default (c) => `apiVersion: v1
kind: Namespace
metadata:
  name: monitoring
  labels:
    app.kubernetes.io/part-of: monitoring
    platform.example.com/cluster: ${c.name}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: prometheus
  namespace: monitoring
  labels:
    app.kubernetes.io/name: prometheus
    app.kubernetes.io/part-of: monitoring
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring-prometheus
rules:
  - apiGroups: [""]
    resources: [nodes, nodes/metrics, services, endpoints, pods]
    verbs: [get, list, watch]
  - apiGroups: [""]
    resources: [configmaps]
    verbs: [get]
  - apiGroups: [discovery.k8s.io]
    resources: [endpointslices]
    verbs: [get, list, watch]
  - apiGroups: [networking.k8s.io]
    resources: [ingresses]
    verbs: [get, list, watch]
  - nonResourceURLs: [/metrics, /metrics/cadvisor]
    verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: monitoring-prometheus
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: monitoring-prometheus
subjects:
  - kind: ServiceAccount
    name: prometheus
    namespace: monitoring
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: prometheus-config
  namespace: monitoring
  labels:
    app.kubernetes.io/name: prometheus
data:
  prometheus.yml: |
    global:
      scrape_interval: 30s
      scrape_timeout: 10s
      evaluation_interval: 30s
      external_labels:
        cluster: ${c.name}
        region: ${c.region}
    rule_files:
      - /etc/prometheus/rules/*.yaml
    alerting:
      alertmanagers:
        - kubernetes_sd_configs:
            - role: endpoints
              namespaces:
                names: [monitoring]
          relabel_configs:
            - source_labels: [__meta_kubernetes_service_name]
              regex: alertmanager
              action: keep
            - source_labels: [__meta_kubernetes_endpoint_port_name]
              regex: web
              action: keep
    scrape_configs:
      - job_name: kubernetes-apiservers
        kubernetes_sd_configs:
          - role: endpoints
        scheme: https
        tls_config:
          ca_file: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
        authorization:
          credentials_file: /var/run/secrets/kubernetes.io/serviceaccount/token
        relabel_configs:
          - source_labels: [__meta_kubernetes_namespace, __meta_kubernetes_service_name, __meta_kubernetes_endpoint_port_name]
            action: keep
            regex: default;kubernetes;https
      - job_name: kubernetes-nodes
        scheme: https
        tls_config:
          ca_file: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
          insecure_skip_verify: true
        authorization:
          credentials_file: /var/run/secrets/kubernetes.io/serviceaccount/token
        kubernetes_sd_configs:
          - role: node
        relabel_configs:
          - action: labelmap
            regex: __meta_kubernetes_node_label_(.+)
      - job_name: kubernetes-cadvisor
        scheme: https
        metrics_path: /metrics/cadvisor
        tls_config:
          ca_file: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
          insecure_skip_verify: true
        authorization:
          credentials_file: /var/run/secrets/kubernetes.io/serviceaccount/token
        kubernetes_sd_configs:
          - role: node
        metric_relabel_configs:
          - source_labels: [__name__]
            regex: container_(network_tcp_usage_total|tasks_state|memory_failures_total|cpu_load_average_10s)
            action: drop
      - job_name: kubernetes-service-endpoints
        kubernetes_sd_configs:
          - role: endpoints
        relabel_configs:
          - source_labels: [__meta_kubernetes_service_annotation_prometheus_io_scrape]
            action: keep
            regex: "true"
          - source_labels: [__meta_kubernetes_service_annotation_prometheus_io_scheme]
            action: replace
            target_label: __scheme__
            regex: (https?)
          - source_labels: [__meta_kubernetes_service_annotation_prometheus_io_path]
            action: replace
            target_label: __metrics_path__
            regex: (.+)
          - source_labels: [__address__, __meta_kubernetes_service_annotation_prometheus_io_port]
            action: replace
            target_label: __address__
            regex: ([^:]+)(?::\\d+)?;(\\d+)
            replacement: $1:$2
          - action: labelmap
            regex: __meta_kubernetes_service_label_(.+)
          - source_labels: [__meta_kubernetes_namespace]
            target_label: namespace
          - source_labels: [__meta_kubernetes_service_name]
            target_label: service
      - job_name: kubernetes-pods
        kubernetes_sd_configs:
          - role: pod
        relabel_configs:
          - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
            action: keep
            regex: "true"
          - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path]
            action: replace
            target_label: __metrics_path__
            regex: (.+)
          - source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port]
            action: replace
            regex: ([^:]+)(?::\\d+)?;(\\d+)
            replacement: $1:$2
            target_label: __address__
          - source_labels: [__meta_kubernetes_namespace]
            target_label: namespace
          - source_labels: [__meta_kubernetes_pod_name]
            target_label: pod
          - source_labels: [__meta_kubernetes_pod_phase]
            regex: Pending|Succeeded|Failed|Completed
            action: drop
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: prometheus-rules
  namespace: monitoring
  labels:
    app.kubernetes.io/name: prometheus
    app.kubernetes.io/component: rules
data:
  workloads.yaml: |
    groups:
    - name: workloads
      rules:
${rule('PodCrashLooping', 'max_over_time(kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}[5m]) >= 1', '15m', 'warning', 'Pod {{ $labels.namespace }}/{{ $labels.pod }} is crash looping.')}
${rule('PodNotReady', 'sum by (namespace, pod) (kube_pod_status_phase{phase=~"Pending|Unknown|Failed"}) > 0', '15m', 'warning', 'Pod {{ $labels.namespace }}/{{ $labels.pod }} has been not ready for 15 minutes.')}
${rule('DeploymentReplicasMismatch', 'kube_deployment_spec_replicas != kube_deployment_status_replicas_available', '15m', 'warning', 'Deployment {{ $labels.deployment }} has not matched its expected replicas.')}
${rule('StatefulSetReplicasMismatch', 'kube_statefulset_status_replicas_ready != kube_statefulset_status_replicas', '15m', 'warning', 'StatefulSet {{ $labels.statefulset }} has not matched its expected replicas.')}
${rule('DaemonSetRolloutStuck', 'kube_daemonset_status_number_misscheduled > 0', '15m', 'warning', 'DaemonSet {{ $labels.daemonset }} has misscheduled pods.')}
${rule('JobFailed', 'kube_job_failed > 0', '15m', 'warning', 'Job {{ $labels.namespace }}/{{ $labels.job_name }} failed.')}
${rule('HpaMaxedOut', 'kube_horizontalpodautoscaler_status_current_replicas == kube_horizontalpodautoscaler_spec_max_replicas', '15m', 'warning', 'HPA {{ $labels.horizontalpodautoscaler }} has run at max replicas for 15 minutes.')}
${rule('ContainerOOMKilled', 'increase(kube_pod_container_status_restarts_total[10m]) > 0 and kube_pod_container_status_last_terminated_reason{reason="OOMKilled"} == 1', '0m', 'warning', 'Container {{ $labels.container }} was OOM killed.')}
  nodes.yaml: |
    groups:
    - name: nodes
      rules:
${rule('NodeFilesystemAlmostFull', '(node_filesystem_avail_bytes{fstype!=""} / node_filesystem_size_bytes{fstype!=""} * 100) < 10', '30m', 'warning', 'Filesystem on {{ $labels.instance }} has less than 10% space left.')}
${rule('NodeFilesystemFull', '(node_filesystem_avail_bytes{fstype!=""} / node_filesystem_size_bytes{fstype!=""} * 100) < 3', '5m', 'critical', 'Filesystem on {{ $labels.instance }} has less than 3% space left.')}
${rule('NodeMemoryPressure', 'kube_node_status_condition{condition="MemoryPressure",status="true"} == 1', '5m', 'warning', 'Node {{ $labels.node }} is under memory pressure.')}
${rule('NodeNotReady', 'kube_node_status_condition{condition="Ready",status="true"} == 0', '15m', 'critical', 'Node {{ $labels.node }} is not ready.')}
${rule('NodeHighLoad', 'node_load15 / count without (cpu, mode) (node_cpu_seconds_total{mode="idle"}) > 2', '30m', 'info', 'Node {{ $labels.instance }} has a high load average.')}
${rule('NodeClockSkew', 'abs(node_timex_offset_seconds) > 0.05', '10m', 'warning', 'Clock on {{ $labels.instance }} is out of sync.')}
  platform.yaml: |
    groups:
    - name: platform
      rules:
${rule('EdgeRouterHighErrorRate', 'sum(rate(edge_requests_total{status=~"5.."}[5m])) / sum(rate(edge_requests_total[5m])) > 0.05', '10m', 'critical', 'More than 5% of edge requests fail.')}
${rule('CertificateExpiringSoon', 'certs_certificate_expiration_timestamp_seconds - time() < 7 * 86400', '1h', 'warning', 'Certificate {{ $labels.name }} expires in less than a week.')}
${rule('PrometheusTargetDown', 'up == 0', '15m', 'warning', 'Target {{ $labels.job }}/{{ $labels.instance }} is down.')}
${rule('AlertmanagerFailedNotifications', 'rate(alertmanager_notifications_failed_total[5m]) > 0', '10m', 'warning', 'Alertmanager fails to send notifications to {{ $labels.integration }}.')}
---
apiVersion: v1
kind: Service
metadata:
  name: prometheus
  namespace: monitoring
  labels:
    app.kubernetes.io/name: prometheus
spec:
  clusterIP: None
  ports:
    - name: web
      port: 9090
      targetPort: web
  selector:
    app.kubernetes.io/name: prometheus
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: prometheus
  namespace: monitoring
  labels:
    app.kubernetes.io/name: prometheus
    app.kubernetes.io/version: "${c.versions.prometheus}"
spec:
  serviceName: prometheus
  replicas: ${c.replicas.prometheus}
  podManagementPolicy: Parallel
  updateStrategy:
    type: RollingUpdate
  selector:
    matchLabels:
      app.kubernetes.io/name: prometheus
  template:
    metadata:
      labels:
        app.kubernetes.io/name: prometheus
        app.kubernetes.io/part-of: monitoring
      annotations:
        checksum/config: ${c.checksum('prometheus-config')}
        checksum/rules: ${c.checksum('prometheus-rules')}
    spec:
      serviceAccountName: prometheus
      priorityClassName: platform-critical
      terminationGracePeriodSeconds: 600
      securityContext:
        runAsNonRoot: true
        runAsUser: 65534
        runAsGroup: 65534
        fsGroup: 65534
        fsGroupChangePolicy: OnRootMismatch
        seccompProfile:
          type: RuntimeDefault
      affinity:
        podAntiAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            - topologyKey: kubernetes.io/hostname
              labelSelector:
                matchLabels:
                  app.kubernetes.io/name: prometheus
      initContainers:
        - name: init-chown
          image: ${c.registry}/base/busybox:1.36.${c.index}
          command: [sh, -c, "mkdir -p /prometheus/wal && ls -la /prometheus"]
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
          volumeMounts:
            - name: data
              mountPath: /prometheus
          resources:
            requests: { cpu: 10m, memory: 16Mi }
            limits: { cpu: 50m, memory: 32Mi }
      containers:
        - name: prometheus
          image: ${c.registry}/monitoring/prometheus:v${c.versions.prometheus}
          args:
            - --config.file=/etc/prometheus/prometheus.yml
            - --storage.tsdb.path=/prometheus
            - --storage.tsdb.retention.time=${c.retention}
            - --storage.tsdb.retention.size=${c.retentionSize}
            - --web.enable-lifecycle
            - --web.route-prefix=/
            - --web.external-url=https://prometheus.${c.domain}
          ports:
            - name: web
              containerPort: 9090
          readinessProbe:
            httpGet: { path: /-/ready, port: web }
            initialDelaySeconds: 15
            timeoutSeconds: 4
            failureThreshold: 3
          livenessProbe:
            httpGet: { path: /-/healthy, port: web }
            initialDelaySeconds: 30
            timeoutSeconds: 10
            failureThreshold: 6
          startupProbe:
            httpGet: { path: /-/ready, port: web }
            periodSeconds: 15
            failureThreshold: 60
          resources:
            requests:
              cpu: ${c.cpu(500)}
              memory: ${c.mem(2048)}
            limits:
              cpu: ${c.cpu(4000)}
              memory: ${c.mem(8192)}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
          volumeMounts:
            - name: config
              mountPath: /etc/prometheus
            - name: rules
              mountPath: /etc/prometheus/rules
            - name: data
              mountPath: /prometheus
        - name: config-reloader
          image: ${c.registry}/monitoring/config-reloader:v0.${70 + c.index}.0
          args:
            - --watched-dir=/etc/prometheus
            - --watched-dir=/etc/prometheus/rules
            - --reload-url=http://127.0.0.1:9090/-/reload
          resources:
            requests: { cpu: 5m, memory: 16Mi }
            limits: { cpu: 50m, memory: 32Mi }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
          volumeMounts:
            - name: config
              mountPath: /etc/prometheus
            - name: rules
              mountPath: /etc/prometheus/rules
      volumes:
        - name: config
          configMap:
            name: prometheus-config
        - name: rules
          configMap:
            name: prometheus-rules
  volumeClaimTemplates:
    - metadata:
        name: data
      spec:
        accessModes: [ReadWriteOnce]
        storageClassName: ${c.storageClass}
        resources:
          requests:
            storage: ${c.prometheusStorage}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: prometheus
  namespace: monitoring
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: prometheus
---
apiVersion: v1
kind: Secret
metadata:
  name: alertmanager-config
  namespace: monitoring
  labels:
    app.kubernetes.io/name: alertmanager
type: Opaque
stringData:
  alertmanager.yml: |
    global:
      resolve_timeout: 5m
    route:
      receiver: default
      group_by: [alertname, namespace]
      group_wait: 30s
      group_interval: 5m
      repeat_interval: 4h
      routes:
        - matchers: [severity="critical"]
          receiver: pager
          continue: true
        - matchers: [severity="info"]
          receiver: "null"
    receivers:
      - name: "null"
      - name: default
        webhook_configs:
          - url: http://chat-relay.monitoring.svc:8080/alerts/${c.name}
      - name: pager
        webhook_configs:
          - url: http://pager-relay.monitoring.svc:8080/page/${c.name}
            send_resolved: true
    inhibit_rules:
      - source_matchers: [severity="critical"]
        target_matchers: [severity=~"warning|info"]
        equal: [namespace, alertname]
---
apiVersion: v1
kind: Service
metadata:
  name: alertmanager
  namespace: monitoring
spec:
  ports:
    - name: web
      port: 9093
      targetPort: web
    - name: cluster
      port: 9094
      targetPort: 9094
  selector:
    app.kubernetes.io/name: alertmanager
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: alertmanager
  namespace: monitoring
  labels:
    app.kubernetes.io/name: alertmanager
spec:
  serviceName: alertmanager
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: alertmanager
  template:
    metadata:
      labels:
        app.kubernetes.io/name: alertmanager
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 65534
        fsGroup: 65534
        seccompProfile: { type: RuntimeDefault }
      containers:
        - name: alertmanager
          image: ${c.registry}/monitoring/alertmanager:v0.27.${c.index}
          args:
            - --config.file=/etc/alertmanager/alertmanager.yml
            - --storage.path=/alertmanager
            - --cluster.listen-address=0.0.0.0:9094
            - --cluster.peer=alertmanager-0.alertmanager:9094
            - --cluster.peer=alertmanager-1.alertmanager:9094
            - --cluster.peer=alertmanager-2.alertmanager:9094
          env:
            - name: POD_IP
              valueFrom:
                fieldRef: { fieldPath: status.podIP, apiVersion: v1 }
          ports:
            - { name: web, containerPort: 9093 }
            - { name: cluster-tcp, containerPort: 9094, protocol: TCP }
            - { name: cluster-udp, containerPort: 9094, protocol: UDP }
          readinessProbe:
            httpGet: { path: /-/ready, port: web }
          livenessProbe:
            httpGet: { path: /-/healthy, port: web }
          resources:
            requests: { cpu: 20m, memory: 64Mi }
            limits: { cpu: 200m, memory: 256Mi }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
          volumeMounts:
            - { name: config, mountPath: /etc/alertmanager }
            - { name: storage, mountPath: /alertmanager }
      volumes:
        - name: config
          secret:
            secretName: alertmanager-config
  volumeClaimTemplates:
    - metadata:
        name: storage
      spec:
        accessModes: [ReadWriteOnce]
        resources:
          requests:
            storage: 2Gi
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
  labels:
    app.kubernetes.io/name: node-exporter
spec:
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 10%
  selector:
    matchLabels:
      app.kubernetes.io/name: node-exporter
  template:
    metadata:
      labels:
        app.kubernetes.io/name: node-exporter
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "9100"
    spec:
      hostNetwork: true
      hostPID: true
      automountServiceAccountToken: false
      priorityClassName: system-node-critical
      securityContext:
        runAsNonRoot: true
        runAsUser: 65534
        runAsGroup: 65534
      tolerations:
        - operator: Exists
      containers:
        - name: node-exporter
          image: ${c.registry}/monitoring/node-exporter:v1.8.${c.index}
          args:
            - --path.procfs=/host/proc
            - --path.sysfs=/host/sys
            - --path.rootfs=/host/root
            - --web.listen-address=[$(HOST_IP)]:9100
            - --collector.filesystem.mount-points-exclude=^/(dev|proc|sys|var/lib/docker/.+|var/lib/kubelet/.+)($|/)
            - --collector.netclass.ignored-devices=^(veth.*|cali.*|[a-f0-9]{15})$
          env:
            - name: HOST_IP
              value: 0.0.0.0
          ports:
            - name: metrics
              containerPort: 9100
              hostPort: 9100
              protocol: TCP
          readinessProbe:
            httpGet: { path: /, port: 9100 }
          livenessProbe:
            httpGet: { path: /, port: 9100 }
          resources:
            requests: { cpu: 50m, memory: 32Mi }
            limits: { cpu: 250m, memory: 128Mi }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
          volumeMounts:
            - { name: proc, mountPath: /host/proc, readOnly: true }
            - { name: sys, mountPath: /host/sys, readOnly: true }
            - { name: root, mountPath: /host/root, readOnly: true, mountPropagation: HostToContainer }
      volumes:
        - { name: proc, hostPath: { path: /proc } }
        - { name: sys, hostPath: { path: /sys } }
        - { name: root, hostPath: { path: / } }
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: state-metrics
  namespace: monitoring
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring-state-metrics
rules:
  - apiGroups: [""]
    resources: [configmaps, secrets, nodes, pods, services, serviceaccounts, resourcequotas, replicationcontrollers, limitranges, persistentvolumeclaims, persistentvolumes, namespaces, endpoints]
    verbs: [list, watch]
  - apiGroups: [apps]
    resources: [statefulsets, daemonsets, deployments, replicasets]
    verbs: [list, watch]
  - apiGroups: [batch]
    resources: [cronjobs, jobs]
    verbs: [list, watch]
  - apiGroups: [autoscaling]
    resources: [horizontalpodautoscalers]
    verbs: [list, watch]
  - apiGroups: [policy]
    resources: [poddisruptionbudgets]
    verbs: [list, watch]
  - apiGroups: [certificates.k8s.io]
    resources: [certificatesigningrequests]
    verbs: [list, watch]
  - apiGroups: [discovery.k8s.io]
    resources: [endpointslices]
    verbs: [list, watch]
  - apiGroups: [storage.k8s.io]
    resources: [storageclasses, volumeattachments]
    verbs: [list, watch]
  - apiGroups: [admissionregistration.k8s.io]
    resources: [mutatingwebhookconfigurations, validatingwebhookconfigurations]
    verbs: [list, watch]
  - apiGroups: [networking.k8s.io]
    resources: [networkpolicies, ingressclasses, ingresses]
    verbs: [list, watch]
  - apiGroups: [coordination.k8s.io]
    resources: [leases]
    verbs: [list, watch]
  - apiGroups: [rbac.authorization.k8s.io]
    resources: [clusterrolebindings, clusterroles, rolebindings, roles]
    verbs: [list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: monitoring-state-metrics
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: monitoring-state-metrics
subjects:
  - kind: ServiceAccount
    name: state-metrics
    namespace: monitoring
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: state-metrics
  namespace: monitoring
  labels:
    app.kubernetes.io/name: state-metrics
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: state-metrics
  template:
    metadata:
      labels:
        app.kubernetes.io/name: state-metrics
    spec:
      serviceAccountName: state-metrics
      securityContext:
        runAsNonRoot: true
        runAsUser: 65534
        seccompProfile: { type: RuntimeDefault }
      containers:
        - name: state-metrics
          image: ${c.registry}/monitoring/state-metrics:v2.13.${c.index}
          args:
            - --port=8080
            - --telemetry-port=8081
            - --metric-labels-allowlist=pods=[app.kubernetes.io/name,app.kubernetes.io/component],deployments=[app.kubernetes.io/name]
          ports:
            - { name: http-metrics, containerPort: 8080 }
            - { name: telemetry, containerPort: 8081 }
          livenessProbe:
            httpGet: { path: /livez, port: http-metrics }
            initialDelaySeconds: 5
            timeoutSeconds: 5
          readinessProbe:
            httpGet: { path: /readyz, port: telemetry }
            initialDelaySeconds: 5
            timeoutSeconds: 5
          resources:
            requests: { cpu: 50m, memory: 128Mi }
            limits: { cpu: 500m, memory: 512Mi }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
---
apiVersion: v1
kind: Service
metadata:
  name: state-metrics
  namespace: monitoring
  annotations:
    prometheus.io/scrape: "true"
    prometheus.io/port: "8080"
spec:
  ports:
    - { name: http-metrics, port: 8080, targetPort: http-metrics }
    - { name: telemetry, port: 8081, targetPort: telemetry }
  selector:
    app.kubernetes.io/name: state-metrics
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: dashboards-workloads
  namespace: monitoring
  labels:
    dashboards.example.com/provision: "true"
data:
  workloads.json: |
    {
      "title": "Workloads (${c.name})",
      "uid": "workloads-${c.name}",
      "schemaVersion": 39,
      "refresh": "30s",
      "time": { "from": "now-6h", "to": "now" },
      "templating": { "list": [
        { "name": "namespace", "type": "query", "query": "label_values(kube_pod_info, namespace)", "multi": true, "includeAll": true }
      ] },
      "panels": [
${[
  ['CPU usage', 'sum by (pod) (rate(container_cpu_usage_seconds_total{namespace=~\\"$namespace\\"}[5m]))'],
  ['Memory working set', 'sum by (pod) (container_memory_working_set_bytes{namespace=~\\"$namespace\\"})'],
  [
    'Restarts',
    'sum by (pod) (increase(kube_pod_container_status_restarts_total{namespace=~\\"$namespace\\"}[1h]))',
  ],
  [
    'Network received',
    'sum by (pod) (rate(container_network_receive_bytes_total{namespace=~\\"$namespace\\"}[5m]))',
  ],
  [
    'Network sent',
    'sum by (pod) (rate(container_network_transmit_bytes_total{namespace=~\\"$namespace\\"}[5m]))',
  ],
  [
    'CPU throttling',
    'sum by (pod) (rate(container_cpu_cfs_throttled_periods_total{namespace=~\\"$namespace\\"}[5m]))',
  ],
  [
    'Requests vs usage',
    'sum by (pod) (kube_pod_container_resource_requests{resource=\\"cpu\\",namespace=~\\"$namespace\\"})',
  ],
  [
    'Ready pods',
    'sum by (namespace) (kube_pod_status_ready{condition=\\"true\\",namespace=~\\"$namespace\\"})',
  ],
]
  .map(([t, e], i) => panel(i + 1, t, e, (i % 2) * 12, Math.floor(i / 2) * 8))
  .join(',\n')}
      ]
    }
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: dashboards
  namespace: monitoring
  labels:
    app.kubernetes.io/name: dashboards
spec:
  replicas: ${Math.max(1, c.replicas.edge - 1)}
  selector:
    matchLabels:
      app.kubernetes.io/name: dashboards
  template:
    metadata:
      labels:
        app.kubernetes.io/name: dashboards
    spec:
      securityContext:
        runAsNonRoot: true
        runAsUser: 472
        fsGroup: 472
        seccompProfile: { type: RuntimeDefault }
      containers:
        - name: dashboards
          image: ${c.registry}/monitoring/dashboards:11.${c.index}.0
          env:
            - { name: GF_SERVER_ROOT_URL, value: "https://dashboards.${c.domain}" }
            - { name: GF_AUTH_ANONYMOUS_ENABLED, value: "false" }
            - { name: GF_ANALYTICS_REPORTING_ENABLED, value: "false" }
            - name: GF_SECURITY_ADMIN_PASSWORD
              valueFrom:
                secretKeyRef: { name: dashboards-admin, key: password }
          ports:
            - { name: http, containerPort: 3000 }
          readinessProbe:
            httpGet: { path: /api/health, port: http }
          livenessProbe:
            httpGet: { path: /api/health, port: http }
            initialDelaySeconds: 60
            timeoutSeconds: 30
            failureThreshold: 10
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: "1", memory: 512Mi }
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: { drop: [ALL] }
          volumeMounts:
            - { name: dashboards, mountPath: /var/lib/dashboards/provisioned }
            - { name: tmp, mountPath: /tmp }
      volumes:
        - name: dashboards
          configMap: { name: dashboards-workloads }
        - name: tmp
          emptyDir: { sizeLimit: 256Mi }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: monitoring
  namespace: monitoring
  annotations:
    edge.example.com/auth-url: https://sso.${c.domain}/oauth2/auth
spec:
  ingressClassName: edge
  tls:
    - hosts: [prometheus.${c.domain}, dashboards.${c.domain}]
      secretName: monitoring-tls
  rules:
    - host: prometheus.${c.domain}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: { name: prometheus, port: { name: web } }
    - host: dashboards.${c.domain}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service: { name: dashboards, port: { number: 3000 } }
`;
