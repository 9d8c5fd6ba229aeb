#!/usr/bin/env bash
# Builds short meetings of 3 to 6 real voices (RealMeetingGenerator: turns cut from where each voice of the shared
# assets speaks alone) in bench/speech/out/ (not committed): real{3,4,5,6}{a,b}.wav with their .rttm, 1.5 to 2.5
# minutes each, which reuse audio, and once{3,4,5,6}.wav, 47 to 92 s, which use each piece of audio once. Diarize and
# score them with
#   bench/speech/diarization-bench.sh bench/speech/out/real*.wav bench/speech/out/once*.wav
# and see how well the embeddings tell their voices apart, before any clustering, with the test-scope runner
# io.tiergate.diarization.bench.EmbeddingDiagnostics (arguments: the .wav files; class path as diarization-bench.sh's).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
./mvnw -B -q -o -pl speech-fixtures -am -DskipTests package
target="$root/speech-fixtures/target"
jars=("$target"/tiergate-speech-fixtures-*.jar)
java -cp "${jars[0]}:$(cat "$target/runtime-classpath.txt")" \
  io.tiergate.speech.fixtures.meeting.RealMeetingGenerator --out "$root/bench/speech/out" \
  --assets "$root/../shared/assets"
