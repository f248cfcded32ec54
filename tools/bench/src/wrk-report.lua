-- wrk script of the bench (https://github.com/wg/wrk/blob/master/SCRIPTING): an optional pace,
-- and one JSON line of results that src/load.ts parses.

-- WRK_PACE_MS: each connection waits a random time with this mean (in ms) before its next
-- request, so that the load arrives at a fixed rate instead of as fast as the server answers.
-- The wait is exponentially distributed: the connections' requests then arrive as a Poisson
-- process, as independent clients' do, rather than in waves (with a constant wait, connections
-- that start together stay in step, and the last of each wave queues behind the others).
-- wrk's delay() takes whole milliseconds; rounding up or down at random keeps the mean exact.
-- Without WRK_PACE_MS no delay() exists: wrk then sends each next request at once (wrk checks
-- for delay() when it loads the script, so it is defined or not here, at the top level).
local pace_ms = tonumber(os.getenv("WRK_PACE_MS") or "")

if pace_ms ~= nil then
  function delay()
    -- 1 - random() is in (0, 1], so the logarithm is finite.
    local wait = -pace_ms * math.log(1 - math.random())
    local whole = math.floor(wait)
    if math.random() < wait - whole then
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
