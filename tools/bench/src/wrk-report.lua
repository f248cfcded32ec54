-- wrk script of the bench (https://github.com/wg/wrk/blob/master/SCRIPTING): an optional pace,
-- and one JSON line of results that src/load.ts parses.

-- WRK_PACE_MS: each connection waits this long (a mean, in ms) before its next request, so the
-- load arrives evenly at a fixed rate instead of as fast as the server answers. wrk's delay()
-- takes whole milliseconds; rounding up or down at random keeps the mean exact. Without it no
-- delay() exists: wrk then sends each next request at once (wrk checks for delay() when it loads
-- the script, so it is defined or not here, at the top level).
local pace_ms = tonumber(os.getenv("WRK_PACE_MS") or "")

if pace_ms ~= nil then
  function delay()
    local whole = math.floor(pace_ms)
    if math.random() < pace_ms - whole then
      return whole + 1
    end
    return whole
  end
end

-- Latency and duration are in microseconds.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"statusErrors":%d,"socketErrors":%d,"p50Us":%d,"p99Us":%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
