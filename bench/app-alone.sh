#!/usr/bin/env bash
# The app alone under the side-by-side's load (same wrk scripts, warm-up and connections), for
# comparing builds or JVM options in alternating runs: prints one line with creates/s, pages/s,
# their p99 and the resident memory after the run.
# Usage: bench/app-alone.sh LABEL [jar]   APP_JAVA_OPTS (default: app/jvm.options), C (64), D (15 s),
#   WARM (5 s per workload), PEER_BENCH (directory of the peer kit's wrk scripts, ../shared/bench)
set -euo pipefail
cd "$(dirname "$0")/.."
label=$1
jar=$(realpath "${2:-app/target/todo-app.jar}")
C=${C:-64} D=${D:-15} PORT=${PORT:-18080}
lua=$(cd "${PEER_BENCH:-../shared/bench}" && pwd)
opts=${APP_JAVA_OPTS-$(grep -v '^#' app/jvm.options | xargs)}
work=$(mktemp -d /tmp/app-alone.XXXX)
LIST='/api/tasks?priority=high&limit=50&sort=dueAt,-priority'
# shellcheck disable=SC2086 # the options are words
(cd "$work" && MICRONAUT_SERVER_PORT=$PORT TODO_DATA_DIR=$work/data TODO_QUOTAS_TASKS=1000000 exec java $opts -jar "$jar") >"$work/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null; wait $app 2>/dev/null; rm -rf "$work"' EXIT
until curl -sf -o /dev/null "http://127.0.0.1:$PORT/health"; do sleep 0.1; done
body='{"username":"bench","password":"secret-pass"}'
curl -sf -XPOST -H 'content-type: application/json' -d "$body" "http://127.0.0.1:$PORT/api/auth/signup" >/dev/null
TOKEN=$(curl -sf -XPOST -H 'content-type: application/json' -d "$body" "http://127.0.0.1:$PORT/api/auth/login" \
  | python3 -c 'import json,sys;print(json.load(sys.stdin)["accessToken"])')
export TOKEN
wrk -t2 -c16 -d"${WARM:-5}s" -s "$lua/post.lua" "http://127.0.0.1:$PORT/api/tasks" >/dev/null
wrk -t2 -c16 -d"${WARM:-5}s" -s "$lua/get.lua" "http://127.0.0.1:$PORT$LIST" >/dev/null
m() { wrk -t2 -c"$C" -d"${D}s" --timeout 10s --latency -s "$lua/$1" "$2" \
  | awk '/Requests\/sec/{r=$2} $1=="99%"{p=$2} /Non-2xx/{n=$NF} END{printf "%s/s p99 %s%s", r, p, (n ? " non-2xx " n : "")}'; }
create=$(m post.lua "http://127.0.0.1:$PORT/api/tasks")
page=$(m get.lua "http://127.0.0.1:$PORT$LIST")
echo "$label | create $create | page $page | RSS $(( $(awk '/VmRSS/{print $2}' "/proc/$app/status") / 1024 )) MiB"
