// An example claw-doctor plugin: one check, as a plain ES module (no build step, no imports needed).
//   claw-doctor --plugin examples/plugins/gateway-mode.mjs --only "gateway.*"
//
// The contract (README "Plugins"): export a check object (or an array of them) as the default export.
// A check has an id "area.name", a title, a one-line why, and run(ctx) returning findings:
//   { severity: 'error' | 'warn' | 'info', title, detail, fix?, evidence? }  — none means the check passed.
// ctx.config() gives the parsed config; ctx.options the CLI options; ctx.env the environment.
// Throw an Error to report a crash; return [] to pass.

/** @type {import('claw-doctor').Check} */
export default {
  id: 'gateway.mode',
  title: 'gateway.mode allows starting the gateway',
  why: 'The product refuses `gateway start` unless gateway.mode is "local".',
  async run(ctx) {
    const cfg = await ctx.config();
    if (!cfg.resolved) return []; // nothing to judge: config.parse reports why
    const mode = cfg.resolved.gateway?.mode;
    if (mode === 'local' || mode === 'remote') return [];
    return [
      {
        severity: 'warn',
        title: `gateway.mode is ${mode === undefined ? 'unset' : JSON.stringify(mode)}`,
        detail: 'The gateway refuses to start: "Gateway start blocked: set gateway.mode=local (current: unset)".',
        fix: 'Add to the config:\n  "gateway": { "mode": "local" }',
        evidence: [`${cfg.path ?? 'config'} (gateway.mode)`],
      },
    ];
  },
};
