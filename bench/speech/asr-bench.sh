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
#   bench/speech/asr-bench.sh overhead [runs] [file]  what the pod and the router add to the bare engine: rounds of
#                                               PocketSphinx alone, the 1-slot pod, and the router in front of it, on
#                                               the same file (default: the 10-minute session), in rotating order so
#                                               that a noisy host weighs on all three; wall and CPU seconds per run and
#                                               the median of each round's ratios; and, as the noise does not cancel
#                                               between separate runs, what the pod (and the router) add around the
#                                               pod's own time in its engine in the same run, from its metrics
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
# shellcheck source=bench/speech/services.sh
. "$root/bench/speech/services.sh"

build() {
  (cd "$root" && ./mvnw -B -q -o -pl transcription-service,router-service,speech-fixtures -am -DskipTests package)
}

fixtures_classpath() {
  local target="$root/speech-fixtures/target" jars
  jars=("$target"/tiergate-speech-fixtures-*.jar)
  echo "${jars[0]}:$(cat "$target/runtime-classpath.txt")"
}

# start_pod ENGINE SLOTS [extra -D options...]: the pod's pid in $pod_pid
start_pod() {
  local engine=$1 slots=$2
  shift 2
  start_service transcription-service "$pod_port" "$work" -Xmx1g -Dtiergate.transcription.engine="$engine" \
    -Dtiergate.transcription.slots="$slots" -Dtiergate.transcription.vad-model="$assets/vad/silero_vad.onnx" "$@"
  pod_pid=$service_pid
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
  start_router "$pod_port"
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

# start_router POD_PORT: a router in front of the pod alone; its pid in $router_pid.
start_router() {
  start_router_for transcription "$1" "$router_port" "$work/router"
}

# engine_seconds: the pod's time in its engine so far (its tiergate_transcription_engine_seconds_sum).
engine_seconds() {
  metric_sum "$pod_port" tiergate_transcription_engine_seconds_sum
}

cmd_overhead() {
  local runs=${1:-3} file=${2:-} round variant start wall cpu_before cpu engine_before engine log="$work/overhead.tsv"
  build
  if [ -z "$file" ]; then
    ensure_sessions
    file="$work/session-10min.wav"
  fi
  start_pod pocketsphinx 1
  start_router "$pod_port"
  # A first request through both, so that no round pays for the JIT warming up.
  transcribe "http://127.0.0.1:$router_port/v1/audio/transcriptions" "$assets/asr/jfk.wav" >/dev/null
  local variants=(bare pod router)
  printf 'round\tvariant\twall_s\tcpu_s\tengine_s\n' >"$log"
  for round in $(seq "$runs"); do
    for variant in "${variants[@]}"; do
      start=$(date +%s.%N)
      case $variant in
        bare)
          /usr/bin/time -f '%U %S' -o "$work/bare.time" pocketsphinx_continuous -infile "$file" -hmm "$models/en-us" \
            -lm "$models/en-us.lm.bin" -dict "$models/cmudict-en-us.dict" -logfn /dev/null >/dev/null
          wall=$(echo "$(date +%s.%N) - $start" | bc -l)
          cpu=$(awk '{ print $1 + $2 }' "$work/bare.time")
          engine=$wall ;;
        pod | router)
          cpu_before=$(echo "$(cpu_seconds "$pod_pid") + $(cpu_seconds "$router_pid")" | bc -l)
          engine_before=$(engine_seconds)
          start=$(date +%s.%N)
          if [ "$variant" = pod ]; then
            transcribe "http://127.0.0.1:$pod_port/v1/audio/transcriptions" "$file" >/dev/null
          else
            transcribe "http://127.0.0.1:$router_port/v1/audio/transcriptions" "$file" >/dev/null
          fi
          wall=$(echo "$(date +%s.%N) - $start" | bc -l)
          cpu=$(echo "$(cpu_seconds "$pod_pid") + $(cpu_seconds "$router_pid") - $cpu_before" | bc -l)
          engine=$(echo "$(engine_seconds) - $engine_before" | bc -l) ;;
      esac
      printf '%s\t%s\t%.2f\t%.2f\t%.2f\n' "$round" "$variant" "$wall" "$cpu" "$engine" | tee -a "$log"
    done
    variants=("${variants[@]:1}" "${variants[0]}")
  done
  stop_pod
  awk -F'\t' -v d="$(seconds_of "$file")" -v f="$(basename "$file")" "$MEDIAN_AWK"'
    NR > 1 { wall[$1, $2] = $3; cpu[$1, $2] = $4; engine[$1, $2] = $5; if ($1 > rounds) rounds = $1 }
    END {
      printf "%s, %.1f s of audio, %d rounds (PocketSphinx alone / pod with 1 chunk slot / router in front of that pod)\n", f, d, rounds
      split("bare pod router", names, " ")
      for (v = 1; v <= 3; v++) {
        for (r = 1; r <= rounds; r++) { w[r] = wall[r, names[v]]; c[r] = cpu[r, names[v]]; e[r] = engine[r, names[v]] }
        printf "%-7s median wall %8.2f s (RTF %.4f), CPU %8.2f s, in the engine %8.2f s\n", names[v], median(w, rounds), median(w, rounds) / d, median(c, rounds), median(e, rounds)
      }
      for (v = 2; v <= 3; v++) {
        for (r = 1; r <= rounds; r++) { w[r] = wall[r, names[v]] / wall[r, "bare"]; c[r] = cpu[r, names[v]] / cpu[r, "bare"] }
        printf "%-7s over the bare engine, median of the rounds: wall %+.2f%%, CPU %+.2f%%\n", names[v], (median(w, rounds) - 1) * 100, (median(c, rounds) - 1) * 100
      }
      for (v = 2; v <= 3; v++) {
        for (r = 1; r <= rounds; r++) { a[r] = wall[r, names[v]] - engine[r, names[v]]; w[r] = a[r] / engine[r, names[v]] }
        printf "%-7s around its own engine time in the same run, median of the rounds: %+.2f s, %+.2f%%\n", names[v], median(a, rounds), median(w, rounds) * 100
      }
    }' "$log" | tee "$results/speech-overhead.txt"
}

mkdir -p "$work" "$results"
case "${1:-}" in
  wer) shift; cmd_wer "$@" ;;
  speed) cmd_speed ;;
  memory) cmd_memory ;;
  overhead) shift; cmd_overhead "$@" ;;
  *) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
