#!/usr/bin/env bash
# Installs what a TodoPlatform can use, from each project's Helm chart, into the current kubectl
# context: Strimzi (and a one-node Kafka "events" in namespace kafka), Dapr, KEDA, CloudNativePG.
# Idempotent: `helm upgrade --install` and `kubectl apply`; run it again to repair or upgrade.
# Used by scripts/minikube-up.sh and the e2e workflow. Versions can be overridden from the environment.
set -euo pipefail
cd "$(dirname "$0")/.."

STRIMZI_VERSION=${STRIMZI_VERSION:-0.51.0}
DAPR_VERSION=${DAPR_VERSION:-1.17.0}
KEDA_VERSION=${KEDA_VERSION:-2.17.2}
CNPG_CHART_VERSION=${CNPG_CHART_VERSION:-0.24.0}
TIMEOUT=${TIMEOUT:-10m}

for tool in kubectl helm; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed (needed to install the platform's dependencies)" >&2; exit 1; }
done

step() { printf '\n==> %s\n' "$*"; }

step "Strimzi $STRIMZI_VERSION (namespace kafka)"
helm upgrade --install strimzi oci://quay.io/strimzi-helm/strimzi-kafka-operator --version "$STRIMZI_VERSION" \
  --namespace kafka --create-namespace --set watchAnyNamespace=true --wait --timeout "$TIMEOUT"

step "Dapr $DAPR_VERSION (namespace dapr-system)"
helm repo add dapr https://dapr.github.io/helm-charts/ --force-update >/dev/null
helm upgrade --install dapr dapr/dapr --version "$DAPR_VERSION" --namespace dapr-system --create-namespace \
  --wait --timeout "$TIMEOUT"

step "KEDA $KEDA_VERSION (namespace keda)"
helm repo add kedacore https://kedacore.github.io/charts --force-update >/dev/null
helm upgrade --install keda kedacore/keda --version "$KEDA_VERSION" --namespace keda --create-namespace \
  --wait --timeout "$TIMEOUT"

step "CloudNativePG chart $CNPG_CHART_VERSION (namespace cnpg-system)"
helm repo add cnpg https://cloudnative-pg.github.io/charts --force-update >/dev/null
helm upgrade --install cnpg cnpg/cloudnative-pg --version "$CNPG_CHART_VERSION" --namespace cnpg-system \
  --create-namespace --wait --timeout "$TIMEOUT"

step "One-node Kafka 'events' (namespace kafka)"
kubectl apply -n kafka -f config/minikube/kafka.yaml
kubectl wait -n kafka kafka/events --for=condition=Ready --timeout="$TIMEOUT"
