-- W3: 50,000,000 iterations of acc += (i * 7) mod 3 with the remainder computed as in w3.iasm:
-- multiply, integer divide, multiply, subtract, add. Prints 49999999.
local acc, i, n = 0, 0, 50000000
repeat
  local t = i * 7
  local q = t // 3
  acc = acc + (t - q * 3)
  i = i + 1
until not (i < n)
print(acc)
