// Types for bench/v3-agent-db.mjs (used by the tests).
export function sessionIdOf(i: number): string;
export function createAgentDb(
  file: string,
  opts?: {
    sessions?: number;
    events?: number;
    pad?: number;
    errors?: Record<number, string>;
    schemaVersion?: number;
    journal?: 'wal' | 'delete';
    start?: number;
    thinkingLevel?: string;
  },
): Promise<string>;
export function createStateDb(
  file: string,
  opts?: { profiles?: Record<string, { type: string; provider: string; key?: string }>; usage?: Record<string, Record<string, unknown>> },
): Promise<string>;
