// What a command may touch of the process: its streams, env, cwd and home. Commands get it as an argument,
// so tests run them in-process with their own streams, and so every stderr line goes through one place
// that redacts it (a message may quote a config value or a path in home).
import { Redactor } from '../report/redact.js';

export interface OutStream {
  write(text: string, cb?: (err?: Error | null) => void): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface IO {
  env: NodeJS.ProcessEnv;
  cwd: string;
  home?: string;
  stdout: OutStream;
  stderr: OutStream;
  /** stdin is a terminal: a plan can be confirmed by a person. */
  stdinIsTTY: boolean;
}

export function processIO(): IO {
  return { env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr, stdinIsTTY: !!process.stdin.isTTY };
}

/** The redactor to use before a run has gathered the config's secrets: the home and the user name. */
export function earlyRedactor(io: Pick<IO, 'env' | 'home'>): Redactor {
  return new Redactor({ home: io.home ?? io.env.HOME, user: io.env.USER || io.env.LOGNAME });
}

/** Write all of `text` to stdout; resolves when it is handed to the OS (so an exit cannot cut it). */
export function print(io: Pick<IO, 'stdout'>, text: string): Promise<void> {
  return new Promise((resolve) => {
    io.stdout.write(text, () => resolve());
  });
}

/** One line on stderr, `claw-doctor: …`, redacted. */
export function complain(io: Pick<IO, 'stderr' | 'env' | 'home'>, message: string, redactor: Redactor = earlyRedactor(io)): void {
  io.stderr.write(`claw-doctor: ${redactor.text(message)}\n`);
}

/** A usage error: one line, the way to help, exit code 2. */
export function usage(io: Pick<IO, 'stderr' | 'env' | 'home'>, message: string, hint = 'Run claw-doctor --help for usage.'): 2 {
  complain(io, `${message}\n${hint}`);
  return 2;
}

const WRITE_PROBLEMS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EIO: 'an input/output error',
  EBADF: 'the output is closed',
  EACCES: 'permission denied',
  EFBIG: 'the file is too large',
};

/**
 * A closed pipe (`claw-doctor list | head -1`) ends the process quietly; any other write failure (`--json >
 * /dev/full`) is one line on stderr and exit 2, never a stack trace. Installed once, for stdout and stderr.
 */
export function guardOutput(stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream, exit: (code: number) => never = process.exit): void {
  stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
    try {
      stderr.write(`claw-doctor: cannot write the output: ${WRITE_PROBLEMS[e.code ?? ''] ?? e.code ?? 'write failed'}\n`);
    } finally {
      exit(2);
    }
  });
  stderr.on('error', () => exit(typeof process.exitCode === 'number' ? process.exitCode : 2));
}
