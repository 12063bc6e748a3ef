-- Escape-time fractal: 1,200 x 800 points of [-2, 1) x [-1, 1), at most 200 iterations each, as
-- mandelbrot.iasm does; prints how many points stay bounded.
local inside = 0
local cy = -1.0
for row = 1, 800 do
  local cx = -2.0
  for column = 1, 1200 do
    local zx, zy = 0.0, 0.0
    local i = 0
    local escaped = false
    while i < 200 do
      local zx2, zy2 = zx * zx, zy * zy
      if zx2 + zy2 > 4.0 then
        escaped = true
        break
      end
      zy = zx * zy * 2.0 + cy
      zx = zx2 - zy2 + cx
      i = i + 1
    end
    if not escaped then inside = inside + 1 end
    cx = cx + 0.0025
  end
  cy = cy + 0.0025
end
print(inside)
