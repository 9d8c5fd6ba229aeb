#!/usr/bin/env bash
# Speed of the diarization pod's embedded engine on a recording (no speaker count given; default the 10-minute session,
# whose fixed costs weigh more than on a long one): rounds of the bare engine (DiarizationBench in one JVM, timed after
# a warm-up run), the warmed-up pod, and the router in front of that pod, in rotating order so that a noisy host weighs
# on all three, each timed by its wall and by the CPU it used (the bare engine's JVM; the pod with its ffmpeg, and the
# router), and, through the pod and the router, by what the request took beyond the pod's own time in its engine (its
# metrics), which the host's drift between runs does not move; then the time the pod and the router take over the form
# alone, without the engine; then the 60-minute session through the pod (heap capped at 1 GB) for its peak RSS. Each
# part starts what it needs on loopback ports and stops it.
#   bench/speech/diarization-speed.sh [rounds, default 3] [recording.wav, default bench/speech/out/session-10min.wav]
# Needs ffmpeg and espeak-ng (for the sessions); figures go to stdout and bench/results/diarization-speed.txt.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
assets=$(cd "$root/../shared/assets" && pwd)
rounds=${1:-3}
work="$root/bench/speech/out"
out="$work/diarization-speed"
results="$root/bench/results"
pod_port=${BENCH_POD_PORT:-19384}
router_port=${BENCH_ROUTER_PORT:-19380}
vad="$assets/vad/silero_vad.onnx"
pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
mkdir -p "$out" "$results"
# shellcheck source=bench/speech/services.sh
. "$root/bench/speech/services.sh"

diarize() { # url file
  curl -sf -m 7200 "$1" -F "file=@$2" -F response_format=rttm
}
# engine_seconds: the pod's time in its engine so far, all its requests being of the one recording (the metric sums
# each request's real-time factor).
engine_seconds() {
  echo "$(metric_sum "$pod_port" tiergate_diarization_real_time_factor_sum) * $duration" | bc -l
}
seconds_since() {
  echo "$(date +%s.%N) - $1" | bc -l
}

(cd "$root" && ./mvnw -B -q -o -pl diarization-service,router-service -am -DskipTests package)
[ -f "$work/session-10min.wav" ] && [ -f "$work/session-60min.wav" ] || "$root/bench/speech/make-sessions.sh"
file=${2:-$work/session-10min.wav}
duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$file")
module="$root/diarization-service/target"
classpath="$module/test-classes:$module/classes:$(cat "$module/test-classpath.txt")"

start_service diarization-service "$pod_port" "$out" -Xmx1g -Dtiergate.diarization.vad-model="$vad"
pod_pid=$service_pid
start_router_for diarization "$pod_port" "$router_port" "$out/router"
# Warm-up, as the bare engine has: the JIT, not the recording, would otherwise weigh on the first round.
diarize "http://127.0.0.1:$router_port/v1/audio/diarizations" "$file" >/dev/null

log="$out/rounds.tsv"
printf 'round\tvariant\twall_s\tcpu_s\tengine_s\n' >"$log"
variants=(bare pod router)
for round in $(seq "$rounds"); do
  for variant in "${variants[@]}"; do
    case $variant in
      bare)
        read -r wall cpu < <(java -Xmx1g -cp "$classpath" io.tiergate.diarization.bench.DiarizationBench "$file" session \
          "$out/bare.rttm" 2>/dev/null | sed -n 's/.* turns, \([0-9.]*\) s, RTF [0-9.]*, CPU \([0-9.]*\) s$/\1 \2/p')
        engine=$wall ;;
      pod | router)
        [ "$variant" = pod ] && port=$pod_port || port=$router_port
        cpu_before=$(echo "$(cpu_seconds "$pod_pid") + $(cpu_seconds "$router_pid")" | bc -l)
        engine_before=$(engine_seconds)
        start=$(date +%s.%N)
        diarize "http://127.0.0.1:$port/v1/audio/diarizations" "$file" >"$out/$variant.rttm"
        wall=$(seconds_since "$start")
        cpu=$(echo "$(cpu_seconds "$pod_pid") + $(cpu_seconds "$router_pid") - $cpu_before" | bc -l)
        engine=$(echo "$(engine_seconds) - $engine_before" | bc -l) ;;
    esac
    printf '%s\t%s\t%.2f\t%.2f\t%.3f\n' "$round" "$variant" "$wall" "$cpu" "$engine" | tee -a "$log"
  done
  variants=("${variants[@]:1}" "${variants[0]}")
done

# The hop alone, without the engine: the form with a diarized_json transcript, which the pod answers from the
# transcript once the form is in, through the pod and through the router (median of the last 10 of 12). The router's
# figure is its own intake, then its sending the form on while the pod takes it in.
transcript="$out/diarized.json"
printf '%s' '{"task": "transcribe", "duration": 2.0, "text": "Hello?", "segments": [{"type": "transcript.text.segment",
 "id": "seg_0", "start": 1.0, "end": 2.0, "text": " Hello?", "speaker": "A"}]}' >"$transcript"
hop() { # port
  for _ in $(seq 12); do
    curl -sf -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$1/v1/audio/diarizations" -F "file=@$file" \
      -F "transcript=@$transcript;type=application/json"
  done | tail -n 10 | sort -n | awk '{ v[NR] = $1 } END { printf "%.6f", (v[5] + v[6]) / 2 }'
}
pod_hop=$(hop "$pod_port")
router_hop=$(hop "$router_port")

# The 60-minute session through the pod: its peak resident memory.
long="$work/session-60min.wav"
start=$(date +%s.%N)
diarize "http://127.0.0.1:$pod_port/v1/audio/diarizations" "$long" >"$out/60min.rttm" &
client=$!
peak=0
while kill -0 "$client" 2>/dev/null; do
  rss=$(awk '/VmHWM/ { print $2 }' "/proc/$pod_pid/status")
  [ "$rss" -gt "$peak" ] && peak=$rss
  sleep 0.5
done
wait "$client"
long_wall=$(seconds_since "$start")

awk -F'\t' -v f="$(basename "$file")" -v d="$duration" -v ld="$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$long")" \
  -v lw="$long_wall" -v peak="$peak" -v cores="$(nproc)" -v ph="$pod_hop" -v rh="$router_hop" "$MEDIAN_AWK"'
  NR > 1 { wall[$1, $2] = $3; cpu[$1, $2] = $4; engine[$1, $2] = $5; if ($1 > rounds) rounds = $1 }
  END {
    printf "%s, %.1f s of audio, %d rounds, %d cores (embedded engine, no speaker count)\n", f, d, rounds, cores
    split("bare pod router", names, " ")
    for (v = 1; v <= 3; v++) {
      for (r = 1; r <= rounds; r++) { w[r] = wall[r, names[v]]; c[r] = cpu[r, names[v]] }
      printf "%-7s median wall %7.2f s, RTF %.4f, CPU %7.2f s\n", names[v], median(w, rounds), median(w, rounds) / d, median(c, rounds)
    }
    for (v = 2; v <= 3; v++) {
      for (r = 1; r <= rounds; r++) { w[r] = wall[r, names[v]] / wall[r, "bare"]; c[r] = cpu[r, names[v]] / cpu[r, "bare"] }
      printf "%-7s over the bare engine, median of the rounds: wall %+.2f%%, CPU %+.2f%%\n", names[v], (median(w, rounds) - 1) * 100, (median(c, rounds) - 1) * 100
    }
    for (r = 1; r <= rounds; r++) { w[r] = wall[r, "router"] / wall[r, "pod"]; c[r] = cpu[r, "router"] / cpu[r, "pod"] }
    printf "router  over the pod, run next to it in each round, median of the rounds: wall %+.2f%%, CPU %+.2f%%\n", (median(w, rounds) - 1) * 100, (median(c, rounds) - 1) * 100
    for (v = 2; v <= 3; v++) {
      for (r = 1; r <= rounds; r++) { w[r] = wall[r, names[v]] - engine[r, names[v]]; c[r] = w[r] / engine[r, names[v]] }
      printf "%-7s beyond the time of the pod engine in that request, median of the rounds: %.3f s, %+.2f%%\n", names[v], median(w, rounds), median(c, rounds) * 100
    }
    for (r = 1; r <= rounds; r++) w[r] = wall[r, "bare"]
    printf "the hop alone (the form answered from a diarized_json transcript, median of 10): pod %s s, router %s s;", ph, rh
    printf " the router adds %.6f s, %.2f%% of the bare engine median wall\n", rh - ph, (rh - ph) / median(w, rounds) * 100
    printf "session-60min.wav, %.1f s of audio through the pod (-Xmx1g): wall %.2f s, RTF %.4f, peak RSS %.1f MiB\n", ld, lw, lw / ld, peak / 1024
  }' "$log" | tee "$results/diarization-speed.txt"
