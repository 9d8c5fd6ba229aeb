#!/usr/bin/env bash
# End-to-end latency of ONE big classification request: a 1,000-line /v1/classifications call (the built-in ic-ooc
# task, lines taken at run time from the shared CRD3 episode) sent through the router to the classification pod,
# and the same request sent straight to the pod for comparison. Everything is started by the repo launcher
# (./tiergate up) on shifted ports with its own run directory, and stopped again (./tiergate down) on exit.
#   classification-service/bench/router-latency.sh [runs, default 5] [lines, default 1000]
# Environment: TIERGATE_PORT_OFFSET (default 20000), TIERGATE_RUN_DIR (default a fresh temporary directory),
# EPISODE (default ../shared/assets/rpg/crd3_C1E104.json beside the repo), CONTEXT=1 to send each line's previous
# turn as its context (twice the text to embed), WARMUP (requests per target before measuring, default 3).
# Other launcher variables (TIERGATE_SKIP_BUILD, TIERGATE_SERVICE_HEAP, ...) pass through to ./tiergate.
set -euo pipefail
module=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
root=$(dirname "$module")
runs=${1:-5}
lines=${2:-1000}
warmup=${WARMUP:-3}
export TIERGATE_PORT_OFFSET=${TIERGATE_PORT_OFFSET:-20000}
export TIERGATE_RUN_DIR=${TIERGATE_RUN_DIR:-$(mktemp -d -t tiergate-latency.XXXXXX)}
episode=${EPISODE:-$root/../shared/assets/rpg/crd3_C1E104.json}
router="http://127.0.0.1:$((8080 + TIERGATE_PORT_OFFSET))"
pod="http://127.0.0.1:$((8082 + TIERGATE_PORT_OFFSET))"
work=$(mktemp -d -t tiergate-latency-work.XXXXXX)
results="$module/bench/results/router-latency.txt"

[ -f "$episode" ] || { echo "The episode file $episode is missing (set EPISODE)" >&2; exit 1; }
command -v python3 >/dev/null 2>&1 || { echo "python3 is needed to build the request and read the answers" >&2; exit 1; }

cleanup() {
  "$root/tiergate" down >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# The request body: the episode's first $lines non-empty turns, speaker included, in order.
python3 - "$episode" "$lines" "${CONTEXT:-0}" >"$work/request.json" <<'EOF'
import json, sys
episode, limit, with_context = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1"
inputs, previous = [], None
for turn in json.load(open(episode, encoding="utf-8"))["TURNS"]:
    text = " ".join(turn["UTTERANCES"]).strip()
    if not text:
        continue
    speaker = ",".join(turn["NAMES"])
    line = {"speaker": speaker, "text": text}
    if with_context and previous:
        line["context"] = previous
    inputs.append(line)
    previous = speaker + ": " + text
    if len(inputs) == limit:
        break
if len(inputs) < limit:
    sys.exit(f"the episode has only {len(inputs)} non-empty turns")
json.dump({"task": "ic-ooc", "inputs": inputs}, sys.stdout)
EOF
echo "request: $lines lines, $(wc -c <"$work/request.json") bytes, context ${CONTEXT:-0}; run dir $TIERGATE_RUN_DIR"

"$root/tiergate" up >"$work/up.log" 2>&1 || { cat "$work/up.log" >&2; exit 1; }

# One request; prints its seconds after checking the status, the number of results and who answered.
send() {
  local url=$1 tag=$2
  local seconds
  seconds=$(curl -sS -o "$work/$tag.json" -D "$work/$tag.headers" -w '%{time_total}' \
    -H 'Content-Type: application/json' --data-binary @"$work/request.json" "$url/v1/classifications") || return 1
  python3 - "$work/$tag.json" "$work/$tag.headers" "$lines" "$tag" <<'EOF' >&2 || return 1
import json, sys
body, headers, lines, tag = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
header_lines = open(headers).read().splitlines()
status = header_lines[0]
if " 200" not in status:
    sys.exit(f"{tag}: {status}: {open(body).read()[:500]}")
answer = json.load(open(body))
decided = answer["decided_by"]
if len(answer["results"]) != lines or decided.get("local", 0) != lines:
    sys.exit(f"{tag}: expected {lines} lines decided locally, got {decided}")
if tag.startswith("router"):
    provider = [h for h in header_lines if h.lower().startswith("x-tiergate-provider:")]
    if not provider or "classifier" not in provider[0]:
        sys.exit(f"{tag}: not served by the classification pod: {header_lines}")
EOF
  echo "$seconds"
}

for i in $(seq "$warmup"); do
  send "$pod" "warm-pod" >/dev/null || exit 1
  send "$router" "warm-router" >/dev/null || exit 1
done

via_router=()
direct=()
for i in $(seq "$runs"); do
  # Alternate the two targets so that load from elsewhere on the machine falls on both alike.
  seconds=$(send "$router" "router-$i") || exit 1
  via_router+=("$seconds")
  seconds=$(send "$pod" "pod-$i") || exit 1
  direct+=("$seconds")
  echo "run $i: through the router ${via_router[-1]} s, straight to the pod ${direct[-1]} s"
done

summary=$(python3 - "${via_router[*]}" "${direct[*]}" "$lines" "$(nproc)" <<'EOF'
import statistics, sys
router, pod = ([float(x) for x in arg.split()] for arg in sys.argv[1:3])
lines, cores = sys.argv[3], sys.argv[4]
for name, xs in (("through the router", router), ("straight to the pod", pod)):
    med = statistics.median(xs)
    print(f"{name:20s} min {min(xs):.3f} s  median {med:.3f} s  max {max(xs):.3f} s  ({int(lines) / med:.0f} lines/s at the median)")
print(f"router overhead at the median: {statistics.median(router) - statistics.median(pod):+.3f} s ({len(router)} runs each, {cores} cores)")
EOF
)
echo "$summary"
mkdir -p "$(dirname "$results")"
{
  echo "# classification-service/bench/router-latency.sh $runs $lines (CONTEXT=${CONTEXT:-0}) at $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "$summary"
} >"$results"
