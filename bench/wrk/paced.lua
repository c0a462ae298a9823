-- wrk script: a constant offered rate (BENCH_RATE requests/s shared by all threads), and for
-- POSTs a unique supporter per request with a valid CSRF cookie/token pair and form start time.
--
-- Environment: BENCH_RATE, BENCH_MODE (get | sign | journey), BENCH_PATH, BENCH_OUT (JSON file written
-- at the end), and for sign: BENCH_CSRF_COOKIE, BENCH_CSRF_TOKEN, BENCH_STARTED, BENCH_RUN_ID.
-- wrk measures latency from the moment a request is written, so pacing (delay) is not counted.

local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now()
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

local threads = {}
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
  table.insert(threads, thread)
end

local mode, path, interval, next_at, counter, run_id, fixed_headers, csrf_token, started

local function urlencode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  mode = os.getenv("BENCH_MODE") or "get"
  path = os.getenv("BENCH_PATH") or "/"
  local rate = tonumber(os.getenv("BENCH_RATE") or "100")
  local nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")
  interval = (rate > 0) and (nthreads / rate) or 0 -- BENCH_RATE=0: as fast as the server answers
  counter = 0
  run_id = os.getenv("BENCH_RUN_ID") or "r"
  if mode == "sign" or mode == "journey" then
    csrf_token = os.getenv("BENCH_CSRF_TOKEN")
    started = os.getenv("BENCH_STARTED") or ""
    fixed_headers = {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Cookie"] = "csrftoken=" .. os.getenv("BENCH_CSRF_COOKIE"),
    }
  end
end

-- Milliseconds to wait before the next request: each thread keeps its own schedule, so the whole
-- run offers BENCH_RATE/s whatever the latency (as long as enough connections are free).
function delay()
  if interval == 0 then return 0 end
  local t = now()
  if next_at == nil then next_at = t end
  next_at = next_at + interval
  if next_at < t - 1 then next_at = t end -- more than 1 s behind: the server is saturated; don't burst
  local wait = (next_at - t) * 1000
  if wait < 0 then return 0 end
  return wait
end

-- BENCH_MODE=journey: a signer's whole visit. Each sign POST's 302 carries the supporter cookie;
-- the next request on any connection is that signer's GET of thanks/ with it, as their browser
-- would follow the redirect. A response() function makes wrk parse every response, so it is
-- defined only in this mode.
local pending = {}
thanks_sent = 0 -- global, so done() can read each thread's count
if os.getenv("BENCH_MODE") == "journey" then
  response = function(status, headers, body)
    if status ~= 302 then return end
    for name, value in pairs(headers) do
      if string.lower(name) == "set-cookie" then
        local supporter = string.match(value, "supporter=([^;]+)")
        if supporter then table.insert(pending, supporter) end
      end
    end
  end
end

function request()
  if mode == "journey" and #pending > 0 then
    local supporter = table.remove(pending, 1)
    thanks_sent = thanks_sent + 1
    return wrk.format("GET", path .. "thanks/", {
      ["Cookie"] = fixed_headers["Cookie"] .. "; supporter=" .. supporter,
    })
  end
  if mode ~= "sign" and mode ~= "journey" then
    return wrk.format("GET", path)
  end
  counter = counter + 1
  local n = string.format("%s-%d-%d", run_id, thread_id, counter)
  local body = "csrfmiddlewaretoken=" .. urlencode(csrf_token)
    .. "&first_name=Bench&last_name=Supporter" .. counter
    .. "&email=" .. urlencode("b" .. n .. "@bench.example")
    .. "&city=San+Jose&country=US&postal_code=95110&consent=on&website="
    .. "&started=" .. urlencode(started) .. "&source=bench&ref="
  local headers = {}
  for k, v in pairs(fixed_headers) do headers[k] = v end
  -- A unique documentation-range address per supporter, as a load balancer would forward it.
  headers["X-Forwarded-For"] = string.format("2001:db8:%x:%x::%x", thread_id, math.floor(counter / 65536), counter % 65536)
  return wrk.format("POST", path, headers, body)
end

function done(summary, latency, requests)
  local out = os.getenv("BENCH_OUT")
  if not out then return end
  local e = summary.errors
  local thanks = 0
  for _, thread in ipairs(threads) do thanks = thanks + (thread:get("thanks_sent") or 0) end
  local f = io.open(out, "w")
  f:write(string.format(
    '{"duration_us": %d, "requests": %d, "thanks_sent": %d, "bytes": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d},'
      .. ' "latency_us": {"p50": %d, "p90": %d, "p95": %d, "p99": %d, "max": %d, "mean": %.1f}}\n',
    summary.duration, summary.requests, thanks, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
  f:close()
end
