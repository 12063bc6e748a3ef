-- Binary trees: 20 times, builds a complete tree of depth 16 (131,071 nodes) by recursion, then counts its
-- nodes by recursion, as trees.iasm does; prints the count of all.
local function make(depth)
  if depth == 0 then return {} end
  depth = depth - 1
  local left = make(depth)
  return { left, make(depth) }
end
local function count(node)
  local left = node[1]
  if not left then return 1 end
  return 1 + count(left) + count(node[2])
end
local total = 0
for _ = 1, 20 do total = total + count(make(16)) end
print(total)
