{{/* Release-scoped name prefix of every object. */}}
{{- define "tiergate.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "tiergate.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: tiergate
{{- end -}}

{{/* Selector of one component; call with (dict "root" $ "component" "router"). */}}
{{- define "tiergate.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/*
The services, in one place: values key, object name suffix, and whether the pod loads models (start-up probe,
models volume, GPU pool). Returned as YAML; read with fromYaml.
*/}}
{{- define "tiergate.components" -}}
router: { component: router, models: false, redis: true }
usageTracker: { component: usage-tracker, models: false, redis: true }
classification: { component: classification, models: true, redis: false }
transcription: { component: transcription, models: true, redis: false }
diarization: { component: diarization, models: true, redis: false }
{{- end -}}

{{/* Whether a component runs: the router and the tracker always do. Call with (dict "root" $ "key" "router"). */}}
{{- define "tiergate.enabled" -}}
{{- $values := index .root.Values .key -}}
{{- if or (eq .key "router") (eq .key "usageTracker") $values.enabled -}}true{{- end -}}
{{- end -}}

{{- define "tiergate.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "tiergate.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* An image reference; call with (dict "root" $ "image" $values.image "tag" $tag). */}}
{{- define "tiergate.image" -}}
{{- $tag := .tag | default .image.tag | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- if .root.Values.image.registry -}}
{{- printf "%s/%s:%s" .root.Values.image.registry .image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* The in-cluster base URL of a component's Service. */}}
{{- define "tiergate.url" -}}
{{- $values := index .root.Values .key -}}
{{- printf "http://%s-%s:%v" (include "tiergate.fullname" .root) .component $values.port -}}
{{- end -}}

{{- define "tiergate.redisHost" -}}
{{- printf "%s-redis" (include "tiergate.fullname" .) -}}
{{- end -}}

{{/*
Every account's key as an environment variable, by variable name: { NAME: { name: <Secret>, key: <key> } }. Several
accounts may name one variable (Groq's chat and Whisper accounts share an organisation's key); the first that says
where the key is wins. Returned as YAML; read with fromYaml.
*/}}
{{- define "tiergate.apiKeyRefs" -}}
{{- $refs := dict -}}
{{- $chartSecret := printf "%s-api-keys" (include "tiergate.fullname" .) -}}
{{- range $provider, $p := .Values.providers -}}
{{- range $account, $a := ($p.accounts | default dict) -}}
{{- $env := index $a "api-key-env" | default "" -}}
{{- if and $env (not (hasKey $refs $env)) -}}
{{- if and $a.existingSecret $a.existingSecret.name -}}
{{- $_ := set $refs $env (dict "name" $a.existingSecret.name "key" $a.existingSecret.key) -}}
{{- else if $a.apiKey -}}
{{- $_ := set $refs $env (dict "name" $chartSecret "key" $env) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toYaml $refs -}}
{{- end -}}

{{/* The keys the chart puts in its own Secret, by variable name. */}}
{{- define "tiergate.chartApiKeys" -}}
{{- $keys := dict -}}
{{- range $provider, $p := .Values.providers -}}
{{- range $account, $a := ($p.accounts | default dict) -}}
{{- $env := index $a "api-key-env" | default "" -}}
{{- if and $env $a.apiKey (not (and $a.existingSecret $a.existingSecret.name)) (not (hasKey $keys $env)) -}}
{{- $_ := set $keys $env $a.apiKey -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- toYaml $keys -}}
{{- end -}}

{{/*
The shared Tiergate YAML: `config` as the body of `tiergate`, the providers from values without the chart's own keys
(existingSecret, apiKey), and each enabled pod kind as a provider at its Service.
*/}}
{{- define "tiergate.sharedConfig" -}}
{{- $root := . -}}
{{- $providers := dict -}}
{{- range $key, $c := (include "tiergate.components" . | fromYaml) -}}
{{- $values := index $root.Values $key -}}
{{- if and $c.models (include "tiergate.enabled" (dict "root" $root "key" $key)) -}}
{{- $url := include "tiergate.url" (dict "root" $root "key" $key "component" $c.component) -}}
{{- $p := omit (deepCopy $values.provider) "name" -}}
{{- $_ := set $p "protocol" "pod" -}}
{{- $_ := set $p "base-url" (printf "%s/v1" $url) -}}
{{- $_ := set $p "health-url" (printf "%s/q/health/ready" $url) -}}
{{- $_ := set $p "local" true -}}
{{- $_ := set $providers $values.provider.name $p -}}
{{- end -}}
{{- end -}}
{{- range $name, $p := .Values.providers -}}
{{- $copy := omit (deepCopy $p) "accounts" -}}
{{- if $p.accounts -}}
{{- $accounts := dict -}}
{{- range $account, $a := $p.accounts -}}
{{- $_ := set $accounts $account (omit $a "existingSecret" "apiKey") -}}
{{- end -}}
{{- $_ := set $copy "accounts" $accounts -}}
{{- end -}}
{{- $_ := set $providers $name $copy -}}
{{- end -}}
{{- $tiergate := deepCopy (.Values.config | default dict) -}}
{{- $_ := set $tiergate "providers" $providers -}}
{{- toYaml (dict "tiergate" $tiergate) -}}
{{- end -}}

{{/* Redis connection settings of the router and the tracker, as container env entries. */}}
{{- define "tiergate.redisEnv" -}}
{{- $redis := .Values.redis -}}
{{- if eq $redis.mode "external" }}
- name: QUARKUS_REDIS_HOSTS
  value: {{ join "," $redis.external.hosts | quote }}
- name: QUARKUS_REDIS_CLIENT_TYPE
  value: {{ $redis.external.clientType | quote }}
{{- if eq $redis.external.clientType "sentinel" }}
- name: QUARKUS_REDIS_MASTER_NAME
  value: {{ $redis.external.masterName | quote }}
- name: QUARKUS_REDIS_ROLE
  value: master
{{- end }}
{{- else }}
- name: QUARKUS_REDIS_HOSTS
  value: {{ printf "redis://%s:6379" (include "tiergate.redisHost" .) | quote }}
{{- end }}
{{- if $redis.auth.existingSecret.name }}
- name: QUARKUS_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $redis.auth.existingSecret.name }}
      key: {{ $redis.auth.existingSecret.key }}
{{- end }}
{{- end -}}

{{- define "tiergate.usageTokenSecret" -}}
{{- if .Values.usageTracker.serviceToken.existingSecret.name -}}
{{- .Values.usageTracker.serviceToken.existingSecret.name -}}
{{- else -}}
{{- printf "%s-usage-token" (include "tiergate.fullname" .) -}}
{{- end -}}
{{- end -}}

{{- define "tiergate.usageTokenKey" -}}
{{- if .Values.usageTracker.serviceToken.existingSecret.name -}}
{{- .Values.usageTracker.serviceToken.existingSecret.key -}}
{{- else -}}
token
{{- end -}}
{{- end -}}
