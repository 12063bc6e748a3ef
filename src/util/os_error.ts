/**
 * The reason an operating-system call failed, in this project's words: Deno's messages carry the OS's
 * wording and number ("Not a directory (os error 20)") or advice about the runtime's own flags.
 */

/** Our words for each kind of failure Deno reports with its own error class. */
const REASONS: [new (...args: never[]) => Error, string][] = [
  [Deno.errors.NotFound, "no such file"],
  [Deno.errors.PermissionDenied, "permission denied"],
  [Deno.errors.IsADirectory, "is a directory"],
  [Deno.errors.NotADirectory, "a part of the path is not a directory"],
  [Deno.errors.AlreadyExists, "already exists"],
  [Deno.errors.FilesystemLoop, "too many levels of symbolic links"],
];

/**
 * Devices and /proc are outside what the runtime lets this program open; standard input and output are
 * reached with `-` instead.
 */
const STANDARD_STREAMS = /^\/dev\/(stdin|stdout|stderr|fd\/[012])$/;

/** The reason `error` gives, without "(os error N)"; `path` lets it suggest `-` for /dev/stdin. */
export function osErrorReason(error: unknown, path?: string): string {
  if (error instanceof Deno.errors.NotCapable) {
    return path !== undefined && STANDARD_STREAMS.test(path)
      ? "not allowed for this program; use '-' for standard input or output"
      : "not allowed for this program (a device or system file)";
  }
  for (const [kind, reason] of REASONS) if (error instanceof kind) return reason;
  const message = error instanceof Error ? error.message : String(error);
  const bare = message.replace(/\s*\(os error \d+\)/, "").trim();
  return bare.charAt(0).toLowerCase() + bare.slice(1);
}

/** True for the errors Deno raises for a failed operating-system call. */
export function isOsError(error: unknown): boolean {
  return Object.values(Deno.errors).some((kind) => error instanceof kind);
}
