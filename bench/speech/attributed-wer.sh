#!/usr/bin/env bash
# Speaker-attributed WER of transcription + diarization + alignment: the recording is transcribed by the transcription
# pod (verbose_json with word times), then sent with that transcript to the diarization pod, which diarizes it and
# attributes each word to a speaker; the answer is scored against the STM reference by cpWER (a word given to the
# wrong speaker counts twice) beside plain WER. Each pod runs with its defaults (PocketSphinx; the embedded diarizer,
# no speaker count given) on loopback ports and is stopped afterwards.
#   bench/speech/attributed-wer.sh [recording.wav reference.stm]   (default: ../shared/assets/diarization/pyannote_sample)
# Needs ffmpeg and pocketsphinx; figures go to stdout and bench/results/speech-attributed-wer.txt.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
assets=$(cd "$root/../shared/assets" && pwd)
wav=${1:-$assets/diarization/pyannote_sample.wav}
stm=${2:-${wav%.wav}.stm}
out="$root/bench/speech/out/attributed"
transcription_port=${BENCH_TRANSCRIPTION_PORT:-19383}
diarization_port=${BENCH_DIARIZATION_PORT:-19384}
vad="$assets/vad/silero_vad.onnx"
pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
mkdir -p "$out" "$root/bench/results"

(cd "$root" && ./mvnw -B -q -o -pl transcription-service,diarization-service,speech-fixtures -am -DskipTests package)

# shellcheck source=bench/speech/services.sh
. "$root/bench/speech/services.sh"
start_service transcription-service "$transcription_port" "$out" -Xmx1g -Dtiergate.transcription.vad-model="$vad"
start_service diarization-service "$diarization_port" "$out" -Xmx1g -Dtiergate.diarization.vad-model="$vad"

name=$(basename "$wav" .wav)
curl -sf -m 3600 "http://127.0.0.1:$transcription_port/v1/audio/transcriptions" -F "file=@$wav" \
  -F response_format=verbose_json -F 'timestamp_granularities[]=word' -F 'timestamp_granularities[]=segment' \
  >"$out/$name.transcript.json"
curl -sf -m 3600 "http://127.0.0.1:$diarization_port/v1/audio/diarizations" -F "file=@$wav" \
  -F "transcript=@$out/$name.transcript.json;type=application/json" >"$out/$name.attributed.json"

target="$root/speech-fixtures/target"
{
  echo "$name: transcription pod (PocketSphinx) + diarization pod (embedded, no speaker count) + alignment"
  java -cp "$(echo "$target"/tiergate-speech-fixtures-*.jar):$(cat "$target/runtime-classpath.txt")" \
    "$root/bench/speech/ScoreAttributed.java" "$out/$name.attributed.json" "$stm"
} | tee "$root/bench/results/speech-attributed-wer.txt"
