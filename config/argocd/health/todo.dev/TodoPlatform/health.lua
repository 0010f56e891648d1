-- Argo CD health check for todo.dev/TodoPlatform (resource.customizations.health.todo.dev_TodoPlatform).
-- Healthy: Ready is True for the current generation. Degraded: the operator says waiting will not
-- help (phase Degraded) for the current generation. Progressing: anything else, including a status
-- written for an older generation (the operator has not looked at the latest spec yet).
-- Argo CD runs gopher-lua (Lua 5.1): no goto, no integer division, no bit operators.
local hs = { status = "Progressing", message = "Waiting for the operator to report a status" }

if obj.status == nil then
  return hs
end

local generation = obj.metadata.generation
local observed = obj.status.observedGeneration
if generation ~= nil and (observed == nil or observed < generation) then
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local ready = nil
if obj.status.conditions ~= nil then
  for _, condition in ipairs(obj.status.conditions) do
    if condition.type == "Ready" then
      ready = condition
    end
  end
end

-- A Ready condition carries its own observedGeneration; an older one is as stale as the status.
if ready ~= nil and generation ~= nil and ready.observedGeneration ~= nil and ready.observedGeneration < generation then
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local detail = ""
if ready ~= nil and ready.message ~= nil then
  detail = ready.message
end

if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = detail
  if obj.status.url ~= nil then
    hs.message = "Serving " .. obj.status.url
  end
  return hs
end

if obj.status.phase == "Degraded" then
  hs.status = "Degraded"
  hs.message = detail
  if ready ~= nil and ready.reason ~= nil then
    hs.message = ready.reason .. ": " .. detail
  end
  return hs
end

if detail ~= "" then
  hs.message = detail
elseif obj.status.phase ~= nil then
  hs.message = "Phase " .. obj.status.phase
end
return hs
