// A certificate manager stack: its CustomResourceDefinitions (with structural schemas), controller,
// CA injector and webhook Deployments, RBAC and admission webhooks. Written for the benchmark corpus.

const crd = (kind, plural, short, specProps, required) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.certs.example.com
  labels:
    app.kubernetes.io/name: certs
    app.kubernetes.io/component: crds
spec:
  group: certs.example.com
  names:
    kind: ${kind}
    listKind: ${kind}List
    plural: ${plural}
    singular: ${kind.toLowerCase()}
    shortNames: [${short}]
    categories: [certs]
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      subresources:
        status: {}
      additionalPrinterColumns:
        - jsonPath: .status.conditions[?(@.type == "Ready")].status
          name: Ready
          type: string
        - jsonPath: .metadata.creationTimestamp
          name: Age
          type: date
      schema:
        openAPIV3Schema:
          description: ${kind} is a resource of the certificate manager.
          type: object
          required: [spec]
          properties:
            apiVersion:
              type: string
            kind:
              type: string
            metadata:
              type: object
            spec:
              type: object
              required: [${required.join(', ')}]
              properties:
${specProps}
            status:
              type: object
              properties:
                conditions:
                  type: array
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: [type]
                  items:
                    type: object
                    required: [status, type]
                    properties:
                      lastTransitionTime:
                        type: string
                        format: date-time
                      message:
                        type: string
                      observedGeneration:
                        type: integer
                        format: int64
                      reason:
                        type: string
                      status:
                        type: string
                        enum: ["True", "False", Unknown]
                      type:
                        type: string
                notAfter:
                  type: string
                  format: date-time
                notBefore:
                  type: string
                  format: date-time
                renewalTime:
                  type: string
                  format: date-time
                revision:
                  type: integer`;

const certificateSpec = `                secretName:
                  description: Name of the Secret resource that will be populated with the signed certificate.
                  type: string
                commonName:
                  type: string
                  maxLength: 64
                dnsNames:
                  type: array
                  items:
                    type: string
                ipAddresses:
                  type: array
                  items:
                    type: string
                uris:
                  type: array
                  items:
                    type: string
                duration:
                  type: string
                renewBefore:
                  type: string
                revisionHistoryLimit:
                  type: integer
                  format: int32
                  minimum: 1
                isCA:
                  type: boolean
                usages:
                  type: array
                  items:
                    type: string
                    enum: [signing, digital signature, content commitment, key encipherment, key agreement, data encipherment, cert sign, crl sign, server auth, client auth, code signing, email protection, timestamping, ocsp signing]
                privateKey:
                  type: object
                  properties:
                    algorithm:
                      type: string
                      enum: [RSA, ECDSA, Ed25519]
                    encoding:
                      type: string
                      enum: [PKCS1, PKCS8]
                    rotationPolicy:
                      type: string
                      enum: [Never, Always]
                    size:
                      type: integer
                issuerRef:
                  type: object
                  required: [name]
                  properties:
                    group:
                      type: string
                    kind:
                      type: string
                    name:
                      type: string
                subject:
                  type: object
                  properties:
                    countries:
                      type: array
                      items: { type: string }
                    organizationalUnits:
                      type: array
                      items: { type: string }
                    organizations:
                      type: array
                      items: { type: string }
                    serialNumber:
                      type: string
                secretTemplate:
                  type: object
                  properties:
                    annotations:
                      type: object
                      additionalProperties: { type: string }
                    labels:
                      type: object
                      additionalProperties: { type: string }`;

const issuerSpec = `                acme:
                  type: object
                  required: [privateKeySecretRef, server]
                  properties:
                    email:
                      type: string
                    server:
                      type: string
                    skipTLSVerify:
                      type: boolean
                    privateKeySecretRef:
                      type: object
                      required: [name]
                      properties:
                        key: { type: string }
                        name: { type: string }
                    solvers:
                      type: array
                      items:
                        type: object
                        properties:
                          selector:
                            type: object
                            properties:
                              dnsNames:
                                type: array
                                items: { type: string }
                              dnsZones:
                                type: array
                                items: { type: string }
                              matchLabels:
                                type: object
                                additionalProperties: { type: string }
                          http01:
                            type: object
                            properties:
                              ingress:
                                type: object
                                properties:
                                  ingressClassName: { type: string }
                                  podTemplate:
                                    type: object
                                    x-kubernetes-preserve-unknown-fields: true
                          dns01:
                            type: object
                            x-kubernetes-preserve-unknown-fields: true
                ca:
                  type: object
                  required: [secretName]
                  properties:
                    secretName: { type: string }
                    crlDistributionPoints:
                      type: array
                      items: { type: string }
                selfSigned:
                  type: object
                  properties:
                    crlDistributionPoints:
                      type: array
                      items: { type: string }`;

const deployment = (c, name, component, args, port, probe) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: certs-system
  labels:
    app.kubernetes.io/name: ${name}
    app.kubernetes.io/instance: certs
    app.kubernetes.io/component: ${component}
    app.kubernetes.io/version: v${c.versions.certs}
spec:
  replicas: ${component === 'cainjector' ? 1 : c.replicas.certs}
  selector:
    matchLabels:
      app.kubernetes.io/name: ${name}
      app.kubernetes.io/instance: certs
      app.kubernetes.io/component: ${component}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${name}
        app.kubernetes.io/instance: certs
        app.kubernetes.io/component: ${component}
      annotations:
        prometheus.io/path: /metrics
        prometheus.io/scrape: "true"
        prometheus.io/port: "9402"
    spec:
      serviceAccountName: ${name}
      enableServiceLinks: false
      priorityClassName: platform-critical
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: ${component}
          image: ${c.registry}/certs/${component}:v${c.versions.certs}
          imagePullPolicy: IfNotPresent
          args:
${args.map((a) => `            - ${a}`).join('\n')}
          ports:
            - containerPort: ${port}
              name: ${component === 'webhook' ? 'https' : 'http-metrics'}
              protocol: TCP
${
  probe
    ? `          livenessProbe:
            httpGet:
              path: /livez
              port: 6080
              scheme: HTTP
            initialDelaySeconds: 60
            periodSeconds: 10
            timeoutSeconds: 1
            successThreshold: 1
            failureThreshold: 3
          readinessProbe:
            httpGet:
              path: /healthz
              port: 6080
              scheme: HTTP
            initialDelaySeconds: 5
            periodSeconds: 5
            timeoutSeconds: 1
            successThreshold: 1
            failureThreshold: 3
`
    : ''
}          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          env:
            - name: POD_NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
          resources:
            requests:
              cpu: ${c.cpu(25)}
              memory: ${c.mem(64)}
            limits:
              cpu: ${c.cpu(500)}
              memory: ${c.mem(256)}
      nodeSelector:
        kubernetes.io/os: linux`;

const sa = (name) => `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${name}
  namespace: certs-system
automountServiceAccountToken: true`;

const clusterRole = (name, rules) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ${name}
  labels:
    app.kubernetes.io/instance: certs
rules:
${rules}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ${name}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: ${name}
subjects:
  - name: ${name.startsWith('certs-cainjector') ? 'certs-cainjector' : name.startsWith('certs-webhook') ? 'certs-webhook' : 'certs-controller'}
    namespace: certs-system
    kind: ServiceAccount`;

/** @param {import('./index.mjs').Cluster} c */
export default (c) =>
  [
    `apiVersion: v1
kind: Namespace
metadata:
  name: certs-system
  labels:
    platform.example.com/cluster: ${c.name}`,
    crd('Certificate', 'certificates', 'cert, certs', certificateSpec, ['issuerRef', 'secretName']),
    crd('Issuer', 'issuers', 'iss', issuerSpec, []),
    crd('ClusterIssuer', 'clusterissuers', 'ciss', issuerSpec, []).replace(
      'scope: Namespaced',
      'scope: Cluster',
    ),
    sa('certs-controller'),
    sa('certs-cainjector'),
    sa('certs-webhook'),
    `apiVersion: v1
kind: ConfigMap
metadata:
  name: certs-webhook
  namespace: certs-system
data:
  config.yaml: |
    apiVersion: webhook.config.certs.example.com/v1alpha1
    kind: WebhookConfiguration
    securePort: 10250
    healthzPort: 6080
    logging:
      format: json
      verbosity: 2`,
    clusterRole(
      'certs-controller-issuers',
      `  - apiGroups: [certs.example.com]
    resources: [issuers, issuers/status]
    verbs: [update, patch]
  - apiGroups: [certs.example.com]
    resources: [issuers]
    verbs: [get, list, watch]
  - apiGroups: [""]
    resources: [secrets]
    verbs: [get, list, watch, create, update, delete]
  - apiGroups: [""]
    resources: [events]
    verbs: [create, patch]`,
    ),
    clusterRole(
      'certs-controller-certificates',
      `  - apiGroups: [certs.example.com]
    resources: [certificates, certificates/status, certificaterequests, certificaterequests/status]
    verbs: [update, patch]
  - apiGroups: [certs.example.com]
    resources: [certificates, certificaterequests, clusterissuers, issuers]
    verbs: [get, list, watch]
  - apiGroups: [certs.example.com]
    resources: [certificates/finalizers, certificaterequests/finalizers]
    verbs: [update]
  - apiGroups: [""]
    resources: [secrets]
    verbs: [get, list, watch, create, update, delete, patch]
  - apiGroups: [""]
    resources: [events]
    verbs: [create, patch]`,
    ),
    clusterRole(
      'certs-controller-ingress-shim',
      `  - apiGroups: [certs.example.com]
    resources: [certificates, certificaterequests]
    verbs: [create, update, delete]
  - apiGroups: [certs.example.com]
    resources: [certificates, certificaterequests, issuers, clusterissuers]
    verbs: [get, list, watch]
  - apiGroups: [networking.k8s.io]
    resources: [ingresses]
    verbs: [get, list, watch]
  - apiGroups: [networking.k8s.io]
    resources: [ingresses/finalizers]
    verbs: [update]
  - apiGroups: [""]
    resources: [events]
    verbs: [create, patch]`,
    ),
    clusterRole(
      'certs-cainjector',
      `  - apiGroups: [certs.example.com]
    resources: [certificates]
    verbs: [get, list, watch]
  - apiGroups: [""]
    resources: [secrets]
    verbs: [get, list, watch]
  - apiGroups: [""]
    resources: [events]
    verbs: [get, create, update, patch]
  - apiGroups: [admissionregistration.k8s.io]
    resources: [validatingwebhookconfigurations, mutatingwebhookconfigurations]
    verbs: [get, list, watch, update, patch]
  - apiGroups: [apiregistration.k8s.io]
    resources: [apiservices]
    verbs: [get, list, watch, update, patch]
  - apiGroups: [apiextensions.k8s.io]
    resources: [customresourcedefinitions]
    verbs: [get, list, watch, update, patch]`,
    ),
    clusterRole(
      'certs-webhook-subjectaccessreviews',
      `  - apiGroups: [authorization.k8s.io]
    resources: [subjectaccessreviews]
    verbs: [create]`,
    ),
    deployment(
      c,
      'certs-controller',
      'controller',
      [
        '--v=2',
        '--cluster-resource-namespace=$(POD_NAMESPACE)',
        '--leader-election-namespace=kube-system',
        '--acme-http01-solver-image=' + c.registry + '/certs/acmesolver:v' + c.versions.certs,
        '--max-concurrent-challenges=60',
        '--enable-certificate-owner-ref=true',
      ],
      9402,
      true,
    ),
    deployment(
      c,
      'certs-cainjector',
      'cainjector',
      ['--v=2', '--leader-election-namespace=kube-system'],
      9402,
      false,
    ),
    deployment(
      c,
      'certs-webhook',
      'webhook',
      [
        '--v=2',
        '--secure-port=10250',
        '--config=/var/run/config/config.yaml',
        '--dynamic-serving-ca-secret-namespace=$(POD_NAMESPACE)',
        '--dynamic-serving-ca-secret-name=certs-webhook-ca',
        '--dynamic-serving-dns-names=certs-webhook,certs-webhook.$(POD_NAMESPACE),certs-webhook.$(POD_NAMESPACE).svc',
      ],
      10250,
      true,
    ),
    `apiVersion: v1
kind: Service
metadata:
  name: certs-webhook
  namespace: certs-system
spec:
  type: ClusterIP
  ports:
    - name: https
      port: 443
      protocol: TCP
      targetPort: https
  selector:
    app.kubernetes.io/name: certs-webhook
    app.kubernetes.io/instance: certs
    app.kubernetes.io/component: webhook`,
    `apiVersion: v1
kind: Service
metadata:
  name: certs-controller
  namespace: certs-system
spec:
  type: ClusterIP
  ports:
    - name: tcp-prometheus-servicemonitor
      protocol: TCP
      port: 9402
      targetPort: 9402
  selector:
    app.kubernetes.io/name: certs-controller
    app.kubernetes.io/instance: certs
    app.kubernetes.io/component: controller`,
    `apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: certs-webhook
  annotations:
    certs.example.com/inject-ca-from-secret: certs-system/certs-webhook-ca
webhooks:
  - name: webhook.certs.example.com
    rules:
      - apiGroups: [certs.example.com]
        apiVersions: [v1]
        operations: [CREATE]
        resources: [certificaterequests]
    admissionReviewVersions: [v1]
    matchPolicy: Equivalent
    timeoutSeconds: 30
    failurePolicy: Fail
    sideEffects: None
    clientConfig:
      service:
        name: certs-webhook
        namespace: certs-system
        path: /mutate`,
    `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: certs-webhook
  annotations:
    certs.example.com/inject-ca-from-secret: certs-system/certs-webhook-ca
webhooks:
  - name: webhook.certs.example.com
    namespaceSelector:
      matchExpressions:
        - key: certs.example.com/disable-validation
          operator: NotIn
          values: ["true"]
    rules:
      - apiGroups: [certs.example.com, acme.certs.example.com]
        apiVersions: ["*"]
        operations: [CREATE, UPDATE]
        resources: ["*/*"]
    admissionReviewVersions: [v1]
    matchPolicy: Equivalent
    timeoutSeconds: 30
    failurePolicy: Fail
    sideEffects: None
    clientConfig:
      service:
        name: certs-webhook
        namespace: certs-system
        path: /validate`,
  ]
    .map((d) => d + '\n')
    .join('---\n');
