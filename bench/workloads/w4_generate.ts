/**
 * W4's generated source: `lines` lines of Iridium assembly and the equivalent Lua, one statement per line
 * in both, from the same seeded choices. Statements: register arithmetic, loads, inc/dec, comparisons,
 * conditional jumps to labels (forward and backward), prints, and labels on about one line in ten.
 * Immediates stay below 65536 so every line is exactly one 4-byte instruction.
 */

/** One generated chunk in both languages. */
export interface GeneratedChunk {
  iasm: string;
  lua: string;
}

/** Generates a chunk of `lines` statements from `seed`. */
export function generateChunk(lines: number, seed: number): GeneratedChunk {
  let state = seed >>> 0;
  const random = (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.floor((state / 4294967296) * n);
  };
  const labels = Math.max(1, Math.floor(lines / 10));
  const iasm: string[] = [];
  const lua: string[] = ["local r0, r1, r2, r3, r4, r5, r6, r7 = 0, 0, 0, 0, 0, 0, 0, 0", "local f = false"];
  let nextLabel = 0;
  for (let i = 0; i < lines; i++) {
    const a = random(8), b = random(8), c = random(8);
    const labelHere = nextLabel < labels && random(10) === 0;
    const iasmLabel = labelHere ? `l${nextLabel}: ` : "";
    const luaLabel = labelHere ? `::l${nextLabel}:: ` : "";
    if (labelHere) nextLabel++;
    const kind = random(20);
    let ia: string, lu: string;
    if (kind < 3) [ia, lu] = [`add $${a} $${b} $${c}`, `r${c} = r${a} + r${b}`];
    else if (kind < 5) [ia, lu] = [`sub $${a} $${b} $${c}`, `r${c} = r${a} - r${b}`];
    else if (kind < 7) [ia, lu] = [`mul $${a} $${b} $${c}`, `r${c} = r${a} * r${b}`];
    else if (kind < 10) {
      const value = random(65536);
      [ia, lu] = [`load $${a} #${value}`, `r${a} = ${value}`];
    } else if (kind < 12) [ia, lu] = [`inc $${a}`, `r${a} = r${a} + 1`];
    else if (kind < 13) [ia, lu] = [`dec $${a}`, `r${a} = r${a} - 1`];
    else if (kind < 15) [ia, lu] = [`lt $${a} $${b}`, `f = r${a} < r${b}`];
    else if (kind < 16) [ia, lu] = [`eq $${a} $${b}`, `f = r${a} == r${b}`];
    else if (kind < 19) {
      const target = random(labels);
      [ia, lu] = [`djmpe @l${target}`, `if f then goto l${target} end`];
    } else [ia, lu] = [`prti $${a}`, `print(r${a})`];
    iasm.push(`${iasmLabel}${ia}`);
    lua.push(`${luaLabel}${lu}`);
  }
  // Labels the dice did not place still need a home, so every jump resolves.
  for (; nextLabel < labels; nextLabel++) {
    iasm.push(`l${nextLabel}: nop`);
    lua.push(`::l${nextLabel}:: do end`);
  }
  iasm.push("hlt");
  lua.push("do return end");
  return { iasm: `${iasm.join("\n")}\n`, lua: `${lua.join("\n")}\n` };
}
