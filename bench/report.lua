-- shared by every scenario: one summary line that run.sh collects
local M = {}
function M.done(name)
  return function(summary, latency, requests)
    local secs = summary.duration / 1e6
    local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
    io.write(string.format("RESULT %-22s %9.0f req/s  p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  max %8.2f ms  requests %d  errors %d\n",
      name, summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000, summary.requests, errors))
  end
end
return M
