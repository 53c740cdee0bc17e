// A closed or full stdout is the reader's doing, not a crash: `claw-doctor list | head -1` closes the pipe
// (EPIPE), `--json > /dev/full` fills the disk (ENOSPC). Without a listener Node throws the write error
// with a stack trace; here it becomes a quiet end (EPIPE: the reader has what it wanted) or one line.
export function guardStdout(stream: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    try {
      stderr.write(`claw-doctor: cannot write the output (${err.code ?? 'error'}: ${err.code === 'ENOSPC' ? 'no space left on the device' : 'write failed'})\n`);
    } catch {
      // stderr is gone too: nothing left to tell
    }
    process.exit(2);
  });
}
