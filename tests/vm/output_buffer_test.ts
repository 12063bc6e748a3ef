import { assertEquals } from "../assert.ts";
import { FLUSH_AT, OutputBuffer } from "../../src/vm/output_buffer.ts";

Deno.test("OutputBuffer hands text on in order, at drain() or as soon as FLUSH_AT characters gather", () => {
  const flushed: string[] = [];
  const buffer = new OutputBuffer((text) => flushed.push(text));
  buffer.write("a");
  buffer.write("b");
  assertEquals(flushed, []);
  buffer.drain();
  assertEquals(flushed, ["ab"]);
  const chunk = "x".repeat(1024);
  for (let i = 0; i < FLUSH_AT / 1024; i++) buffer.write(chunk);
  assertEquals(flushed.length, 2);
  assertEquals(flushed[1].length, FLUSH_AT);
  buffer.write("tail");
  buffer.discard();
  buffer.drain();
  assertEquals(flushed.length, 2);
});
