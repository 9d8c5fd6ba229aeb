#!/usr/bin/env bash
# Builds the synthetic multi-speaker sessions the speech benchmarks score against: 10 and 60 minutes of
# known words and speaker turns (wav, txt, stm, rttm) in bench/speech/out/ (not committed). The same seed
# gives the same files; synthesised turns are cached in out/espeak-cache, so a second run takes seconds.
#   bench/speech/make-sessions.sh [seed, default 1]
# Needs ffmpeg and espeak-ng (apt-get install ffmpeg espeak-ng) and the assets at ../shared/assets.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
seed=${1:-1}
out="$root/bench/speech/out"

missing=()
for tool in ffmpeg espeak-ng; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing: ${missing[*]} (apt-get install ${missing[*]})" >&2
  exit 1
fi

cd "$root"
# The package phase also writes the module's runtime classpath (jackson) to target/runtime-classpath.txt.
./mvnw -B -q -o -pl speech-fixtures -am -DskipTests package
target="$root/speech-fixtures/target"
jars=("$target"/tiergate-speech-fixtures-*.jar)
classpath="${jars[0]}:$(cat "$target/runtime-classpath.txt")"

for minutes in 10 60; do
  java -cp "$classpath" io.tiergate.speech.fixtures.session.SessionRecordingGenerator \
    --minutes "$minutes" --out "$out" --name "session-${minutes}min" --seed "$seed" \
    --assets "$root/../shared/assets"
done
