// The contract every repair kind module meets (DESIGN.md "src/fix/"): `parse` validates the repair a check
// (or a plugin) attached, `plan` turns the repairs of its batch into steps or refusals, `preview` prints a
// step in the plan, `apply` performs it (journaling the intent before each change), and `undo` reverts the
// journal entries it wrote. The fixer only sequences them: collect → plan → confirm → apply → re-check.
import type { Context } from '../../engine/context.js';
import type { Repair } from '../../engine/types.js';
import type { LoadedConfig } from '../../facts/config.js';
import type { FixDeps } from '../deps.js';
import type { Journal, JournalChange } from '../journal.js';
import type { ResetSessionsResult } from '../reset-sessions.js';
import type { GatewayTarget } from '../restart.js';

/** One repair as numbered in the plan, with the check and finding it answers. */
export interface PlannedRepair {
  n: number;
  /** The check whose finding carried it; undefined for `--reset-sessions`. */
  check?: string;
  finding?: string;
  repair: Repair;
}

export interface RefusedRepair {
  repair: PlannedRepair;
  reason: string;
}

export type RepairOutcome =
  | { status: 'applied'; detail?: string }
  | { status: 'failed'; detail: string }
  | { status: 'refused'; detail: string };

export interface Verdict {
  planned: PlannedRepair;
  outcome: RepairOutcome;
  /** After the re-run: fixed, still failing, or not re-checked (why). */
  recheck?: { state: 'fixed' | 'still' | 'unknown'; detail?: string };
}

/** What planning may look at: facts of this run, never the network beyond the gateway's loopback port. */
export interface PlanEnv {
  ctx: Context;
  cfg: LoadedConfig;
  stateDir: string;
  gateway: GatewayTarget;
  /** Values from the environment that must never be written into a file (secret-policy.ts). */
  secrets: string[];
  gatewayIsUp(port: number): Promise<boolean>;
  show(p: string): string;
}

export interface ApplyEnv {
  journal: Journal;
  secrets: string[];
  deps: FixDeps;
}

/** What a step did: one verdict per repair it carried, the lines to print, and what changed. */
export interface AppliedStep {
  verdicts: Verdict[];
  text: string;
  configChanged: boolean;
  reset?: ResetSessionsResult;
}

export interface PlanStepBase {
  /** The kind module's batch: repairs of kinds with the same batch are planned together. */
  batch: string;
  repairs: PlannedRepair[];
}

export interface UndoEnv {
  now: () => Date;
}

export interface UndoneChange {
  restored: string;
  /** A file or archive holding what was there before the undo (under --force, or sessions made since). */
  saved?: string;
}

/** Reverts the journal entries of some kinds; every repair kind is one, and so is `restore`. */
export interface JournalHandler {
  /** The journal entry kinds this module writes and knows how to revert. */
  journals: JournalChange['kind'][];
  /**
   * What blocks undoing `change`: `broken` cannot be forced, `conflict` can (the current file is saved
   * first). `current(file)` is the sha256 the file has before this change is undone (a later change of
   * the same run may have been undone first); `after` says what the file will hold once it is.
   */
  checkUndo(change: JournalChange, current: (file: string) => Promise<string | null>): Promise<{ broken?: string; conflict?: string; after?: { file: string; sha256: string | null } }>;
  undo(change: JournalChange, env: UndoEnv): Promise<UndoneChange>;
}

export interface RepairKind<S extends PlanStepBase = PlanStepBase> extends JournalHandler {
  kind: Repair['kind'];
  batch: S['batch'];
  /** Checks `data` (untyped at run time: plugins build repairs too); a string is the reason it is refused. */
  parse(repair: Repair): string | undefined;
  plan(repairs: PlannedRepair[], env: PlanEnv): Promise<{ steps: S[]; refused: RefusedRepair[] }>;
  preview(step: S, show: (p: string) => string): string[];
  apply(step: S, env: ApplyEnv): Promise<AppliedStep>;
}
