package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local report = require("report")
local token = os.getenv("TOKEN")
local ids = {}
for line in io.lines(os.getenv("IDS")) do ids[#ids + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/tasks/" .. ids[(i * 7919) % #ids + 1], {["Authorization"] = "Bearer " .. token})
end
done = report.done(os.getenv("SCENARIO") or "get")
