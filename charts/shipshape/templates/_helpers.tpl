{{/* Prefix of every object name: nameOverride, else the release name. */}}
{{- define "shipshape.prefix" -}}
{{- default .Release.Name .Values.nameOverride | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{- define "shipshape.webhookName" -}}
{{- include "shipshape.prefix" . }}-webhook
{{- end -}}

{{/* The labels of webhook/ (also the selector) … */}}
{{- define "shipshape.selectorLabels" -}}
app.kubernetes.io/name: shipshape
app.kubernetes.io/component: webhook
{{- end -}}

{{/* … plus Helm's bookkeeping labels on every object. */}}
{{- define "shipshape.labels" -}}
{{ include "shipshape.selectorLabels" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
{{- end -}}

{{- define "shipshape.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end -}}
{{- end -}}

{{/* The Secret holding tls.crt and tls.key. */}}
{{- define "shipshape.tlsSecret" -}}
{{- if and (eq .Values.certificates.mode "provided") .Values.certificates.provided.existingSecret -}}
{{ .Values.certificates.provided.existingSecret }}
{{- else -}}
{{ include "shipshape.webhookName" . }}-tls
{{- end -}}
{{- end -}}

{{- define "shipshape.checkMode" -}}
{{- $mode := .Values.certificates.mode -}}
{{- if not (has $mode (list "cert-manager" "provided")) -}}
{{- fail (printf "certificates.mode must be cert-manager or provided, not %q" $mode) -}}
{{- end -}}
{{- if eq $mode "provided" -}}
{{- if not .Values.certificates.provided.caBundle -}}
{{- fail "certificates.mode=provided needs certificates.provided.caBundle (the base64 CA that `shipshape certs` prints)" -}}
{{- end -}}
{{- if and (not .Values.certificates.provided.existingSecret) (not (and .Values.certificates.provided.tlsCrt .Values.certificates.provided.tlsKey)) -}}
{{- fail "certificates.mode=provided needs certificates.provided.existingSecret, or both tlsCrt and tlsKey" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The annotations of both webhook configurations (cert-manager's CA injection). */}}
{{- define "shipshape.webhookAnnotations" -}}
{{- if eq .Values.certificates.mode "cert-manager" -}}
annotations:
  # cert-manager writes the CA of the Certificate into every webhook's clientConfig.caBundle.
  cert-manager.io/inject-ca-from: {{ .Release.Namespace }}/{{ include "shipshape.webhookName" . }}
{{- end -}}
{{- end -}}

{{/* clientConfig for path (dict "root" . "path" "/validate"): by URL, or through the Service. */}}
{{- define "shipshape.clientConfig" -}}
{{- $v := .root.Values -}}
clientConfig:
{{- if $v.webhooks.url }}
  url: {{ printf "%s%s" (trimSuffix "/" $v.webhooks.url) .path | quote }}
{{- else }}
  service:
    name: {{ include "shipshape.webhookName" .root }}
    namespace: {{ .root.Release.Namespace }}
    path: {{ .path }}
    port: 443
{{- end }}
{{- if eq $v.certificates.mode "provided" }}
  caBundle: {{ $v.certificates.provided.caBundle | quote }}
{{- end }}
{{- end -}}

{{/* Namespaces never sent to the webhook: the configured ones and the release's own. */}}
{{- define "shipshape.namespaceSelector" -}}
namespaceSelector:
  matchExpressions:
    - key: kubernetes.io/metadata.name
      operator: NotIn
      values: {{ concat .Values.webhooks.excludeNamespaces (list .Release.Namespace) | uniq | toJson }}
    {{- with .Values.webhooks.namespaceSelectorExpressions }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}
