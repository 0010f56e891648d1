{{- define "todo-operator.labels" -}}
app.kubernetes.io/name: todo-operator
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}
{{- define "todo-operator.selector" -}}
app.kubernetes.io/name: todo-operator
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "todo-operator.appImage" -}}
{{- if .Values.appImage.digest -}}
{{ .Values.appImage.repository }}@{{ .Values.appImage.digest }}
{{- else -}}
{{ .Values.appImage.repository }}:{{ .Values.appImage.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}
