-- W3 for LuaJIT, which has no integer division operator: math.floor(t / 3) is its idiom.
-- 50,000,000 iterations of acc += (i * 7) mod 3 with the remainder computed as in w3.iasm:
-- multiply, integer divide, multiply, subtract, add. Prints 49999999.
local floor = math.floor
local acc, i, n = 0, 0, 50000000
repeat
  local t = i * 7
  local q = floor(t / 3)
  acc = acc + (t - q * 3)
  i = i + 1
until not (i < n)
print(acc)
