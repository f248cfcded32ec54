{{/*
Return the chart name, or nameOverride.
*/}}
{{- define "sidecar.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Return the full resource name: fullnameOverride, or <release>-<chart> (just the release when it
already contains the chart name), truncated to the 63 characters a DNS label allows.
*/}}
{{- define "sidecar.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Return the chart label value: <name>-<version>.
*/}}
{{- define "sidecar.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Return the standard labels (https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/).
*/}}
{{- define "sidecar.labels" -}}
helm.sh/chart: {{ include "sidecar.chart" . }}
{{ include "sidecar.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sidecar
{{- end }}

{{/*
Return the selector labels: name and instance only, because a Deployment's selector is immutable.
*/}}
{{- define "sidecar.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sidecar.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Return the ServiceAccount name.
*/}}
{{- define "sidecar.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "sidecar.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
Return an image reference: [registry/]repository, then @digest when one is set (it wins over the
tag), else :tag, which defaults to the chart's appVersion. global.imageRegistry, when set,
replaces every image's registry.
Usage: include "sidecar.image" (dict "image" .Values.api.image "context" $)
*/}}
{{- define "sidecar.image" -}}
{{- $registry := default .image.registry ((.context.Values.global).imageRegistry) }}
{{- $repository := ternary .image.repository (printf "%s/%s" $registry .image.repository) (empty $registry) }}
{{- if .image.digest }}
{{- printf "%s@%s" $repository .image.digest }}
{{- else }}
{{- printf "%s:%s" $repository (default .context.Chart.AppVersion .image.tag) }}
{{- end }}
{{- end }}

{{/*
Return the name of the Secret that holds the API tokens.
*/}}
{{- define "sidecar.tokensSecretName" -}}
{{- default (include "sidecar.fullname" .) .Values.auth.existingSecret }}
{{- end }}

{{/*
Return the key of the tokens inside that Secret.
*/}}
{{- define "sidecar.tokensSecretKey" -}}
{{- if .Values.auth.existingSecret }}{{ .Values.auth.existingSecretKey }}{{ else }}tokens{{ end }}
{{- end }}

{{/*
Return the path where the tokens file is mounted in the API container (API_TOKENS_FILE).
*/}}
{{- define "sidecar.tokensFile" -}}
/var/run/secrets/sidecar/tokens
{{- end }}

{{/*
Return the probes of a container: startup and liveness on the liveness path, readiness on the
readiness path, all on the named port. Usage:
include "sidecar.probes" (dict "values" .Values.api "port" "api" "liveness" "/healthz" "readiness" "/readyz")
*/}}
{{- define "sidecar.probes" -}}
startupProbe:
  httpGet:
    path: {{ .liveness }}
    port: {{ .port }}
  {{- toYaml .values.startupProbe | nindent 2 }}
livenessProbe:
  httpGet:
    path: {{ .liveness }}
    port: {{ .port }}
  {{- toYaml .values.livenessProbe | nindent 2 }}
readinessProbe:
  httpGet:
    path: {{ .readiness }}
    port: {{ .port }}
  {{- toYaml .values.readinessProbe | nindent 2 }}
{{- end }}

{{/*
Return the default topology spread: by node, then by zone, both best-effort.
*/}}
{{- define "sidecar.topologySpreadConstraints" -}}
{{- if .Values.topologySpreadConstraints }}
{{- toYaml .Values.topologySpreadConstraints }}
{{- else }}
{{- range list "kubernetes.io/hostname" "topology.kubernetes.io/zone" }}
- topologyKey: {{ . }}
  maxSkew: 1
  whenUnsatisfiable: ScheduleAnyway
  labelSelector:
    matchLabels:
      {{- include "sidecar.selectorLabels" $ | nindent 6 }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Return nothing, or fail with every problem in the values at once. The schema checks types and
ranges of single values; this checks the rules that tie several values together.
*/}}
{{- define "sidecar.validateValues" -}}
{{- $problems := list }}
{{- if and (not .Values.auth.existingSecret) (empty .Values.auth.tokens) }}
{{- $problems = append $problems "auth: set auth.tokens (a list of bearer tokens) or auth.existingSecret (a Secret holding them)" }}
{{- end }}
{{- if and .Values.auth.existingSecret (not (empty .Values.auth.tokens)) }}
{{- $problems = append $problems "auth: set either auth.tokens or auth.existingSecret, not both" }}
{{- end }}
{{- if eq (int .Values.api.port) (int .Values.nginx.port) }}
{{- $problems = append $problems (printf "ports: api.port and nginx.port are both %v; the two containers share the Pod's network" .Values.api.port) }}
{{- end }}
{{- if lt (int .Values.api.shutdownDelayMs) (mul (int .Values.nginx.preStopSleepSeconds) 1000 | int) }}
{{- $problems = append $problems (printf "shutdown: api.shutdownDelayMs (%v) must be at least nginx.preStopSleepSeconds (%v) x 1000, or NGINX proxies to an API that has stopped accepting" .Values.api.shutdownDelayMs .Values.nginx.preStopSleepSeconds) }}
{{- end }}
{{- $needed := add (int .Values.nginx.preStopSleepSeconds) (div (add (int .Values.api.shutdownDelayMs) (int .Values.api.shutdownTimeoutMs) 999) 1000) }}
{{- if le (int .Values.terminationGracePeriodSeconds) (int $needed) }}
{{- $problems = append $problems (printf "shutdown: terminationGracePeriodSeconds (%v) must exceed nginx.preStopSleepSeconds + (api.shutdownDelayMs + api.shutdownTimeoutMs) / 1000 = %v, or the kubelet kills the Pod mid-drain" .Values.terminationGracePeriodSeconds $needed) }}
{{- end }}
{{- if and .Values.autoscaling.enabled (gt (int .Values.autoscaling.minReplicas) (int .Values.autoscaling.maxReplicas)) }}
{{- $problems = append $problems (printf "autoscaling: minReplicas (%v) exceeds maxReplicas (%v)" .Values.autoscaling.minReplicas .Values.autoscaling.maxReplicas) }}
{{- end }}
{{- if and .Values.ingress.enabled (empty .Values.ingress.hosts) }}
{{- $problems = append $problems "ingress: ingress.enabled needs at least one entry in ingress.hosts" }}
{{- end }}
{{- if and .Values.service.nodePort (eq .Values.service.type "ClusterIP") }}
{{- $problems = append $problems "service: service.nodePort needs service.type NodePort or LoadBalancer" }}
{{- end }}
{{- if $problems }}
{{- fail (printf "\n\nThe values of %s are not valid:\n  - %s\n" .Release.Name (join "\n  - " $problems)) }}
{{- end }}
{{- end }}

{{/*
The metrics endpoints of a PodMonitor or ServiceMonitor: the API's port, and the NGINX exporter's
when it runs. Usage: include "sidecar.metricsEndpoints" (dict "values" .Values "interval" "30s")
*/}}
{{- define "sidecar.metricsEndpoints" -}}
- port: api
  path: /metrics
  interval: {{ .interval }}
{{- if .values.metrics.nginxExporter.enabled }}
- port: metrics-nginx
  path: /metrics
  interval: {{ .interval }}
{{- end }}
{{- end }}
