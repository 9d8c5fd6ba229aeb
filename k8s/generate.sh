#!/usr/bin/env bash
# Writes k8s/base/tiergate.yaml: the Helm chart (helm/tiergate) rendered with its default values as release "tiergate",
# through the same Helm library the tests use (helm-java; no helm binary needed). PlainManifestsTest fails while the
# committed file differs from the chart's output, so run this after changing the chart.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/mvnw" -B -q -f "$root/pom.xml" -pl deploy-tests -am test \
  -Dtest=PlainManifestsTest#theCommittedManifestsAreTheChartsDefaults -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtiergate.k8s.write=true
echo "wrote $root/k8s/base/tiergate.yaml"
