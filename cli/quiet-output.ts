/**
 * A writer for stdout or stderr that treats a reader going away (`dojo-jira log | head -1`: EPIPE)
 * as the end of the output, not as an error: the rest is dropped, quietly, and the command ends with
 * its own exit code, as it would had the reader read everything. Node ignores SIGPIPE, so without
 * this the EPIPE arrives as an unhandled 'error' event with a stack trace.
 */
export interface QuietOutput {
  write: (text: string) => void;
  /** True once the reader has gone: loops that only produce output can stop. */
  closed: () => boolean;
  /** True if writing failed for another reason than a reader that left (a full disk, say). */
  failed: () => boolean;
}

export function quietOutput(stream: NodeJS.WritableStream): QuietOutput {
  let closed = false;
  let failed = false;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    closed = true;
    // Nowhere left to say it: the exit code carries it.
    if (error.code !== "EPIPE") failed = true;
  });
  return {
    write: (text) => void (closed || stream.write(text)),
    closed: () => closed,
    failed: () => failed,
  };
}
