-- collatz.lua for LuaJIT, which has no `//` (m / 2 of an even m is exact there): five times over, the
-- steps from every n below 110,000 down to 1; prints the n with the most steps, its steps, and the steps
-- of all five rounds.
local total, most, best = 0, 0, 0
for _ = 1, 5 do
  most, best = 0, 0
  for n = 1, 110000 - 1 do
    local m, steps = n, 0
    while m ~= 1 do
      if m % 2 == 0 then m = m / 2 else m = 3 * m + 1 end
      steps = steps + 1
    end
    total = total + steps
    if steps > most then most, best = steps, n end
  end
end
print(best)
print(most)
print(total)
