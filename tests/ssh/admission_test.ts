/**
 * The two stages of admission: random early drop between START and FULL, the per-source cap, and
 * authenticated connections counted apart.
 *
 * Mutations checked: a drop probability that does not rise from RATE to 100 % fails the first test;
 * dropping at random whatever the source fails the second;
 * leaving the first stage without freeing the source's count fails the second; counting unauthenticated
 * connections against --ssh-max-connections fails the third.
 */
import { assert, assertEquals, assertThrows } from "../assert.ts";
import { Admission, parseStartups } from "../../src/ssh/admission.ts";

Deno.test("past START, connections are dropped with a probability rising from RATE to 100 % at FULL", () => {
  const dropRate = (held: number, rolls: number) => {
    let dropped = 0;
    for (let i = 0; i < rolls; i++) {
      let roll = 0.99999; // while filling: drop only at 100 %
      const admission = new Admission({
        startups: { start: 10, rate: 30, full: 20 },
        perSource: 1_000,
        maxAuthenticated: 64,
        random: () => roll,
      });
      for (let n = 0; n < held; n++) assertEquals(admission.admit("10.0.0.1"), null, `held ${n}`);
      roll = (i + 0.5) / rolls; // evenly over [0, 1)
      if (admission.admit("10.0.0.1") !== null) dropped++;
    }
    return dropped / rolls;
  };
  assertEquals(dropRate(9, 100), 0);
  assertEquals(dropRate(10, 100), 0.3);
  assertEquals(dropRate(15, 100), 0.65);
  assertEquals(dropRate(20, 100), 1);
});

Deno.test("the random drop spares an address holding no unauthenticated connection, until FULL", () => {
  const admission = new Admission({
    startups: { start: 2, rate: 100, full: 4 },
    perSource: 10,
    maxAuthenticated: 64,
    random: () => 0,
  });
  assertEquals([admission.admit("10.0.0.9"), admission.admit("10.0.0.9")], [null, null]);
  assert(admission.admit("10.0.0.9")?.startsWith("random early drop"));
  assertEquals(admission.admit("10.0.0.1"), null);
  assertEquals(admission.admit("10.0.0.2"), null);
  assert(admission.admit("10.0.0.3")?.startsWith("too many unauthenticated connections (at most 4)"));
});

Deno.test("one address holds at most its share of unauthenticated connections", () => {
  const admission = new Admission({
    startups: { start: 100, rate: 30, full: 100 },
    perSource: 3,
    maxAuthenticated: 64,
  });
  for (let i = 0; i < 3; i++) assertEquals(admission.admit("10.0.0.2"), null);
  assert(admission.admit("10.0.0.2")?.includes("from this address (at most 3)"));
  assertEquals(admission.admit("10.0.0.3"), null);
  admission.release("10.0.0.2", "unauthenticated");
  assertEquals(admission.admit("10.0.0.2"), null);
  assertEquals(admission.authenticate("10.0.0.2"), true);
  assertEquals(admission.admit("10.0.0.2"), null); // its authenticated connection left the first stage
});

Deno.test("authenticated connections count against their own limit only", () => {
  const admission = new Admission({
    startups: { start: 5, rate: 100, full: 5 },
    perSource: 5,
    maxAuthenticated: 2,
  });
  for (let i = 0; i < 5; i++) assertEquals(admission.admit("10.0.0.4"), null);
  assertEquals([admission.authenticate("10.0.0.4"), admission.authenticate("10.0.0.4")], [true, true]);
  assertEquals(admission.authenticate("10.0.0.4"), false);
  assertEquals(admission.unauthenticated, 2);
  admission.release("10.0.0.4", "authenticated");
  assertEquals(admission.authenticate("10.0.0.4"), true);
});

Deno.test("parseStartups takes START:RATE:FULL and says what is wrong otherwise", () => {
  assertEquals(parseStartups("10:30:100"), { start: 10, rate: 30, full: 100 });
  for (const bad of ["10", "10:30", "0:30:100", "10:130:100", "20:30:10", "a:b:c"]) {
    assertThrows(() => parseStartups(bad), Error, `invalid value '${bad}' for '--ssh-max-startups'`);
  }
});
