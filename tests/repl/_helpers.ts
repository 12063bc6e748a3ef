/** Helpers for the REPL tests: a session whose output is kept, and temporary files. */
import { defaultOf } from "../../src/cli/spec.ts";
import { ReplSession, type ReplSessionOptions } from "../../src/repl/session.ts";

/** A session writing into `output`, with the CLI's default limits. */
export function createSession(
  extra: Partial<ReplSessionOptions> = {},
): { session: ReplSession; output: () => string; take: () => string } {
  let text = "";
  const session = new ReplSession({
    write: (chunk) => text += chunk,
    heapLimit: defaultOf("heap-limit") as number,
    stackLimit: defaultOf("stack-limit") as number,
    ...extra,
  });
  return {
    session,
    output: () => text,
    /** The output since the last take(). */
    take: () => {
      const taken = text;
      text = "";
      return taken;
    },
  };
}

/** Handles each line in order; returns the output they produced. */
export async function feed(
  { session, take }: ReturnType<typeof createSession>,
  ...lines: string[]
): Promise<string> {
  take();
  for (const line of lines) await session.handleLine(line);
  return take();
}

/** A temporary directory, removed when the result is disposed (`await using`). */
export async function tempDir(): Promise<{ dir: string; [Symbol.asyncDispose](): Promise<void> }> {
  const dir = await Deno.makeTempDir({ prefix: "iridium_repl_test_" });
  return { dir, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}
