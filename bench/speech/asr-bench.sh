#!/usr/bin/env bash
# Speech benchmarks of the transcription pod. Each part starts what it needs on loopback ports and stops it.
#   bench/speech/asr-bench.sh wer [engine...]   word error rate of each engine (default: pocketsphinx sphinx4) on every
#                                               clip of ../shared/assets/asr and the pyannote sample's STM, through the
#                                               pod; NIST sclite scores the same hypothesis files beside it
#   bench/speech/asr-bench.sh speed             real-time factor on the 10-minute session: PocketSphinx alone on the
#                                               whole file, the pod with 1 and 2 chunk slots, and the router in front
#                                               of the 2-slot pod
#   bench/speech/asr-bench.sh memory            the 60-minute session through the pod (heap capped at 1 GB) with its
#                                               remote engine against a fast local fake server: peak RSS and time
# Figures go to stdout and bench/results/speech-<part>.txt. Needs ffmpeg, pocketsphinx, espeak-ng, sctk, nginx.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
assets=$(cd "$root/../shared/assets" && pwd)
work="$root/bench/speech/out"
results="$root/bench/results"
pod_port=${BENCH_POD_PORT:-19283}
router_port=${BENCH_ROUTER_PORT:-19280}
fake_port=${BENCH_FAKE_PORT:-19290}
models=/usr/share/pocketsphinx/model/en-us
pids=()

cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

build() {
  (cd "$root" && ./mvnw -B -q -o -pl transcription-service,router-service,speech-fixtures -am -DskipTests package)
}

fixtures_classpath() {
  local target="$root/speech-fixtures/target" jars
  jars=("$target"/tiergate-speech-fixtures-*.jar)
  echo "${jars[0]}:$(cat "$target/runtime-classpath.txt")"
}

wait_ready() {
  local url=$1
  for _ in $(seq 600); do
    curl -sf -m 2 "$url" >/dev/null 2>&1 && return
    sleep 0.2
  done
  echo "not ready: $url" >&2
  exit 1
}

# start_pod ENGINE SLOTS [extra -D options...]: the pod's pid in $pod_pid
start_pod() {
  local engine=$1 slots=$2
  shift 2
  java -Xmx1g -Dquarkus.http.port="$pod_port" -Dquarkus.http.host=127.0.0.1 -Dquarkus.log.level=WARN \
    -Dtiergate.transcription.engine="$engine" -Dtiergate.transcription.slots="$slots" \
    -Dtiergate.transcription.vad-model="$assets/vad/silero_vad.onnx" "$@" \
    -jar "$root/transcription-service/target/quarkus-app/quarkus-run.jar" >"$work/pod.log" 2>&1 &
  pod_pid=$!
  pids+=("$pod_pid")
  wait_ready "http://127.0.0.1:$pod_port/q/health/ready"
}

stop_pod() {
  kill "$pod_pid" 2>/dev/null || true
  wait "$pod_pid" 2>/dev/null || true
}

transcribe() {
  local url=$1 file=$2 format=${3:-text}
  curl -sf -m 7200 "$url" -F "file=@$file" -F response_format="$format"
}

seconds_of() {
  ffprobe -v error -show_entries format=duration -of csv=p=0 "$1"
}

cmd_wer() {
  local engines=("$@") engine hyps clip id
  [ ${#engines[@]} -gt 0 ] || engines=(pocketsphinx sphinx4)
  build
  for engine in "${engines[@]}"; do
    hyps="$work/hyp-$engine"
    mkdir -p "$hyps"
    start_pod "$engine" 2
    for clip in "$assets"/asr/*.wav "$assets/diarization/pyannote_sample.wav"; do
      id=$(basename "$clip" .wav)
      transcribe "http://127.0.0.1:$pod_port/v1/audio/transcriptions" "$clip" >"$hyps/$id.txt"
    done
    stop_pod
    echo "== $engine (Tiergate's WordErrorRate)"
    java -cp "$(fixtures_classpath)" "$root/bench/speech/ScoreTranscripts.java" "$hyps" "$assets"
    echo "== $engine (NIST sclite on the same ref.trn / hyp.trn)"
    /usr/lib/sctk/bin/sclite -r "$hyps/ref.trn" trn -h "$hyps/hyp.trn" trn -i spu_id -o sum stdout \
      | grep -E 'SPKR|Sum/Avg' | head -2
  done
}

ensure_sessions() {
  [ -f "$work/session-10min.wav" ] && [ -f "$work/session-60min.wav" ] || "$root/bench/speech/make-sessions.sh"
}

# timed OUTPUT COMMAND...: runs the command with its stdout in OUTPUT and prints the seconds it took.
timed() {
  local output=$1 start end
  shift
  start=$(date +%s.%N)
  "$@" >"$output"
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}

cmd_speed() {
  build
  ensure_sessions
  local file="$work/session-10min.wav" duration bare pod1 pod2 routed
  duration=$(seconds_of "$file")
  bare=$(timed /dev/null pocketsphinx_continuous -infile "$file" -hmm "$models/en-us" -lm "$models/en-us.lm.bin" \
    -dict "$models/cmudict-en-us.dict" -time yes -logfn /dev/null)
  start_pod pocketsphinx 1
  pod1=$(timed /dev/null transcribe "http://127.0.0.1:$pod_port/v1/audio/transcriptions" "$file")
  stop_pod
  start_pod pocketsphinx 2
  pod2=$(timed "$work/session-10min.hyp.txt" transcribe "http://127.0.0.1:$pod_port/v1/audio/transcriptions" "$file")
  # The router with the pod as its only provider (no accounts, so no quota), in a directory holding its config.
  mkdir -p "$work/router/config"
  cat >"$work/router/config/application.yaml" <<YAML
tiergate:
  providers:
    transcriber:
      protocol: pod
      base-url: http://127.0.0.1:$pod_port/v1
      health-url: http://127.0.0.1:$pod_port/q/health/ready
      capabilities: [transcription]
      tiers: [simple, medium, complex]
      local: true
      timeout: 3600s
YAML
  (cd "$work/router" && exec java -Xmx512m -Dquarkus.http.port="$router_port" -Dquarkus.http.host=127.0.0.1 \
    -Dquarkus.log.level=WARN -jar "$root/router-service/target/quarkus-app/quarkus-run.jar") >"$work/router.log" 2>&1 &
  pids+=($!)
  wait_ready "http://127.0.0.1:$router_port/q/health/ready"
  routed=$(timed /dev/null transcribe "http://127.0.0.1:$router_port/v1/audio/transcriptions" "$file")
  stop_pod
  awk -v d="$duration" -v bare="$bare" -v p1="$pod1" -v p2="$pod2" -v r="$routed" 'BEGIN {
    printf "audio %.1f s (10-minute session)\n", d
    printf "pocketsphinx alone, whole file, one process   %8.2f s  RTF %.4f\n", bare, bare / d
    printf "pod, 1 chunk slot                              %8.2f s  RTF %.4f  (%+.1f%% over the bare engine)\n", p1, p1 / d, (p1 / bare - 1) * 100
    printf "pod, 2 chunk slots                             %8.2f s  RTF %.4f  (speed-up over 1 slot %.3fx)\n", p2, p2 / d, p1 / p2
    printf "router -> pod, 2 chunk slots                   %8.2f s  RTF %.4f  (router adds %+.1f%% over the pod)\n", r, r / d, (r / p2 - 1) * 100
  }' | tee "$results/speech-speed.txt"
  printf 'WER of the pod (PocketSphinx) on the 10-minute session: ' | tee -a "$results/speech-speed.txt"
  java -cp "$(fixtures_classpath)" "$root/bench/speech/ScoreTranscripts.java" --pair "$work/session-10min.txt" \
    "$work/session-10min.hyp.txt" | tee -a "$results/speech-speed.txt"
}

cmd_memory() {
  build
  ensure_sessions
  local file="$work/session-60min.wav" conf="$work/fake-nginx.conf" started peak elapsed
  mkdir -p "$work/nginx"
  cat >"$conf" <<NGINX
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $work/nginx;
  client_max_body_size 64m;
  server {
    listen 127.0.0.1:$fake_port;
    location /v1/audio/transcriptions {
      default_type application/json;
      return 200 '{"task":"transcribe","language":"english","duration":25.0,"text":"a fake chunk","segments":[{"id":0,"seek":0,"start":0.0,"end":2.0,"text":" a fake chunk","tokens":[],"temperature":0.0,"avg_logprob":-0.1,"compression_ratio":1.0,"no_speech_prob":0.0}],"words":[{"word":"a","start":0.0,"end":0.5},{"word":"fake","start":0.5,"end":1.0},{"word":"chunk","start":1.0,"end":2.0}]}';
    }
  }
}
NGINX
  nginx -c "$conf"
  start_pod openai 2 -Dtiergate.transcription.remote.base-url="http://127.0.0.1:$fake_port"
  started=$(date +%s.%N)
  transcribe "http://127.0.0.1:$pod_port/v1/audio/transcriptions" "$file" verbose_json >"$work/memory-answer.json" &
  local client=$!
  peak=0
  while kill -0 "$client" 2>/dev/null; do
    local rss
    rss=$(awk '/VmHWM/ {print $2}' "/proc/$pod_pid/status")
    [ "$rss" -gt "$peak" ] && peak=$rss
    sleep 0.5
  done
  wait "$client"
  elapsed=$(echo "$(date +%s.%N) - $started" | bc -l)
  local segments
  segments=$(grep -o '"id":' "$work/memory-answer.json" | wc -l)
  stop_pod
  nginx -c "$conf" -s stop
  awk -v d="$(seconds_of "$file")" -v e="$elapsed" -v p="$peak" -v s="$segments" 'BEGIN {
    printf "audio %.1f s (60-minute session), pod -Xmx1g, remote engine against a local fake\n", d
    printf "wall %.2f s (RTF %.4f), %d segments stitched, peak RSS of the pod %.1f MiB\n", e, e / d, s, p / 1024
  }' | tee "$results/speech-memory.txt"
}

mkdir -p "$work" "$results"
case "${1:-}" in
  wer) shift; cmd_wer "$@" ;;
  speed) cmd_speed ;;
  memory) cmd_memory ;;
  *) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
