-- Sieve of Eratosthenes over an array of 4,000,000 numbers (1 = composite), four times (the array
-- cleared before each), as sieve.iasm does; prints the count of primes below 4,000,000: 283146.
local N = 4000000
local flags = {}
local primes
for _ = 1, 4 do
  for k = 1, N do flags[k] = 0 end
  local i = 2
  while i * i < N do
    if flags[i + 1] == 0 then
      for j = i * i, N - 1, i do flags[j + 1] = 1 end
    end
    i = i + 1
  end
  primes = 0
  for k = 2, N - 1 do primes = primes + 1 - flags[k + 1] end
end
print(primes)
