#!/usr/bin/env bash
# How long the form decoder the pods and the router share (MultipartForms) takes over a recording's form, from memory
# in the upload spool's 1 MB pieces, and how long deleting the upload it wrote then takes; the spool directory is
# bench/speech/out/form-decode (on the disk uploads are spooled to in a default setup).
#   bench/speech/form-decode.sh [recording, default bench/speech/out/session-60min.wav] [rounds, default 15]
# Figures go to stdout and bench/results/form-decode.txt.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
file=${1:-$root/bench/speech/out/session-60min.wav}
[ -f "$file" ] || "$root/bench/speech/make-sessions.sh"
mkdir -p "$root/bench/results"
cd "$root"
# The package phase also writes the module's test class path (the runner is test code) to target/test-classpath.txt.
./mvnw -B -q -o -pl audio -am -DskipTests package
module="$root/audio/target"
java -Xmx1g -cp "$module/test-classes:$module/classes:$(cat "$module/test-classpath.txt")" \
  io.tiergate.audio.bench.FormDecodeBench "$file" "$root/bench/speech/out/form-decode" "${2:-15}" \
  | tee "$root/bench/results/form-decode.txt"
