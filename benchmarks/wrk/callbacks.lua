-- wrk script for benchmarks/load.py: POSTs recorded Dash callback bodies to /_dash-update-component in turn.
--
-- Environment (set by load.py):
--   WRK_BODIES           a file with one JSON request body per line (from benchmarks/payloads/)
--   WRK_ACCEPT_ENCODING  the browser's Accept-Encoding recorded with them (compression is part of the cost)
--   WRK_DISTINCT=1       make every request body unique with a leading "_load" member that Dash does not read, so
--                        the server's memoised answers (kept per request body) never answer: the callback runs
--   WRK_RUN              a name unique to this run, part of every "_load" value (later runs against the same server
--                        must not repeat an earlier run's bodies, which the server would answer from memory)
--   WRK_THINK_MS         a mean think time: every request waits a random (exponential) delay before it is sent
-- done() prints one line `WRK_JSON {...}` with the counts and latency percentiles (microseconds) for load.py.

local path = "/_dash-update-component"
local bodies = {}
local formatted = {}
local headers = {}
local position = 1
local sent = 0
local distinct = os.getenv("WRK_DISTINCT") == "1"
local run = os.getenv("WRK_RUN") or tostring(os.time())
local think_ms = tonumber(os.getenv("WRK_THINK_MS") or "0")
local thread_count = 0

function setup(thread)
   thread_count = thread_count + 1
   thread:set("thread_id", thread_count)
end

function init(args)
   headers["Content-Type"] = "application/json"
   headers["Accept-Encoding"] = os.getenv("WRK_ACCEPT_ENCODING") or "gzip"
   for body in io.lines(os.getenv("WRK_BODIES")) do
      if #body > 0 then
         table.insert(bodies, body)
         table.insert(formatted, wrk.format("POST", path, headers, body))
      end
   end
   if #bodies == 0 then
      error("no request bodies in WRK_BODIES")
   end
   position = thread_id % #bodies + 1  -- threads start at different bodies
   math.randomseed(thread_id)
end

function request()
   local index = position
   position = position % #bodies + 1
   if not distinct then
      return formatted[index]
   end
   sent = sent + 1
   local body = '{"_load":"' .. run .. "-" .. thread_id .. "-" .. sent .. '",' .. string.sub(bodies[index], 2)
   return wrk.format("POST", path, headers, body)
end

if think_ms > 0 then
   function delay()
      return math.floor(-think_ms * math.log(1 - math.random()))
   end
end

function done(summary, latency, requests)
   local percentiles = {}
   for _, p in ipairs({50, 75, 90, 95, 99, 99.9}) do
      table.insert(percentiles, string.format('"%s": %d', tostring(p), latency:percentile(p)))
   end
   io.write(string.format(
      'WRK_JSON {"duration_us": %d, "requests": %d, "bytes": %d, "errors": {"connect": %d, "read": %d, '
         .. '"write": %d, "status": %d, "timeout": %d}, "latency_us": {"min": %d, "max": %d, "mean": %.1f, '
         .. '"stdev": %.1f, "percentiles": {%s}}}\n',
      summary.duration, summary.requests, summary.bytes, summary.errors.connect, summary.errors.read,
      summary.errors.write, summary.errors.status, summary.errors.timeout, latency.min, latency.max, latency.mean,
      latency.stdev, table.concat(percentiles, ", ")))
end
