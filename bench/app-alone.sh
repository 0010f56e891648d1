#!/usr/bin/env bash
# The app alone under the side-by-side's load (same wrk scripts, warm-up and connections), for
# comparing builds or JVM options in alternating runs: prints one line with creates/s, pages/s,
# their p99, the CPU each request cost the JVM and the embedded PostgreSQL (milliseconds of CPU per
# request: where a request's cost lies; on a saturated machine their sum moves with the rate, so it
# is no steadier than the rate between runs), and the resident memory after the run.
# Usage: bench/app-alone.sh LABEL [jar]   APP_JAVA_OPTS (default: app/jvm.options), C (64), D (15 s),
#   WARM (5 s per workload), LIST (the page read), PEER_BENCH (directory of the peer kit's wrk scripts, ../shared/bench)
set -euo pipefail
cd "$(dirname "$0")/.."
label=$1
jar=$(realpath "${2:-app/target/todo-app.jar}")
C=${C:-64} D=${D:-15} PORT=${PORT:-18080}
lua=$(cd "${PEER_BENCH:-../shared/bench}" && pwd)
opts=${APP_JAVA_OPTS-$(grep -v '^#' app/jvm.options | xargs)}
work=$(mktemp -d /tmp/app-alone.XXXX)
LIST=${LIST:-'/api/tasks?priority=high&limit=50&sort=dueAt,-priority'}
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
# CPU time (clock ticks) of the JVM, and of the embedded PostgreSQL's processes (children of the
# postmaster, which runs on the data directory; its connections live as long as the pool's)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
pg_ticks() {
  local pm t=0 p
  pm=$(pgrep -f -- "-D $work/data" | head -1)
  for p in $pm $(pgrep -P "$pm"); do t=$((t + $(ticks "$p"))); done
  echo $t
}
hz=$(getconf CLK_TCK)
m() {
  local j0 g0 out
  j0=$(ticks $app) g0=$(pg_ticks)
  out=$(wrk -t2 -c"$C" -d"${D}s" --timeout 10s --latency -s "$lua/$1" "$2")
  awk -v j=$(($(ticks $app) - j0)) -v g=$(($(pg_ticks) - g0)) -v hz="$hz" '
    /requests in/{n=$1} /Requests\/sec/{r=$2} $1=="99%"{p=$2} /Non-2xx/{x=$NF}
    END{printf "%s/s p99 %s%s, CPU per request: JVM %.2f ms, PostgreSQL %.2f ms", r, p, (x ? " non-2xx " x : ""),
        1000 * j / hz / n, 1000 * g / hz / n}' <<<"$out"
}
create=$(m post.lua "http://127.0.0.1:$PORT/api/tasks")
page=$(m get.lua "http://127.0.0.1:$PORT$LIST")
echo "$label | create $create | page $page | RSS $(( $(awk '/VmRSS/{print $2}' "/proc/$app/status") / 1024 )) MiB"
