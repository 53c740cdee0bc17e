// The steps that touch the machine, replaceable in tests to inject failures.
import { applyConfigEdits } from './config-edit.js';
import { gatewayIsUp, gatewayStart, gatewayStop } from './gateway.js';
import { resetSessions } from './reset-sessions.js';

export interface FixDeps {
  applyConfigEdits: typeof applyConfigEdits;
  resetSessions: typeof resetSessions;
  gatewayStop: typeof gatewayStop;
  gatewayStart: typeof gatewayStart;
  gatewayIsUp: (port: number) => Promise<boolean>;
  /** Per gateway CLI command, and the wait for its port. */
  gatewayTimeoutMs: number;
  gatewaySettleMs: number;
}

export const realDeps: FixDeps = {
  applyConfigEdits,
  resetSessions,
  gatewayStop,
  gatewayStart,
  gatewayIsUp: (port) => gatewayIsUp(port),
  gatewayTimeoutMs: 30_000,
  gatewaySettleMs: 15_000,
};
