package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local report = require("report")
local token = os.getenv("TOKEN")
local counter = 0
local prios = {"none", "low", "medium", "high", "urgent"}
request = function()
  counter = counter + 1
  local body = string.format('{"title":"bench task %d","priority":"%s","tags":["work","bench"],"dueAt":"2027-%02d-%02dT09:00:00Z"}',
    counter, prios[counter % 5 + 1], counter % 12 + 1, counter % 28 + 1)
  return wrk.format("POST", "/api/tasks", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token}, body)
end
done = report.done(os.getenv("SCENARIO") or "create")
