-- wrk script: each connection alternates POST /v1/reservations and POST /v1/reservations/{id}/commit.
-- Ids granted on a thread are queued and committed by that thread's next request.

-- Globals, not locals: done() reads each thread's counts with thread:get().
pending = {}
reserves, commits, failures = 0, 0, 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer bench-service-token" -- tiergate.usage.service-token in bench.yaml
end

function request()
  local id = table.remove(pending)
  if id then
    return wrk.format("POST", "/v1/reservations/" .. id .. "/commit", nil, '{"tokens":90}')
  end
  return wrk.format("POST", "/v1/reservations", nil, '{"provider":"bench","tokens":100}')
end

function response(status, headers, body)
  if status == 201 then
    reserves = reserves + 1
    table.insert(pending, string.match(body, '"reservation_id":"([^"]+)"'))
  elseif status == 200 then
    commits = commits + 1
  else
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local r, c, f = 0, 0, 0
  for _, thread in ipairs(threads) do
    r = r + thread:get("reserves")
    c = c + thread:get("commits")
    f = f + thread:get("failures")
  end
  local seconds = summary.duration / 1e6
  io.write(string.format("reservations: %d  commits: %d  failures: %d  in %.1f s\n", r, c, f, seconds))
  io.write(string.format("RESULT service reserve+commit pairs/s: %.0f  (HTTP requests/s: %.0f, p50 %.2f ms, p99 %.2f ms)\n",
    c / seconds, summary.requests / seconds, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
