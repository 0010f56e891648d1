#!/usr/bin/env bash
# Smoke test of a running TodoPlatform "todo" in the current kubectl context, then its deletion.
#   scripts/e2e-smoke.sh [namespace]
# 1. Through the API Service: sign up, log in, create a task, find it in the list; the web page answers.
# 2. Deletes the TodoPlatform and checks what goes with it (Deployments, Service, ConfigMap, the
#    CloudNativePG Cluster: owned children, garbage-collected) and what its deletion policy keeps
#    (KafkaTopics: deleted with Delete, kept with Retain).
set -euo pipefail
NS=${1:-todo}
PORT=${PORT:-18080}
TIMEOUT=${TIMEOUT:-5m}

fail() { echo "FAIL: $*" >&2; exit 1; }

policy=$(kubectl -n "$NS" get todoplatform/todo -o jsonpath='{.spec.events.kafka.topicDeletionPolicy}')
policy=${policy:-Delete}

kubectl -n "$NS" port-forward svc/todo-api "$PORT:80" >/tmp/todo-e2e-port-forward.log 2>&1 &
pf=$!
trap 'kill $pf 2>/dev/null || true' EXIT
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 60); do curl -fsS "$base/health/readiness" >/dev/null 2>&1 && break; sleep 1; done
curl -fsS "$base/health/readiness" >/dev/null || fail "the API is not ready through svc/todo-api"

user="e2e-$(date +%s)"
curl -fsS "$base/api/auth/signup" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$user\",\"password\":\"correct-horse-battery\"}" >/dev/null || fail "signup"
token=$(curl -fsS "$base/api/auth/login" -H 'Content-Type: application/json' \
  -d "{\"username\":\"$user\",\"password\":\"correct-horse-battery\"}" | sed 's/.*"accessToken":"\([^"]*\)".*/\1/')
[ -n "$token" ] || fail "login returned no token"
curl -fsS "$base/api/tasks" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"title":"Smoke test from the e2e run","tags":["e2e"]}' >/dev/null || fail "creating a task"
curl -fsS "$base/api/tasks?tag=e2e" -H "Authorization: Bearer $token" | grep -q 'Smoke test from the e2e run' \
  || fail "the new task is not listed"
page=$(curl -fsSL -o /dev/null -w '%{http_code} %{content_type}' "$base/") || fail "the web page did not answer"
case "$page" in 200\ text/html*) ;; *) fail "the web page answered '$page'" ;; esac
echo "smoke test passed: API and web page answer through svc/todo-api"
kill $pf 2>/dev/null || true

echo "deleting the TodoPlatform (topic deletion policy $policy)"
kubectl -n "$NS" delete todoplatform/todo --wait=false
kubectl -n "$NS" wait todoplatform/todo --for=delete --timeout="$TIMEOUT" || fail "the TodoPlatform was not deleted (finalizer)"

gone() { # kind name: waits until the garbage collector removed it
  for _ in $(seq 1 120); do
    kubectl -n "$NS" get "$1" "$2" >/dev/null 2>&1 || return 0
    sleep 1
  done
  fail "$1/$2 still exists after its TodoPlatform was deleted"
}
gone deployment todo-api
gone deployment todo-worker
gone service todo-api
gone configmap todo-config
if kubectl api-resources --api-group=postgresql.cnpg.io -o name | grep -q '^clusters'; then gone clusters.postgresql.cnpg.io todo-db; fi

if ! kubectl api-resources --api-group=kafka.strimzi.io -o name | grep -q '^kafkatopics'; then
  echo "deletion check passed: children gone (no Strimzi, no KafkaTopics to check)"
  exit 0
fi
topics=$(kubectl get kafkatopics.kafka.strimzi.io -A -l "todo.dev/platform-namespace=$NS,todo.dev/platform-name=todo" -o name | wc -l)
if [ "$policy" = Retain ]; then
  [ "$topics" -gt 0 ] || fail "topicDeletionPolicy Retain, yet the KafkaTopics are gone"
else
  [ "$topics" -eq 0 ] || fail "topicDeletionPolicy Delete, yet $topics KafkaTopics remain"
fi
echo "deletion check passed: children gone, KafkaTopics per policy $policy ($topics left)"
