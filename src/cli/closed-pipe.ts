// A reader that stops early (`… | head -c100`) closes the pipe, and the next write fails with EPIPE. Node then
// throws it as an unhandled 'error' event: a stack trace and exit 1, which a script would read as `--fail-on`'s code.
// Leaving early is the reader's choice, not a failure of ours: the output ends quietly and the command finishes with
// the status it computed (0, or 1 only when --fail-on matched). Exiting 141 as a SIGPIPE'd C tool would was weighed
// and not taken: the contract's exit codes are 0/1/2, and under `set -o pipefail` 141 would fail `… | head` scripts.

/** Makes EPIPE on `stream` end its output quietly; any other write error is still raised. */
export function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') {
      // Later writes go nowhere instead of failing again.
      stream.destroy();
      return;
    }
    throw error;
  });
}
