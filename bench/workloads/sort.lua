-- Shell sort (gaps 1, 4, 13, ... as h = 3h + 1) of 1,000,000 pseudo-random numbers, in place, as sort.iasm
-- does; prints the first, middle and last numbers and the count of neighbours out of order (0).
local n = 1000000
local a = {}
local x = 42
for i = 1, n do
  x = x * 16807 % 127773
  a[i] = x
end
local h = 1
while h < math.floor(n / 3) do h = 3 * h + 1 end
while h > 0 do
  for i = h + 1, n do
    local v = a[i]
    local j = i
    while j > h and a[j - h] > v do
      a[j] = a[j - h]
      j = j - h
    end
    a[j] = v
  end
  h = math.floor(h / 3)
end
local bad = 0
for i = 2, n do
  if a[i - 1] > a[i] then bad = bad + 1 end
end
print(a[1])
print(a[n / 2 + 1])
print(a[n])
print(bad)
