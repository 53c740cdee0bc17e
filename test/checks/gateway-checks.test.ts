// Table tests of the gateway.* checks, in-process through diagnose(): a temp HOME, the fake product CLI
// first on PATH answering as the real one did (fixtures cli/gateway*.txt, healthjson.txt), and real
// listeners on an ephemeral loopback port (never 18789): the fake's "service" process, a foreground
// listener, or a program that is not the gateway.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultOptions } from '../../src/engine/options.js';
import { Context } from '../../src/engine/context.js';
import { getGateway, gatewaySummary } from '../../src/facts/gateway.js';
import { cleanEnv, findingsFor, fixtureConfig, V3_FIXTURES } from '../support/doctor.js';
import { makeTempHome, type TempHome } from '../support/temp-home.js';
import { freePort, makeFakeGateway, type FakeGateway, type FakeGatewayBehaviour } from '../support/fake-gateway.js';
import { findFinding, type FindingExpect } from '../support/findings.js';

const WORKING = fixtureConfig('config-working.json5');
const withMode = (t: string): string => t.replace('{\n', '{\n  "gateway": { "mode": "local" },\n');
/** `gateway.reload.mode: "off"`: the gateway does not reload its config (the default `hybrid` does). */
const reloadOff = (t: string): string => t.replace('{\n', '{\n  "gateway": { "mode": "local", "reload": { "mode": "off" } },\n');
const V3_CONFIG = fs.readFileSync(path.join(V3_FIXTURES, 'healthy/home/.openclaw/openclaw.json'), 'utf8');
const KIMI_PLUGIN = path.join(V3_FIXTURES, 'kimi-provider-reconstructed');
/** Real processes and CLI calls: more than vitest's 5 s on a machine busy with other suites. */
const BUSY_MACHINE_MS = 30_000;

interface Setup {
  h: TempHome;
  gw: FakeGateway;
}

interface Case {
  name: string;
  /** Config text (default: the guide's working config with gateway.mode local). */
  config?: string;
  configName?: string;
  /** State dir name under HOME (default .clawdbot). */
  stateDir?: string;
  cli?: 'clawdbot' | 'openclaw';
  behaviour?: Partial<FakeGatewayBehaviour>;
  /** What runs on the port before the doctor looks. */
  listener?: 'service' | 'foreground' | 'other' | 'none';
  /** The port the doctor is told (CLAWDBOT_GATEWAY_PORT): the fake's own, or another free one. */
  envPort?: 'other';
  /** Make the config newer than the listener's process. */
  staleConfig?: boolean;
  /** Another file (relative to HOME) made newer than the listener's process. */
  staleFile?: string;
  setup?: (s: Setup) => void | Promise<void>;
  timeout?: number;
  expect: FindingExpect[];
  /** Checks of the gateway area with no finding at all (and not skipped). */
  clean?: string[];
  statuses?: Record<string, string>;
  /** A part of the report header's one line. */
  summary?: RegExp;
}

const unit = (gw: FakeGateway, body: string): string => `[Unit]\nDescription=Gateway\n\n[Service]\n${body.replace(/PORT/g, String(gw.port))}\nRestart=always\n\n[Install]\nWantedBy=default.target\n`;
/** A product install on disk: `<home>/<dir>/<name>/package.json` and an entry script. */
function fakeInstall(h: TempHome, dir: string, pkg: Record<string, unknown>): string {
  h.write(`${dir}/${String(pkg.name)}/package.json`, JSON.stringify(pkg));
  return h.write(`${dir}/${String(pkg.name)}/dist/index.js`, '// entry\n');
}

const cases: Case[] = [
  {
    name: 'running service: nothing to say, and the header names it',
    listener: 'service',
    expect: [],
    clean: ['gateway.running', 'gateway.config-current', 'gateway.can-start'],
    summary: /^running on port \d+ \(systemd service, pid \d+, started /,
  },
  {
    name: 'stopped service: an error with the service start command',
    listener: 'none',
    setup: ({ h, gw }) => void h.write('.config/systemd/user/clawdbot-gateway.service', unit(gw, 'ExecStart=/usr/bin/clawdbot gateway --port PORT')),
    expect: [{ check: 'gateway.running', severity: 'error', title: /service is installed but not running/, fix: /clawdbot gateway start[\s\S]*journalctl --user -u clawdbot-gateway/, cause: 'gateway-down' }],
    statuses: { 'gateway.config-current': 'skipped' },
    summary: /^not running \(nothing listens on port \d+; systemd service clawdbot-gateway\)/,
  },
  {
    name: '"Gateway service not loaded" with exit 0 is not started: install or run in the foreground',
    listener: 'none',
    behaviour: { status: 'not-loaded', start: 'not-loaded', stop: 'not-loaded' },
    expect: [
      {
        check: 'gateway.running',
        severity: 'warn',
        title: /^The gateway is not running$/,
        detail: /says "Gateway service not loaded" \(exit 0\): `gateway start` prints the same and starts nothing/,
        fix: /clawdbot gateway install, then clawdbot gateway start/,
      },
    ],
    summary: /^not running .*no service installed/,
  },
  {
    name: 'foreground gateway: running; a stale config cannot be restarted by the CLI (no repair)',
    config: reloadOff(WORKING),
    listener: 'foreground',
    behaviour: { status: 'not-loaded', stop: 'not-loaded', start: 'not-loaded' },
    staleConfig: true,
    expect: [{ check: 'gateway.config-current', severity: 'warn', title: /still uses the old settings/, fix: /foreground: stop it \(Ctrl\+C/, fixable: false }],
    clean: ['gateway.running'],
    summary: /^running on port \d+ \(in the foreground \(no service\), pid \d+/,
  },
  {
    name: 'a service whose process runs but never listens: a crash loop, with its journal',
    listener: 'none',
    behaviour: { status: 'crash-loop' },
    setup: ({ h, gw }) => void h.write('.config/systemd/user/clawdbot-gateway.service', unit(gw, 'ExecStart=/usr/bin/clawdbot gateway --port PORT')),
    expect: [
      {
        check: 'gateway.running',
        severity: 'error',
        title: /service is installed but not running/,
        detail: /process runs \(pid 99999\) but nothing listens: .*crash loop/,
        fix: /journalctl --user -u clawdbot-gateway/,
      },
    ],
  },
  {
    name: 'the service listens on the port its unit names, not the one the config says',
    listener: 'foreground',
    envPort: 'other',
    behaviour: { health: 'fail' },
    setup: ({ h, gw }) => void h.write('.config/systemd/user/clawdbot-gateway.service', unit(gw, 'ExecStart=/usr/bin/clawdbot gateway --port PORT')),
    expect: [{ check: 'gateway.running', severity: 'warn', title: /service listens on port \d+, not on port \d+/, fix: /config set gateway\.port \d+/, cause: 'gateway-port-mismatch' }],
  },
  {
    name: 'container without systemd: start it in the foreground',
    listener: 'none',
    behaviour: { status: 'no-systemd', stop: 'no-systemd', start: 'no-systemd' },
    expect: [
      {
        check: 'gateway.running',
        severity: 'warn',
        detail: /systemd user services are unavailable here/,
        fix: /clawdbot gateway \(in the foreground: as the container's command/,
      },
    ],
    summary: /in a container without systemd/,
  },
  {
    name: 'stale config: changed after the service started, with gateway.reload.mode "off" → gateway.restart repair',
    config: reloadOff(WORKING),
    listener: 'service',
    staleConfig: true,
    expect: [
      {
        check: 'gateway.config-current',
        severity: 'warn',
        title: /^The running gateway still uses the old settings$/,
        detail: /~\/\.clawdbot\/clawdbot\.json \(config, changed .*after the gateway \(pid \d+\) started at .*gateway\.reload\.mode is "off"/,
        fix: /clawdbot gateway stop && clawdbot gateway start/,
        cause: 'gateway-stale-config',
        fixable: true,
      },
    ],
  },
  {
    name: 'the config changed after the start with the default reload mode: the gateway reloaded it, nothing to say',
    listener: 'service',
    staleConfig: true,
    expect: [],
    clean: ['gateway.config-current'],
  },
  {
    name: 'the .env changed after the start: read once per process, so a restart is needed whatever the reload mode',
    listener: 'service',
    setup: ({ h }) => void h.write('.clawdbot/.env', 'KIMICODE_API_KEY=sk-kimi-new\n'),
    staleFile: '.clawdbot/.env',
    expect: [{ check: 'gateway.config-current', severity: 'warn', detail: /~\/\.clawdbot\/\.env \(\.env, changed .*read once, when the gateway process starts/, fixable: true }],
  },
  {
    name: 'an $include changed after the main config and the start: not watched',
    config: withMode(WORKING).replace('{\n', '{\n  "$include": "./extra.json5",\n'),
    listener: 'service',
    setup: ({ h }) => void h.write('.clawdbot/extra.json5', '{ "logging": { "level": "info" } }\n'),
    staleFile: '.clawdbot/extra.json5',
    expect: [{ check: 'gateway.config-current', severity: 'warn', detail: /extra\.json5 \(\$include, changed .*watches only the main config file/, fixable: true }],
  },
  {
    name: 'another version behind the service: the unit runs an old install',
    listener: 'none',
    setup: ({ h, gw }) => {
      const entry = fakeInstall(h, 'old-global/lib/node_modules', { name: 'clawdbot', version: '2026.1.20' });
      h.write('.config/systemd/user/clawdbot-gateway.service', unit(gw, `ExecStart=${process.execPath} ${entry} gateway --port PORT\nEnvironment=CLAWDBOT_SERVICE_VERSION=2026.1.20`));
    },
    expect: [
      {
        check: 'gateway.install',
        severity: 'warn',
        title: /service clawdbot-gateway runs clawdbot 2026\.1\.20, the CLI on PATH is 2026\.1\.24-3/,
        detail: /~\/old-global\/lib\/node_modules\/clawdbot/,
        fix: /clawdbot gateway uninstall && clawdbot gateway install/,
        cause: 'gateway-other-install',
      },
    ],
  },
  {
    name: 'no unit file where claw-doctor looks, but `gateway status` names the service\'s command: an old install',
    listener: 'none',
    setup: async ({ h, gw }) => {
      const entry = fakeInstall(h, 'old-global/lib/node_modules', { name: 'clawdbot', version: '2026.1.20' });
      return gw.configure({ serviceCommand: `${process.execPath} ${entry} gateway --port ${gw.port}` });
    },
    expect: [{ check: 'gateway.install', severity: 'warn', title: /^The gateway service runs clawdbot 2026\.1\.20, the CLI on PATH is 2026\.1\.24-3/, cause: 'gateway-other-install' }],
  },
  {
    name: 'the service runs a Node older than the product needs (engines.node)',
    listener: 'none',
    behaviour: { version: '2026.9.6' },
    cli: 'openclaw',
    setup: ({ h, gw }) => {
      const entry = fakeInstall(h, 'lib/node_modules', { name: 'openclaw', version: '2026.9.6', engines: { node: '>=99.16.0' } });
      h.write('.config/systemd/user/openclaw-gateway.service', unit(gw, `ExecStart=${process.execPath} ${entry} gateway --port PORT`));
    },
    expect: [{ check: 'gateway.install', severity: 'error', title: /runs on Node \d+\.\d+\.\d+; openclaw 2026\.9\.6 needs Node >=99\.16\.0/, cause: 'gateway-old-node' }],
  },
  {
    name: 'gateway.mode unset: start is refused; the fix says how to set it (local or remote is the user\'s call: no repair)',
    config: WORKING,
    listener: 'none',
    expect: [{ check: 'gateway.can-start', severity: 'warn', title: /gateway\.mode is unset/, detail: /Gateway start blocked: set gateway\.mode=local/, fix: /config set gateway\.mode local/, fixable: false }],
  },
  {
    name: 'gateway.mode "remote" with a service installed: the service cannot start',
    config: WORKING.replace('{\n', '{\n  "gateway": { "mode": "remote" },\n'),
    listener: 'none',
    setup: ({ h, gw }) => void h.write('.config/systemd/user/clawdbot-gateway.service', unit(gw, 'ExecStart=/usr/bin/clawdbot gateway --port PORT')),
    expect: [{ check: 'gateway.can-start', severity: 'warn', title: /gateway\.mode is "remote": the gateway refuses to start/, fix: /gateway uninstall/ }],
  },
  {
    name: 'port taken by something that is not the gateway',
    listener: 'other',
    behaviour: { health: 'fail' },
    expect: [{ check: 'gateway.running', severity: 'error', title: /^Port \d+ is taken by another program/, detail: /pid \d+\).*it is not the gateway/, fix: /kill \d+/, cause: 'gateway-port-taken' }],
    statuses: { 'gateway.config-current': 'skipped' },
    summary: /^not running: port \d+ is taken by another program/,
  },
  {
    name: 'a CLI that never answers is a finding, within the time limit',
    listener: 'none',
    behaviour: { status: 'hang' },
    timeout: 5,
    expect: [{ check: 'gateway.running', severity: 'warn', title: /`clawdbot gateway status` did not answer in time/, cause: 'gateway-cli-hangs' }],
    statuses: { 'gateway.running': 'warn' },
  },
  {
    name: '2026.9: the Kimi plugin linked from plugins.load.paths, enabled, same version',
    cli: 'openclaw',
    stateDir: '.openclaw',
    configName: 'openclaw.json',
    config: V3_CONFIG.replace('/opt/kimi-provider', KIMI_PLUGIN),
    behaviour: { version: '2026.9.6' },
    listener: 'service',
    expect: [],
    clean: ['gateway.kimi-plugin'],
  },
  {
    name: '2026.9: the Kimi plugin is missing',
    cli: 'openclaw',
    stateDir: '.openclaw',
    configName: 'openclaw.json',
    config: V3_CONFIG.replace('/opt/kimi-provider', '/nonexistent/kimi-provider'),
    behaviour: { version: '2026.9.6' },
    listener: 'none',
    expect: [{ check: 'gateway.kimi-plugin', severity: 'error', title: /Kimi plugin is not installed/, fix: /openclaw plugins install @openclaw\/kimi-provider/ }],
  },
  {
    name: '2026.9: the Kimi plugin is disabled (config repair) and from another release',
    cli: 'openclaw',
    stateDir: '.openclaw',
    configName: 'openclaw.json',
    config: V3_CONFIG.replace('"/opt/kimi-provider"', '"~/.openclaw/extensions/nowhere"').replace('"kimi": {\n        "enabled": true', '"kimi": {\n        "enabled": false'),
    behaviour: { version: '2026.9.6' },
    listener: 'none',
    setup: ({ h }) => {
      h.write('.openclaw/extensions/kimi/openclaw.plugin.json', JSON.stringify({ id: 'kimi' }));
      h.write('.openclaw/extensions/kimi/package.json', JSON.stringify({ name: '@openclaw/kimi-provider', version: '2026.6.1' }));
    },
    expect: [
      { check: 'gateway.kimi-plugin', severity: 'error', title: /Kimi plugin is disabled/, fixable: true },
      { check: 'gateway.kimi-plugin', severity: 'warn', title: /Kimi plugin is 2026\.6\.1, the product is 2026\.9\.6/ },
    ],
  },
];

let gw: FakeGateway | undefined;
let h: TempHome | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await gw?.cleanup();
  h?.cleanup();
  gw = undefined;
  h = undefined;
});

/** A program that is not the gateway, listening on the port in its own process. */
async function otherProgram(port: number): Promise<void> {
  const child = spawn(process.execPath, ['-e', `require('http').createServer((q,s)=>s.end('hello from something else')).listen(${port},'127.0.0.1',()=>console.log('up'))`], { stdio: ['ignore', 'pipe', 'ignore'] });
  children.push(child);
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
}

async function arrange(c: Case): Promise<{ env: NodeJS.ProcessEnv; h: TempHome; gw: FakeGateway }> {
  h = makeTempHome({ prefix: 'claw-doctor-gw-' });
  gw = await makeFakeGateway({ name: c.cli ?? 'clawdbot', behaviour: c.behaviour });
  const configPath = h.write(path.join(c.stateDir ?? '.clawdbot', c.configName ?? 'clawdbot.json'), c.config ?? withMode(WORKING));
  // The config predates the gateway process unless the case says otherwise.
  const old = new Date(Date.now() - 3600_000);
  fs.utimesSync(configPath, old, old);
  await c.setup?.({ h, gw });
  if (c.listener === 'service') await gw.startService();
  if (c.listener === 'foreground') await gw.foreground();
  if (c.listener === 'other') await otherProgram(gw.port);
  const later = new Date(Date.now() + 5000);
  if (c.staleConfig) fs.utimesSync(configPath, later, later);
  if (c.staleFile) fs.utimesSync(path.join(h.home, c.staleFile), later, later);
  const port = c.envPort === 'other' ? await freePort() : gw.port;
  const env = { PATH: [gw.binDir, path.dirname(process.execPath)].join(path.delimiter), CLAWDBOT_GATEWAY_PORT: String(port) };
  return { env, h, gw };
}

describe('gateway checks', { timeout: BUSY_MACHINE_MS }, () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { env, h } = await arrange(c);
    const { findings, statuses } = await findingsFor(h, { only: ['gateway'], timeout: c.timeout ?? 20 }, env);
    const mine = findings.filter((f) => f.check.startsWith('gateway.'));
    for (const e of c.expect) findFinding(mine, e, statuses);
    if (c.expect.length === 0) expect(mine.filter((f) => f.severity !== 'info')).toEqual([]);
    for (const id of c.clean ?? []) {
      expect(statuses[id], id).toBe('pass');
    }
    for (const [id, status] of Object.entries(c.statuses ?? {})) expect(statuses[id], id).toBe(status);
    if (c.summary) {
      const ctx = new Context({ options: defaultOptions({ offline: true }), env: cleanEnv(h.home, env), home: h.home, cwd: h.home });
      expect(gatewaySummary(await getGateway(ctx), h.home)).toMatch(c.summary);
    }
  });

  it('no CLI, no service, nothing listening: every gateway check is skipped with the reason', async () => {
    h = makeTempHome({ prefix: 'claw-doctor-gw-' });
    h.writeConfig(WORKING);
    gw = await makeFakeGateway();
    const { statuses, findings } = await findingsFor(h, { only: ['gateway'] }, { CLAWDBOT_GATEWAY_PORT: String(gw.port) });
    expect(findings).toEqual([]);
    expect(statuses['gateway.running']).toBe('skipped');
    expect(statuses['gateway.can-start']).toBe('skipped');
  });

  it.skipIf(process.getuid?.() !== 0)('a config the service user cannot read (left root-owned by sudo)', async () => {
    const { env, h, gw } = await arrange({ name: 'unreadable', listener: 'none', expect: [] });
    const unitFile = h.write('.config/systemd/user/clawdbot-gateway.service', unit(gw, 'ExecStart=/usr/bin/clawdbot gateway'));
    fs.chownSync(unitFile, 4242, 4242);
    fs.chmodSync(h.configPath, 0o600);
    const { findings } = await findingsFor(h, { only: ['gateway.can-start'] }, env);
    findFinding(findings, { check: 'gateway.can-start', severity: 'error', title: /user cannot read the config ~\/\.clawdbot\/clawdbot\.json/, detail: /runs as uid 4242; .* belongs to uid 0 with mode 600/, fix: /sudo chown -R 4242 ~\/\.clawdbot/ });
  });
});
