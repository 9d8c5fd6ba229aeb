#!/usr/bin/env bash
# Reservations+commits per second through the usage tracker (HTTP, wrk), beside redis-benchmark running the same
# quota.lua directly with EVALSHA (the floor), on this machine, in one run. Loopback only, bounded duration.
#
#   usage-tracker/bench/quota-bench.sh [seconds] [connections]
#
# Needs redis-server, redis-cli, redis-benchmark, wrk and a built tracker (it runs `package` when the jar is missing).
set -euo pipefail

SECONDS_PER_RUN=${1:-10}
CONNECTIONS=${2:-64}
HERE=$(cd "$(dirname "$0")" && pwd)
MODULE=$(dirname "$HERE")
REPO=$(dirname "$MODULE")
SCRIPT="$REPO/quota/src/main/resources/io/tiergate/quota/quota.lua"
JAR="$MODULE/target/quarkus-app/quarkus-run.jar"
WORK=$(mktemp -d)
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

if [[ ! -f "$JAR" ]]; then
  (cd "$REPO" && ./mvnw -B -q install -DskipTests -f common/pom.xml && ./mvnw -B -q install -DskipTests -f quota/pom.xml \
    && ./mvnw -B -q package -DskipTests -f usage-tracker/pom.xml)
fi

REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" --logfile "$WORK/redis.log" &
PIDS+=($!)
until redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; do sleep 0.05; done

echo "== machine: $(nproc) cores, $(redis-server --version | cut -d' ' -f3), $(java -version 2>&1 | head -1)"

# --- Floor: the same script straight into Redis -------------------------------------------------------------------
SHA=$(redis-cli -p "$REDIS_PORT" SCRIPT LOAD "$(cat "$SCRIPT")")
NOW=$(date +%s%3N)
MINUTE=$(( NOW / 60000 * 60000 )); DAY=$(( NOW / 86400000 * 86400000 ))
KEYS=("tiergate:quota:{bench}:a:usage" "tiergate:quota:{bench}:a:pending" "tiergate:quota:{bench}:a:held"
      "tiergate:quota:{bench}:b:usage" "tiergate:quota:{bench}:b:pending" "tiergate:quota:{bench}:b:held")
SETTLED="tiergate:quota:{bench}:settled"
LIMITS=(100000000 1000000000 100000000000 1000000000000 -1 -1)
REQUESTS=$(( 20000 * SECONDS_PER_RUN ))
echo "== redis-benchmark: EVALSHA $SHA (quota.lua), $CONNECTIONS connections, $REQUESTS calls each"
# One call per reservation (max-calls 1, share 1), as the tracker API reserves.
RESERVE=(EVALSHA "$SHA" 7 "${KEYS[@]}" "$SETTLED" reserve "$NOW" "$MINUTE" $((MINUTE + 60000)) "$DAY" $((DAY + 86400000))
         $((NOW + 300000)) r__rand_int__ 100 0 1 1 "${LIMITS[@]}" "${LIMITS[@]}")
COMMIT=(EVALSHA "$SHA" 4 "${KEYS[@]:0:3}" "$SETTLED" commit r__rand_int__ 90 0 "$MINUTE" "$DAY" 1 300000)
reserve_rps=$(redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -c "$CONNECTIONS" -n "$REQUESTS" -r 100000000 --csv "${RESERVE[@]}" \
  | tail -1 | cut -d, -f2 | tr -d '"')
commit_rps=$(redis-benchmark -h 127.0.0.1 -p "$REDIS_PORT" -c "$CONNECTIONS" -n "$REQUESTS" -r 100000000 --csv "${COMMIT[@]}" \
  | tail -1 | cut -d, -f2 | tr -d '"')
echo "RESULT redis-benchmark reserve (2 accounts) calls/s: $reserve_rps"
echo "RESULT redis-benchmark commit calls/s: $commit_rps"
python3 -c "r=$reserve_rps; c=$commit_rps; print(f'RESULT redis floor reserve+commit pairs/s: {1/(1/r+1/c):.0f}')"
redis-cli -p "$REDIS_PORT" FLUSHALL >/dev/null

# --- Through the service ------------------------------------------------------------------------------------------
HTTP_PORT=$(free_port)
java -Xms256m -Xmx512m \
  -Dquarkus.http.host=127.0.0.1 \
  -Dquarkus.http.port="$HTTP_PORT" \
  -Dquarkus.redis.hosts="redis://127.0.0.1:$REDIS_PORT" \
  -Dquarkus.config.locations="$HERE/bench.yaml" \
  -Dquarkus.log.console.json.enabled=false \
  -Dquarkus.log.level=WARN \
  -jar "$JAR" >"$WORK/tracker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 200); do
  curl -sf "http://127.0.0.1:$HTTP_PORT/q/health/ready" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$HTTP_PORT/q/health/ready" >/dev/null || { cat "$WORK/tracker.log"; exit 1; }

echo "== wrk: reserve then commit through http://127.0.0.1:$HTTP_PORT, 2 threads, $CONNECTIONS connections"
wrk -t2 -c"$CONNECTIONS" -d"${WARMUP:-15}s" -s "$HERE/reserve-commit.lua" "http://127.0.0.1:$HTTP_PORT" >/dev/null   # JIT warm-up
wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s "$HERE/reserve-commit.lua" "http://127.0.0.1:$HTTP_PORT" \
  | grep -E "^(reservations|RESULT)"
curl -s "http://127.0.0.1:$HTTP_PORT/v1/usage?provider=bench" | python3 -c '
import json,sys
u=json.load(sys.stdin)
for a in u["providers"][0]["accounts"]:
    w={(x["unit"],x["window"]):x for x in a["windows"]}
    print("   account %s: requests/day used %d reserved %d" % (a["account"], w[("requests","day")]["used"], w[("requests","day")]["reserved"]))'
