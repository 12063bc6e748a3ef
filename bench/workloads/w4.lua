-- W4 peer: compile (load, not run) generated Lua chunks, one per file argument, as
-- bench/assemble_workload.ts assembles the equivalent Iridium chunks. Reads every file first, then
-- prints one line: lines compiled, milliseconds of CPU time (os.clock) spent in load().
local sources, lines = {}, 0
for i = 1, #arg do
  local file = assert(io.open(arg[i], "rb"))
  sources[i] = file:read("a")
  file:close()
  for _ in sources[i]:gmatch("\n") do lines = lines + 1 end
end
local start = os.clock()
for i = 1, #sources do
  assert(load(sources[i], arg[i]))
end
print(lines, (os.clock() - start) * 1000)
