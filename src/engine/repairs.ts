// What a check may ask the fixer to do: one variant per repair kind, told apart by `kind`. Checks build
// these; only src/fix/ applies them, one module per kind (src/fix/kinds/). A plugin's repair arrives
// untyped at run time, so each kind module also validates `data` before planning (kinds/*.ts `parse`).
// Adding a kind: one variant here, one module under src/fix/kinds/, one line in src/fix/kinds/index.ts.

/** A key path into the config, as the product names it: `["models", "providers", "kimi-code", "baseUrl"]`. */
export type ConfigPath = ReadonlyArray<string | number>;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

interface RepairBase<K extends string, D> {
  kind: K;
  /** One line for the plan: what changes where. */
  summary: string;
  /** `optIn`: the user's call (a louder log level) — applied only when its check is named with --only. */
  data: D & { optIn?: boolean };
}

/** Set one value in the main config file (the value is written literally; `${VAR}` stays a reference). */
export type ConfigSetRepair = RepairBase<'config.set', { path: ConfigPath; value: JsonValue }>;

/** Remove one key (or array element) from the main config file. */
export type ConfigRemoveRepair = RepairBase<'config.remove', { path: ConfigPath }>;

/** Back up, verify and clear one agent's sessions directory, with the gateway stopped around it. */
export type SessionsResetRepair = RepairBase<'sessions.reset', { stateDir?: string; agentId?: string; sessionsDir?: string }>;

/** Restart a running gateway so it reads its config again (added by the gateway checks, issue 13). */
export type GatewayRestartRepair = RepairBase<'gateway.restart', { port?: number; reason?: string; /** Files changed since the gateway started. */ changed?: string[] }>;

/** Clear an auth profile's rate-limit cooldown (added by the provider checks). */
export type AuthClearCooldownRepair = RepairBase<'auth.clear-cooldown', { file?: string; profile?: string }>;

export type Repair = ConfigSetRepair | ConfigRemoveRepair | SessionsResetRepair | GatewayRestartRepair | AuthClearCooldownRepair;

export type RepairKindName = Repair['kind'];

/** The variant of `Repair` with kind `K`. */
export type RepairOf<K extends RepairKindName> = Extract<Repair, { kind: K }>;
