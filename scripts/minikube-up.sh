#!/usr/bin/env bash
# From this repository to a running TodoPlatform on Minikube:
#   starts Minikube if needed (with the ingress addon), installs Strimzi with a one-node Kafka, Dapr,
#   KEDA and CloudNativePG from their charts, builds the app and operator images with Jib and loads
#   them into Minikube, installs the operator chart, applies the Minikube sample, waits for Ready
#   and prints the URL.
# Idempotent: run it again after a change to rebuild, reinstall and re-apply. It stops with a
# message at the first missing tool.
# Environment: SAMPLE=kafka (default) or dapr; NAMESPACE (default todo); MINIKUBE_CPUS/MINIKUBE_MEMORY.
set -euo pipefail
cd "$(dirname "$0")/.."

SAMPLE=${SAMPLE:-kafka}
NAMESPACE=${NAMESPACE:-todo}
MINIKUBE_CPUS=${MINIKUBE_CPUS:-4}
MINIKUBE_MEMORY=${MINIKUBE_MEMORY:-8g}

need() {
  command -v "$1" >/dev/null || { echo "error: $1 is not installed. $2" >&2; exit 1; }
}
need minikube "Install it: https://minikube.sigs.k8s.io/docs/start/"
need kubectl "Install it: https://kubernetes.io/docs/tasks/tools/ (or use 'minikube kubectl --')"
need helm "Install Helm 3: https://helm.sh/docs/intro/install/"
need java "Install a JDK 17 or newer (the Maven wrapper builds the images with Jib)."

case "$SAMPLE" in
  kafka) sample=config/samples/todoplatform-minikube.yaml ;;
  dapr) sample=config/samples/todoplatform-minikube-dapr.yaml ;;
  *) echo "error: SAMPLE must be kafka or dapr, not '$SAMPLE'" >&2; exit 1 ;;
esac

step() { printf '\n==> %s\n' "$*"; }

step "Minikube"
if minikube status --format '{{.Host}} {{.Kubelet}} {{.APIServer}}' 2>/dev/null | grep -q '^Running Running Running$'; then
  echo "already running"
else
  minikube start --cpus "$MINIKUBE_CPUS" --memory "$MINIKUBE_MEMORY"
fi
kubectl config use-context minikube >/dev/null
minikube addons enable ingress >/dev/null

step "Strimzi, Dapr, KEDA, CloudNativePG"
scripts/cluster-prereqs.sh

step "Images (Jib, loaded into Minikube)"
version=$(./mvnw -q -B -N -f operator/pom.xml help:evaluate -Dexpression=project.version -DforceStdout)
./mvnw -q -B -ntp -pl app,operator package jib:buildTar -DskipTests
minikube image load app/target/jib-image.tar
minikube image load operator/target/jib-image.tar
echo "loaded ghcr.io/todo-dev/todo-app:$version and ghcr.io/todo-dev/todo-operator:$version"

step "Operator"
# Helm installs a chart's CRDs only on the first install: apply the current one every time.
kubectl apply --server-side --force-conflicts -f crds/todoplatforms.todo.dev-v1.yml
helm upgrade --install todo-operator helm/todo-operator --namespace todo-operator --create-namespace \
  --set image.tag="$version" --set image.pullPolicy=IfNotPresent --set appImage.tag="$version" --wait --timeout 5m
# The same tag as before would not restart the pods: roll them so a rebuilt image is used.
kubectl -n todo-operator rollout restart deployment/todo-operator >/dev/null
kubectl -n todo-operator rollout status deployment/todo-operator --timeout 5m

step "TodoPlatform ($sample in namespace $NAMESPACE)"
kubectl create namespace "$NAMESPACE" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl apply -n "$NAMESPACE" -f "$sample"
for d in todo-api todo-worker; do
  kubectl -n "$NAMESPACE" rollout restart "deployment/$d" >/dev/null 2>&1 || true
done
if ! kubectl -n "$NAMESPACE" wait todoplatform/todo --for=condition=Ready --timeout=15m; then
  kubectl -n "$NAMESPACE" describe todoplatform/todo >&2
  exit 1
fi

url=$(kubectl -n "$NAMESPACE" get todoplatform/todo -o jsonpath='{.status.url}')
cat <<MSG

The platform is Ready: $url
  The ingress host resolves to 127.0.0.1: keep 'minikube tunnel' running in another terminal, or
  kubectl -n $NAMESPACE port-forward svc/todo-api 8080:80   and open http://localhost:8080
MSG
