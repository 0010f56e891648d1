#!/usr/bin/env sh
# Benchmark: N TodoPlatforms (default 200) against the in-process mock API server.
# Usage (from the repository root): operator/bench.sh [N]
set -e
cd "$(dirname "$0")/.."
./mvnw -q -pl operator test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -Xmx1g -Drepo.root=.  -cp "operator/target/test-classes:operator/target/classes:$(cat operator/target/bench.classpath)" \
  dev.todo.operator.bench.ManyPlatformsBenchmark "$@"
