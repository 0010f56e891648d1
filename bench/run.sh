#!/usr/bin/env bash
# Load benchmark of the task service on embedded defaults (app, PostgreSQL and load generator on one machine).
# Usage: bench/run.sh [duration-seconds]   (needs wrk: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-20}
PORT=${BENCH_PORT:-18080}
BENCH_DIR=$(pwd)/bench
WORK=$(mktemp -d /tmp/todo-bench.XXXXXX)
APP_OPTS=$(grep -v '^#' app/jvm.options | xargs)   # the JVM options ./run uses
export BENCH_DIR

command -v wrk >/dev/null || { echo "wrk is required: apt-get install wrk" >&2; exit 1; }
./mvnw -q -B -pl app -am package -DskipTests

app_pid=
stop_app() { [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null || true; app_pid=; }
trap 'stop_app; rm -rf "$WORK"' EXIT

start_app() {
  local t0; t0=$(date +%s%N)
  MICRONAUT_SERVER_PORT=$PORT TODO_DATA_DIR=$WORK/data TODO_QUOTAS_TASKS=1000000 TODO_AUTH_LIMITS_LOGINS_PER_MINUTE=0 java $APP_OPTS ${JAVA_OPTS:-} -jar app/target/todo-app.jar > "$WORK/app.log" 2>&1 &
  app_pid=$!
  until curl -sf "localhost:$PORT/health/readiness" >/dev/null; do
    kill -0 "$app_pid" 2>/dev/null || { cat "$WORK/app.log"; exit 1; }
    sleep 0.05
  done
  startup_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
JSA=$WORK/app.jsa
JAVA_OPTS="-XX:ArchiveClassesAtExit=$JSA" start_app
echo "STARTUP first start (initdb, migrations):     $startup_ms ms to ready"
stop_app
start_app; echo "STARTUP restart, plain java -jar:             $startup_ms ms to ready"
stop_app
JAVA_OPTS="-XX:SharedArchiveFile=$JSA" start_app
echo "STARTUP restart with CDS archive (as ./run):  $startup_ms ms to ready"
stop_app
JAVA_OPTS="-XX:SharedArchiveFile=$JSA" start_app
echo "STARTUP restart with CDS archive (as ./run):  $startup_ms ms to ready"

java bench/Seed.java "http://localhost:$PORT" "$WORK/seed" 10000
export TOKEN; TOKEN=$(cat "$WORK/seed/token")
export IDS=$WORK/seed/ids.txt
URL="http://localhost:$PORT"

run() { # scenario script connections
  local threads=2; [ "$3" -lt 2 ] && threads=1
  SCENARIO=$1 wrk -t$threads -c"$3" -d"${DURATION}s" --timeout 10s -s "bench/$2" "$URL" | grep '^RESULT'
}
# warm-up (JIT), not reported
SCENARIO=warmup wrk -t2 -c64 -d10s -s bench/list.lua "$URL" >/dev/null
SCENARIO=warmup wrk -t2 -c64 -d5s -s bench/get.lua "$URL" >/dev/null

run "list-10k c=1" list.lua 1
run "list-10k c=4" list.lua 4
run "list-10k c=16" list.lua 16
run "list-10k c=256" list.lua 256
run "get c=256" get.lua 256
run "create c=64" create.lua 64
run "create c=256" create.lua 256
echo "app RSS after run: $(( $(awk '/VmRSS/{print $2}' /proc/$app_pid/status) / 1024 )) MiB"
