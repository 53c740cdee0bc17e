// The config repairs the gateway checks offer (and one they deliberately do not), applied with --fix in a check table (test/support/check-tester.ts):
// test/checks/gateway-checks.test.ts shows each situation; here the exact config text after the repair. The
// fake product CLI is first on PATH (a gateway CLI must exist for these checks to judge) and nothing listens
// on its port, so the fixer's restart step has no gateway to touch.
import fs from 'node:fs';
import path from 'node:path';
import { V3_FIXTURES, fixtureConfig } from '../support/doctor.js';
import { checkTable, type Prepared } from '../support/check-tester.js';
import { makeFakeGateway, type FakeGatewayBehaviour } from '../support/fake-gateway.js';

const WORKING = fixtureConfig('config-working.json5');
const KIMI_PLUGIN = path.join(V3_FIXTURES, 'kimi-provider-reconstructed');
/** openclaw 2026.9.6 onboarding's config (fixture), with the Kimi plugin linked from the repository. */
const V3 = fs.readFileSync(path.join(V3_FIXTURES, 'healthy/home/.openclaw/openclaw.json'), 'utf8').replace('/opt/kimi-provider', KIMI_PLUGIN);
const V3_FILE = '.openclaw/openclaw.json';
const KIMI_DISABLED = V3.replace('"kimi": {\n        "enabled": true', '"kimi": {\n        "enabled": false');

/** A fake product CLI first on PATH, answering as `name` of this version; stopped after the row. */
const withCli = (name: 'clawdbot' | 'openclaw', behaviour: Partial<FakeGatewayBehaviour> = {}) => async (): Promise<Prepared> => {
  const gw = await makeFakeGateway({ name, behaviour });
  return {
    env: { PATH: [gw.binDir, path.dirname(process.execPath)].join(path.delimiter), CLAWDBOT_GATEWAY_PORT: String(gw.port), OPENCLAW_GATEWAY_PORT: String(gw.port) },
    cleanup: () => gw.cleanup(),
  };
};

checkTable('gateway.can-start', {
  valid: [{ name: 'gateway.mode "local"', config: WORKING.replace('{\n', '{\n  "gateway": { "mode": "local" },\n'), setup: withCli('clawdbot') }],
  invalid: [
    {
      // No repair: local or remote is the user's choice (a remote-mode machine runs no gateway).
      name: 'gateway.mode unset: start is refused; the fix says how to set it, nothing is set for the user',
      config: WORKING,
      setup: withCli('clawdbot'),
      findings: [{ severity: 'warn', title: 'gateway.mode is unset: the gateway refuses to start', cause: 'gateway-mode-unset', fix: /"gateway": \{ "mode": "local" \}[\s\S]*config set gateway\.mode local/ }],
    },
  ],
});

checkTable('gateway.kimi-plugin', {
  valid: [{ name: '2026.9: the plugin linked from plugins.load.paths, enabled, same version', files: { [V3_FILE]: V3 }, setup: withCli('openclaw', { version: '2026.9.6' }) }],
  invalid: [
    {
      name: '2026.9: the plugin is disabled; the repair enables it',
      files: { [V3_FILE]: KIMI_DISABLED },
      setup: withCli('openclaw', { version: '2026.9.6' }),
      findings: [{ severity: 'error', title: 'The Kimi plugin is disabled', cause: 'kimi-plugin-disabled', repair: { kind: 'config.set', data: { path: ['plugins', 'entries', 'kimi', 'enabled'], value: true } } }],
      output: V3,
      outputFile: V3_FILE,
    },
  ],
});
