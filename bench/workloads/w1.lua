-- W1: count i from 0 to 200,000,000: add, compare, branch, as w1.iasm does (test after the increment).
local i, n = 0, 200000000
repeat
  i = i + 1
until not (i < n)
print(i)
