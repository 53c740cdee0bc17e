// Input and output of the fixer: where the plan is written and how a person confirms it.
import readline from 'node:readline';

export interface FixIO {
  env: NodeJS.ProcessEnv;
  cwd: string;
  home?: string;
  /** Writes to stdout. Everything passed here was redacted already. */
  write(text: string): void;
  /** stdin and stdout are terminals: the plan can be confirmed by a person. */
  interactive: boolean;
  ask(question: string): Promise<boolean>;
}

export function defaultIO(): FixIO {
  return {
    env: process.env,
    cwd: process.cwd(),
    write: (t) => void process.stdout.write(t),
    interactive: !!process.stdin.isTTY && !!process.stdout.isTTY,
    ask: askOnTerminal,
  };
}

/** `[y/N]`: only an explicit yes applies; Ctrl+D / Ctrl+C is a no. */
function askOnTerminal(question: string): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
    let answered = false;
    rl.on('close', () => {
      if (!answered) resolve(false);
    });
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(/^\s*y(es)?\s*$/i.test(answer));
    });
  });
}

/**
 * Paths under home as `~/…` before redaction: the redactor does it too, but only after masking, and a
 * home path that also sits in a secret-looking variable would be masked whole instead.
 */
export function homeAsTilde(text: string, home: string): string {
  if (!home || home === '/') return text;
  const h = home.replace(/\/+$/, '');
  const escaped = h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(?<![\\w./-])${escaped}(?=/|(?![\\w.-]))`, 'g'), '~');
}

export function firstLine(s: string): string {
  return s.split('\n')[0]!.slice(0, 200);
}
