-- W2: recursive fibonacci(32), as w2.iasm does; prints 2178309.
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
print(fib(32))
