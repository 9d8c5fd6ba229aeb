# Sourced by the speech benchmarks: the services they start on loopback ports, and the median their summaries take.
# The sourcing script sets $root (the repository) and keeps the pids it must stop in the array pids.

# wait_ready URL: waits up to two minutes for a readiness endpoint to answer.
wait_ready() {
  for _ in $(seq 600); do
    curl -sf -m 2 "$1" >/dev/null 2>&1 && return
    sleep 0.2
  done
  echo "not ready: $1" >&2
  exit 1
}

# start_service MODULE PORT DIR [java options...]: the module's jar on 127.0.0.1:PORT, run in DIR (where it reads
# config/application.yaml) with its log in DIR/MODULE.log; returns once it is ready, its pid in $service_pid.
start_service() {
  local module=$1 port=$2 dir=$3
  shift 3
  mkdir -p "$dir"
  (cd "$dir" && exec java -Dquarkus.http.port="$port" -Dquarkus.http.host=127.0.0.1 -Dquarkus.log.level=WARN "$@" \
    -jar "$root/$module/target/quarkus-app/quarkus-run.jar") >"$dir/$module.log" 2>&1 &
  service_pid=$!
  pids+=("$service_pid")
  wait_ready "http://127.0.0.1:$port/q/health/ready"
}

# start_router_for CAPABILITY POD_PORT ROUTER_PORT DIR: a router whose only provider is the pod serving CAPABILITY
# (no accounts, so no quota), run in DIR; its pid in $router_pid.
start_router_for() {
  local capability=$1 pod_port=$2 router_port=$3 dir=$4
  mkdir -p "$dir/config"
  cat >"$dir/config/application.yaml" <<YAML
tiergate:
  providers:
    pod:
      protocol: pod
      base-url: http://127.0.0.1:$pod_port/v1
      health-url: http://127.0.0.1:$pod_port/q/health/ready
      capabilities: [$capability]
      tiers: [simple, medium, complex]
      local: true
      timeout: 3600s
YAML
  start_service router-service "$router_port" "$dir" -Xmx512m
  router_pid=$service_pid
}

# cpu_seconds PID: user + system CPU seconds the process has used so far, its waited-for children included.
cpu_seconds() {
  awk '{ printf "%.2f", ($14 + $15 + $16 + $17) / 100 }' "/proc/$1/stat"
}

# metric_sum PORT NAME: the sum over its labels of a service's Prometheus series NAME (e.g. a summary's _sum).
metric_sum() {
  curl -sf "http://127.0.0.1:$1/q/metrics" | awk -v name="$2" 'index($0, name "{") == 1 { sum += $2 } END { printf "%.9f", sum }'
}

# An awk function: the median of values[1..n] (sorts them in place).
# shellcheck disable=SC2034 # used by the sourcing scripts
MEDIAN_AWK='
  function median(values, n,   i, j, t) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (values[j] < values[i]) { t = values[i]; values[i] = values[j]; values[j] = t }
    return n % 2 ? values[(n + 1) / 2] : (values[n / 2] + values[n / 2 + 1]) / 2
  }'
