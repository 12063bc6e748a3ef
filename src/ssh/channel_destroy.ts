/**
 * A patch of ssh2's Channel.destroy(), written against npm:ssh2@1.17.0, whose destroy() is end() then
 * close(). Once a session has ended its channel, the client's close makes Node's stream machinery call
 * destroy(), whose end() then builds an ERR_STREAM_ALREADY_FINISHED error, stack trace and all, only for
 * nobody to see it: with many sessions that is a large share of the SSH thread's time. What destroy() still
 * has to do then is close(). tests/ssh/library_patches_test.ts fails when ssh2's destroy() changes.
 */

/** The library version this patch was written against. */
export const PATCHED_LIBRARY = "npm:ssh2@1.17.0";

/** The parts of an ssh2 Channel the patch uses. */
export interface DestroyableChannel {
  close(): void;
  destroy(error?: Error): this;
  writableEnded: boolean;
}

/** Makes `channel.destroy()` skip the second end() of a channel that has already ended. */
export function skipSecondEnd<C extends DestroyableChannel>(channel: C): void {
  const destroy = channel.destroy;
  channel.destroy = function (this: C, error?: Error) {
    if (!this.writableEnded) return destroy.call(this, error);
    this.close();
    return this;
  };
}
