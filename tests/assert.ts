/**
 * Assertions for the test suite, on `node:assert/strict` (JSR's @std/assert is out of reach here).
 * Names follow @std/assert so the tests read the same.
 */
import assert from "node:assert/strict";

/** Deep, strict equality. */
export function assertEquals<T>(actual: T, expected: T, message?: string): void {
  assert.deepStrictEqual(actual, expected, message);
}

/** Strict inequality. */
export function assertNotEquals<T>(actual: T, expected: T, message?: string): void {
  assert.notDeepStrictEqual(actual, expected, message);
}

/** A truthy value. */
export function assert_(value: unknown, message?: string): asserts value {
  assert.ok(value, message);
}
export { assert_ as assert };

/** A string matching a pattern. */
export function assertMatch(actual: string, pattern: RegExp, message?: string): void {
  assert.match(actual, pattern, message);
}

/** A string containing a part. */
export function assertStringIncludes(actual: string, part: string, message?: string): void {
  if (!actual.includes(part)) {
    assert.fail(message ?? `expected ${JSON.stringify(actual)} to include ${JSON.stringify(part)}`);
  }
}

/** `fn` throws an instance of `type` (whose message includes `includes`); returns the error. */
export function assertThrows<E extends Error>(
  fn: () => unknown,
  type: new (...args: never[]) => E,
  includes?: string,
): E {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${error}`);
    if (includes !== undefined) assertStringIncludes((error as Error).message, includes);
    return error as E;
  }
  assert.fail(`expected ${type.name} to be thrown`);
}

/** `fn` rejects with an instance of `type`; returns the error. */
export async function assertRejects<E extends Error>(
  fn: () => Promise<unknown>,
  type: new (...args: never[]) => E,
  includes?: string,
): Promise<E> {
  try {
    await fn();
  } catch (error) {
    assert.ok(error instanceof type, `expected ${type.name}, got ${error}`);
    if (includes !== undefined) assertStringIncludes((error as Error).message, includes);
    return error as E;
  }
  assert.fail(`expected ${type.name} to be rejected`);
}
