#!/usr/bin/env bash
# Router load benchmark: requests/s and p50/p99 of the upstream directly, of an nginx reverse proxy to
# it (the one-hop floor) and of Tiergate; then a fallback (first backend 503, second healthy) through
# nginx and through Tiergate; then Tiergate with quota tracking on Redis. Loopback only, bounded time.
#   bench/router-load.sh [seconds per measurement, default 10]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-10}
# The JIT keeps compiling a Quarkus router for about 20 s under full load, and much longer at one
# connection: each router is warmed at full load once, then every measurement gets a short warm-up.
warmup=${WARMUP_SECONDS:-25}
settle=${SETTLE_SECONDS:-5}
work=$(mktemp -d)
mkdir -p "$work/logs" "$root/bench/results"
results="$root/bench/results/latest.txt"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

need=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

jar="$root/router-service/target/quarkus-app/quarkus-run.jar"
[ -f "$jar" ] || "$root/mvnw" -B -q -DskipTests package -pl router-service -am -f "$root/pom.xml"

upstream=19101 failing=19102 proxy=19103 nginx_fallback=19104
router=19180 router_fallback=19181 router_quota=19182 redis=19179

completion='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"bench-small","choices":[{"index":0,"message":{"role":"assistant","content":"At the bridge the party bargained with the troll, paid the toll in riddles and crossed before the storm broke."},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":41,"completion_tokens":27,"total_tokens":68},"system_fingerprint":"fp_bench"}'

cat >"$work/nginx.conf" <<EOT
worker_processes 1;
error_log $work/logs/nginx-error.log warn;
pid $work/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  upstream healthy { server 127.0.0.1:$upstream; keepalive 64; }
  upstream failing_then_healthy { server 127.0.0.1:$failing max_fails=0; server 127.0.0.1:$upstream backup; keepalive 64; }
  server {
    listen 127.0.0.1:$upstream;
    location / { default_type application/json; return 200 '$completion'; }
  }
  server {
    listen 127.0.0.1:$failing;
    location / { default_type application/json; return 503 '{"error":{"message":"overloaded","type":"server_error"}}'; }
  }
  server {
    listen 127.0.0.1:$proxy;
    location / { proxy_pass http://healthy; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
  server {
    listen 127.0.0.1:$nginx_fallback;
    location / {
      proxy_pass http://failing_then_healthy; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_next_upstream error timeout http_503 non_idempotent;
    }
  }
}
EOT
"$nginx_bin" -p "$work" -c "$work/nginx.conf"

# One router per scenario, each with its own working directory holding config/application.yaml.
start_router() {
  local name=$1 port=$2 config=$3
  mkdir -p "$work/$name/config"
  printf '%s\n' "$config" >"$work/$name/config/application.yaml"
  (cd "$work/$name"
    java -XX:+UseParallelGC -Xms512m -Xmx512m -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" -Dquarkus.log.level=WARN \
      -Dquarkus.log.console.json.enabled=false -Dquarkus.redis.hosts="redis://127.0.0.1:$redis" \
      -jar "$jar" >"$work/logs/$name.log" 2>&1 &
    echo $! >"$work/$name.pid")
  pids+=("$(cat "$work/$name.pid")")
}

redis-server --port "$redis" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >"$work/logs/redis.log" 2>&1 &
pids+=($!)

start_router direct $router "tiergate:
  providers:
    upstream:
      protocol: openai
      base-url: http://127.0.0.1:$upstream/v1
      capabilities: [chat]
      tiers: [simple, medium, complex]
      local: true
      models: { simple: bench-small }"

# max-retries 0 so one fallback is exactly one extra hop, and a breaker that never opens so every
# request pays for the failing backend, as nginx does.
start_router fallback $router_fallback "tiergate:
  router:
    dispatch:
      max-retries: 0
      breaker: { failure-threshold: 1000000000 }
  providers:
    failing:
      protocol: openai
      base-url: http://127.0.0.1:$failing/v1
      capabilities: [chat]
      tiers: [simple, medium, complex]
      priority: 1
      local: true
    healthy:
      protocol: openai
      base-url: http://127.0.0.1:$upstream/v1
      capabilities: [chat]
      tiers: [simple, medium, complex]
      priority: 2
      local: true"

start_router quota $router_quota "BENCH_KEY_A: bench-key-a
BENCH_KEY_B: bench-key-b
tiergate:
  providers:
    upstream:
      protocol: openai
      base-url: http://127.0.0.1:$upstream/v1
      capabilities: [chat]
      tiers: [simple, medium, complex]
      models: { simple: bench-small }
      accounts:
        org-a:
          api-key-env: BENCH_KEY_A
          limits: { requests: { per-day: 1000000000 }, tokens: { per-day: 1000000000000 } }
        org-b:
          api-key-env: BENCH_KEY_B
          limits: { requests: { per-day: 1000000000 }, tokens: { per-day: 1000000000000 } }"

for port in $router $router_fallback $router_quota; do
  for _ in $(seq 120); do
    curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null || { echo "router on $port did not start" >&2; cat "$work"/logs/*.log >&2; exit 1; }
done
check=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"messages":[{"role":"user","content":"hi"}]}' "http://127.0.0.1:$router_quota/v1/chat/completions")
[ "$check" = 200 ] || { echo "quota router answered $check" >&2; exit 1; }

# measure NAME PORT CONNECTIONS -> "name connections req/s p50_ms p99_ms"
measure() {
  local name=$1 port=$2 connections=$3 threads=2 out
  [ "$connections" -eq 1 ] && threads=1
  wrk -t"$threads" -c"$connections" -d"${settle}s" -s "$root/bench/chat-request.lua" "http://127.0.0.1:$port/v1/chat/completions" >/dev/null
  out=$(wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s "$root/bench/chat-request.lua" \
    "http://127.0.0.1:$port/v1/chat/completions")
  if echo "$out" | grep -q "Non-2xx"; then
    echo "$name: non-2xx answers during the run" >&2
    echo "$out" >&2
    exit 1
  fi
  printf '%s %s %s %s %s\n' "$name" "$connections" \
    "$(echo "$out" | awk '/Requests\/sec/ {print $2}')" \
    "$(echo "$out" | awk '$1 == "50%" {print $2}' | to_ms)" \
    "$(echo "$out" | awk '$1 == "99%" {print $2}' | to_ms)"
}

to_ms() {
  awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v = v / 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v = v * 1000 }; printf "%.3f", v }'
}

for port in $router $router_fallback $router_quota; do
  wrk -t2 -c32 -d"${warmup}s" -s "$root/bench/chat-request.lua" "http://127.0.0.1:$port/v1/chat/completions" >/dev/null
done

rows=()
for connections in 1 32; do
  rows+=("$(measure upstream-direct $upstream $connections)")
  rows+=("$(measure nginx-proxy $proxy $connections)")
  rows+=("$(measure tiergate $router $connections)")
  rows+=("$(measure nginx-fallback $nginx_fallback $connections)")
  rows+=("$(measure tiergate-fallback $router_fallback $connections)")
  rows+=("$(measure tiergate-quota $router_quota $connections)")
done

value() { printf '%s\n' "${rows[@]}" | awk -v n="$1" -v c="$2" -v f="$3" '$1 == n && $2 == c {print $f}'; }

{
  echo "Tiergate router load benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, ${seconds}s per run after ${settle}s warm-up (routers warmed ${warmup}s at 32 connections first)"
  echo
  printf '%-18s %5s %12s %10s %10s\n' target conns 'req/s' 'p50 ms' 'p99 ms'
  printf '%s\n' "${rows[@]}" | awk '{printf "%-18s %5s %12.0f %10.3f %10.3f\n", $1, $2, $3, $4, $5}'
  echo
  awk -v dp50="$(value upstream-direct 1 4)" -v dp99="$(value upstream-direct 1 5)" \
      -v tp50="$(value tiergate 1 4)" -v tp99="$(value tiergate 1 5)" \
      -v trps="$(value tiergate 32 3)" -v nrps="$(value nginx-proxy 32 3)" \
      -v qrps="$(value tiergate-quota 32 3)" -v qp50="$(value tiergate-quota 1 4)" \
      -v nf50="$(value nginx-fallback 1 4)" -v tf50="$(value tiergate-fallback 1 4)" \
      -v nfrps="$(value nginx-fallback 32 3)" -v tfrps="$(value tiergate-fallback 32 3)" 'BEGIN {
    printf "1 connection: Tiergate adds %.3f ms p50 and %.3f ms p99 over direct (targets <= 0.5 and <= 2)\n", tp50 - dp50, tp99 - dp99
    printf "32 connections: Tiergate %.0f req/s (target >= 8600), %.0f%% of the nginx proxy (target >= 25%%)\n", trps, 100 * trps / nrps
    printf "fallback at 1 connection: overhead over direct p50 nginx %.3f ms, Tiergate %.3f ms, ratio %.2f (target <= 2)\n", nf50 - dp50, tf50 - dp50, (tf50 - dp50) / (nf50 - dp50)
    printf "fallback at 32 connections: nginx %.0f req/s, Tiergate %.0f req/s\n", nfrps, tfrps
    printf "quota tracking on (blocks of calls reserved on Redis and settled per block): %.0f req/s at 32 connections, p50 %.3f ms at 1\n", qrps, qp50
  }'
} | tee "$results"
