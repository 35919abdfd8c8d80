-- wrk script for the soak test (benchmarks/soak.py): every connection sends a mix of requests in turn, from a file
-- of lines `METHOD<TAB>PATH<TAB>DISTINCT<TAB>BODY` (BODY empty for GET).
--   WRK_REQUESTS         the file
--   WRK_ACCEPT_ENCODING  the browser's Accept-Encoding, sent with every request
--   WRK_RUN              a name unique to this run: a line with DISTINCT 1 (a callback body) gets a leading member
--                        Dash does not read, "_load": "<run>-<thread>-<count>", so the server's memoised answers
--                        never answer it and the callback runs; the others are sent as they are (repeat)
-- done() prints one line `WRK_JSON {...}`: counts, errors, the statuses seen and latency percentiles (microseconds).

local lines = {}
local position = 1
local sent = 0
statuses = {}  -- global: done() reads each thread's with thread:get
local run = os.getenv("WRK_RUN") or tostring(os.time())
local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("thread_id", #threads)
end

function init(args)
   local encoding = os.getenv("WRK_ACCEPT_ENCODING") or "gzip"
   for line in io.lines(os.getenv("WRK_REQUESTS")) do
      local method, path, distinct, body = line:match("^(%u+)\t([^\t]+)\t([01])\t(.*)$")
      if method then
         local headers = {["Accept-Encoding"] = encoding}
         if method == "POST" then
            headers["Content-Type"] = "application/json"
         end
         table.insert(lines, {
            method = method, path = path, distinct = distinct == "1", body = body, headers = headers,
            formatted = wrk.format(method, path, headers, method == "POST" and body or nil),
         })
      end
   end
   if #lines == 0 then
      error("no requests in WRK_REQUESTS")
   end
   position = (thread_id * 7) % #lines + 1  -- threads start at different lines
end

function request()
   local line = lines[position]
   position = position % #lines + 1
   if not line.distinct then
      return line.formatted
   end
   sent = sent + 1
   local body = '{"_load":"' .. run .. "-" .. thread_id .. "-" .. sent .. '",' .. string.sub(line.body, 2)
   return wrk.format(line.method, line.path, line.headers, body)
end

function response(status, headers, body)
   statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
   local seen = {}
   for _, thread in ipairs(threads) do
      for status, count in pairs(thread:get("statuses")) do
         seen[status] = (seen[status] or 0) + count
      end
   end
   local counts = {}
   for status, count in pairs(seen) do
      table.insert(counts, string.format('"%d": %d', status, count))
   end
   local percentiles = {}
   for _, p in ipairs({50, 95, 99, 99.9}) do
      table.insert(percentiles, string.format('"%s": %d', tostring(p), latency:percentile(p)))
   end
   io.write(string.format(
      'WRK_JSON {"duration_us": %d, "requests": %d, "bytes": %d, "errors": {"connect": %d, "read": %d, '
         .. '"write": %d, "status": %d, "timeout": %d}, "statuses": {%s}, "latency_us": {"min": %d, "max": %d, '
         .. '"mean": %.1f, "percentiles": {%s}}}\n',
      summary.duration, summary.requests, summary.bytes, summary.errors.connect, summary.errors.read,
      summary.errors.write, summary.errors.status, summary.errors.timeout, table.concat(counts, ", "), latency.min,
      latency.max, latency.mean, table.concat(percentiles, ", ")))
end
