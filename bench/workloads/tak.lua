-- Takeuchi's function tak(29, 18, 9), as tak.iasm does; prints 18.
local function tak(x, y, z)
  if y < x then return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)) end
  return z
end
print(tak(29, 18, 9))
