package.path = os.getenv("BENCH_DIR") .. "/?.lua;" .. package.path
local report = require("report")
local token = os.getenv("TOKEN")
-- filtered and sorted: open, high or urgent, tagged work, due this year, by due date then priority
local paths = {
  "/api/tasks?priority=high&priority=urgent&tag=work&sort=dueAt,-priority&limit=50",
  "/api/tasks?hasDue=true&dueBefore=2027-07-01T00:00:00Z&sort=-priority,dueAt&limit=50",
  "/api/tasks?tag=home&sort=title&limit=50",
  "/api/tasks?limit=50",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[i % #paths + 1], {["Authorization"] = "Bearer " .. token})
end
done = report.done(os.getenv("SCENARIO") or "list")
