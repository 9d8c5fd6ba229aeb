#!/usr/bin/env bash
# Diarization error rate and real-time factor of the diarization pod's embedded engine: each recording is diarized
# with no speaker count given and its RTTM scored against the reference beside it (<name>.rttm) by NIST md-eval,
# over the whole recording (a UEM from 0 to its duration), overlap scored, with no collar and with a 0.25 s collar.
#   bench/speech/diarization-bench.sh [recording.wav ...]
# Defaults to the two clips in ../shared/assets/diarization; bench/speech/make-sessions.sh builds longer sessions
# (bench/speech/out/session-10min.wav) to add. Engine settings other than the defaults go in JAVA_OPTS as system
# properties named as EmbeddedSettings' components (JAVA_OPTS="-DmaxSegmentSeconds=1 -DnumSpeakers=2").
# Needs ffmpeg and md-eval.pl (apt-get install ffmpeg sctk); RTTMs go to bench/speech/out/diarization/.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
md_eval=${MD_EVAL:-/usr/lib/sctk/bin/md-eval.pl}
[ -x "$md_eval" ] || { echo "md-eval.pl not found at $md_eval (apt-get install sctk)" >&2; exit 1; }
if [ $# -eq 0 ]; then
  set -- "$root/../shared/assets/diarization/ami_dev00.wav" "$root/../shared/assets/diarization/pyannote_sample.wav"
fi
out="$root/bench/speech/out/diarization"
mkdir -p "$out"

cd "$root"
# The package phase also writes the module's test class path (the runner is test code) to target/test-classpath.txt.
./mvnw -B -q -o -pl diarization-service -am -DskipTests package
module="$root/diarization-service/target"
classpath="$module/test-classes:$module/classes:$(cat "$module/test-classpath.txt")"

args=()
for wav in "$@"; do
  name=$(basename "$wav" .wav)
  reference="${wav%.wav}.rttm"
  [ -f "$reference" ] || { echo "no reference $reference" >&2; exit 1; }
  uri=$(awk '$1 == "SPEAKER" { print $2; exit }' "$reference")
  duration=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$wav")
  echo "$uri 1 0.000 $duration" > "$out/$name.uem"
  args+=("$wav" "$uri" "$out/$name.hyp.rttm")
done

# shellcheck disable=SC2086 # JAVA_OPTS holds several options
java ${JAVA_OPTS:-} -cp "$classpath" io.tiergate.diarization.bench.DiarizationBench "${args[@]}" 2>/dev/null \
  | tee "$out/timing.txt"

der() { # reference hypothesis uem collar
  "$md_eval" -c "$4" -u "$3" -r "$1" -s "$2" 2>/dev/null \
    | awk '/OVERALL SPEAKER DIARIZATION ERROR/ { print $6 }'
}
printf '%-22s %9s %12s %8s\n' recording "DER c=0" "DER c=0.25" RTF
for wav in "$@"; do
  name=$(basename "$wav" .wav)
  rtf=$(awk -v n="$name.wav:" '$1 == n { for (i = 2; i < NF; i++) if ($(i - 1) == "RTF") print $i + 0 }' "$out/timing.txt")
  printf '%-22s %8s%% %11s%% %8s\n' "$name" \
    "$(der "${wav%.wav}.rttm" "$out/$name.hyp.rttm" "$out/$name.uem" 0)" \
    "$(der "${wav%.wav}.rttm" "$out/$name.hyp.rttm" "$out/$name.uem" 0.25)" "$rtf"
done
