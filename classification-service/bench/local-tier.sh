#!/usr/bin/env bash
# Local-tier throughput (lines/s) of the classification pod on this machine: the in-process ONNX encoder plus
# the task classifier, over every turn of the shared CRD3 episode. Needs ../shared/assets beside the repo.
#   classification-service/bench/local-tier.sh [rounds] [with-context: true|false]
# System properties pass through JAVA_OPTS, e.g. JAVA_OPTS="-DmaxTokens=128 -Dbatch=32".
set -euo pipefail
module=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=$(dirname "$module")
"$root/mvnw" -B -q install -DskipTests -f "$root/common/pom.xml"
"$root/mvnw" -B -q test-compile -f "$module/pom.xml"
"$root/mvnw" -B -q dependency:build-classpath -f "$module/pom.xml" -Dmdep.outputFile="$module/target/bench.classpath" -Dmdep.includeScope=test
cd "$module"
exec java ${JAVA_OPTS:-} -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.tiergate.classification.bench.LocalTierBenchmark "${1:-5}" "${2:-false}"
