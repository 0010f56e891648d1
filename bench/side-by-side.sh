#!/usr/bin/env bash
# The app beside its peer stack (FastAPI + SQLAlchemy + PostgreSQL, two workers, no outbox and no
# consumers), one run on one machine, with the same wrk scripts, through the peer's bench kit:
#   1. all roles (the local default), 64 and 256 connections;
#   2. TODO_ROLES=api (a cluster's API pods), 64 connections;
#   3. the PostgreSQL ceiling: pgbench running the SQL of a create and of a filtered page.
# Then it prints the ratios to the peer and to the ceiling. The app runs with the JVM options ./run
# uses (app/jvm.options).
# Usage: bench/side-by-side.sh [seconds-per-workload]
#   PEER_BENCH: directory of the peer's kit (side-by-side.sh, pg-ceiling.sh; default ../shared/bench)
#   needs: wrk python3-fastapi python3-uvicorn python3-sqlalchemy python3-psycopg2 python3-jwt postgresql
set -euo pipefail
cd "$(dirname "$0")/.."
D=${1:-15}
PEER_BENCH=$(cd "${PEER_BENCH:-../shared/bench}" && pwd)
[ -f "$PEER_BENCH/side-by-side.sh" ] || { echo "no peer kit in $PEER_BENCH (set PEER_BENCH)" >&2; exit 1; }
./mvnw -q -B -pl app -am package -DskipTests
APP_JAVA_OPTS=$(grep -v '^#' app/jvm.options | xargs)
export APP_JAVA_OPTS
# one user creates well over the default quota of 10,000 tasks in a run; the peer has no quota
export TODO_QUOTAS_TASKS=${TODO_QUOTAS_TASKS:-1000000}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1), app JVM options: $APP_JAVA_OPTS"
for c in 64 256; do
  bash "$PEER_BENCH/side-by-side.sh" . "$c" "$D" | grep -E '^(create|list) ' | sed 's/^/all-roles /' | tee -a "$out"
done
TODO_ROLES=api bash "$PEER_BENCH/side-by-side.sh" . 64 "$D" | grep -E '^(create|list) ' | sed 's/^/api-only /' | tee -a "$out"
bash "$PEER_BENCH/pg-ceiling.sh" 16 "$D" | tee -a "$out"
python3 - "$out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
ceiling = dict(zip(("create", "list"), map(float, re.findall(r"^tps = ([\d.]+)", text, re.M))))
print("\nsummary (goal: all roles create >= 5x and list >= 10x the peer, p99 < 100 ms at 64; api-only >= 50% of the ceiling)")
for line in text.splitlines():
    m = re.match(r"(\S+) (create|list) c=(\d+) .*?\| app ([\d.]+) req/s p99 (\S+) .*ratio ([\d.?]+)x", line)
    if not m:
        continue
    role, w, c, rps, p99, ratio = m.groups()
    vs = f", {100 * float(rps) / ceiling[w]:.0f}% of the PostgreSQL ceiling ({ceiling[w]:.0f}/s)" if w in ceiling else ""
    print(f"  {role:9} {w:6} c={c:>3}: {float(rps):7.0f} req/s, p99 {p99:>9}, {ratio}x the peer{vs}")
PY
