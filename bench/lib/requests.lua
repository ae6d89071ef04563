-- wrk script: cycles through the requests listed in $BENCH_REQUESTS and writes a JSON summary
-- (latency percentiles in microseconds, errors, status codes) to $BENCH_WRK_OUT.
--
-- One request per line, tab separated: METHOD, PATH, TOKEN (may be empty), BODY (may be empty).
-- "{{SEQ}}" in a body becomes a value unique to the request (thread id and counter), so write
-- requests such as assessments create a new row every time (BENCH_RUN_ID keeps runs apart).

local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

local reqs, n, i, seq
local run_id = os.getenv("BENCH_RUN_ID") or "run"

function init(args)
  reqs = {}
  for line in io.lines(os.getenv("BENCH_REQUESTS")) do
    local method, path, token, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
    if method then
      local headers = {}
      if token ~= "" then
        headers["Authorization"] = "Bearer " .. token
      end
      if body ~= "" then
        headers["Content-Type"] = "application/json"
      else
        body = nil
      end
      local r = { method = method, path = path, headers = headers, body = body }
      if body and body:find("{{SEQ}}", 1, true) then
        r.dynamic = true
      else
        r.raw = wrk.format(method, path, headers, body)
      end
      table.insert(reqs, r)
    end
  end
  n = #reqs
  -- Threads start at different places so they do not send the same keys in lockstep.
  i = ((id - 1) * math.floor(n / 2)) % n
  seq = 0
  codes = {}
  details = {}
end

function request()
  i = i % n + 1
  local r = reqs[i]
  if r.dynamic then
    seq = seq + 1
    local body = r.body:gsub("{{SEQ}}", run_id .. "-" .. id .. "-" .. seq)
    return wrk.format(r.method, r.path, r.headers, body)
  end
  return r.raw
end

-- Counting status codes makes wrk parse every response: only when asked.
if os.getenv("BENCH_CODES") == "1" then
  function response(status, headers, body)
    codes[status] = (codes[status] or 0) + 1
    -- For errors, also which problem: the problem+json detail says why (e.g. pool full vs timeout).
    if status >= 400 then
      local detail = body and body:match('"detail"%s*:%s*"([^"]*)"') or "?"
      local key = status .. " " .. detail
      details[key] = (details[key] or 0) + 1
    end
    -- An overload answer must tell the client when to come back.
    if status == 503 and not (headers["Retry-After"] or headers["retry-after"]) then
      codes["503 without Retry-After"] = (codes["503 without Retry-After"] or 0) + 1
    end
  end
end

function done(summary, latency, requests)
  local function merge(name)
    local merged = {}
    for _, t in ipairs(threads) do
      local c = t:get(name)
      if c then
        for k, v in pairs(c) do
          merged[tostring(k)] = (merged[tostring(k)] or 0) + v
        end
      end
    end
    local parts = {}
    for k, v in pairs(merged) do
      table.insert(parts, string.format('"%s":%d', (k:gsub('[%c"\\]', ' ')), v))
    end
    return table.concat(parts, ",")
  end
  local e = summary.errors
  local f = assert(io.open(os.getenv("BENCH_WRK_OUT"), "w"))
  f:write(string.format(
    '{"requests":%d,"durationUs":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latencyUs":{"min":%d,"mean":%.1f,"max":%d,"p50":%d,"p90":%d,"p95":%d,"p99":%d,"p999":%d},' ..
    '"codes":{%s},"errorDetails":{%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency:percentile(99.9),
    merge("codes"), merge("details")))
  f:close()
end
