// The gateway facts' readers on the real product's texts (fixture cli/gatewaystatus.txt, healthjson.txt) and
// on the unit files the product installs: what each line means, not only that it parses.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { healthAnswered, readGatewayStatus, resolveGatewayPort } from '../src/facts/gateway-cli.js';
import { parsePs, startTime } from '../src/facts/gateway-process.js';
import { parseLaunchdPlist, parseSystemdUnit } from '../src/facts/gateway-service.js';
import { minimumNode, nodeSatisfies } from '../src/facts/gateway-install.js';
import { FIXTURES } from './support/doctor.js';

/** A fixture CLI answer without its trailing `exit=N` line, and that exit code. */
function cliFixture(name: string): { output: string; exitCode: number } {
  const text = fs.readFileSync(path.join(FIXTURES, 'cli', name), 'utf8');
  const m = /\nexit=(\d+)\s*$/.exec(text)!;
  return { output: text.slice(0, m.index).trim(), exitCode: Number(m[1]) };
}

describe('gateway status, as clawdbot 2026.1.24-3 printed it in a container', () => {
  const f = cliFixture('gatewaystatus.txt');
  it('exit 0, yet systemd is unavailable and the RPC probe failed', () => {
    expect(f.exitCode).toBe(0);
    expect(readGatewayStatus(f.output)).toMatchObject({
      manager: 'systemd',
      serviceState: 'disabled',
      systemdUnavailable: true,
      runtime: 'unknown',
      rpcProbe: 'failed',
      port: 18789,
      issues: ['Gateway service PATH is not set; the daemon should use a minimal PATH.'],
    });
  });
  it('a running service names its pid', () => {
    expect(readGatewayStatus('Service: systemd (enabled)\nRuntime: running (pid 4242, state active)\nRPC probe: ok')).toMatchObject({ runtime: 'running', pid: 4242, rpcProbe: 'ok', systemdUnavailable: false });
    expect(readGatewayStatus('Gateway service not loaded.')).toMatchObject({ notInstalled: 'not loaded', runtime: undefined });
  });
});

describe('health --json', () => {
  it('the unreachable gateway of the fixture is not an answer; a JSON object with exit 0 is', () => {
    const f = cliFixture('healthjson.txt');
    expect(healthAnswered({ command: 'clawdbot health --json', timedOut: false, ...f })).toBe(false);
    expect(healthAnswered({ command: 'x', output: '{"ok":true,"ts":1}', exitCode: 0, timedOut: false })).toBe(true);
    expect(healthAnswered({ command: 'x', output: '{"ok":false}', exitCode: 0, timedOut: false })).toBe(false);
    expect(healthAnswered({ command: 'x', output: 'not json', exitCode: 0, timedOut: false })).toBe(false);
  });
});

describe('the port', () => {
  it('env beats gateway.port beats --dev beats 18789', () => {
    expect(resolveGatewayPort({ env: { OPENCLAW_GATEWAY_PORT: '20001' }, configPort: 20002, profile: 'dev' })).toEqual({ port: 20001, source: 'env OPENCLAW_GATEWAY_PORT' });
    expect(resolveGatewayPort({ env: { CLAWDBOT_GATEWAY_PORT: 'x' }, configPort: 20002 })).toEqual({ port: 20002, source: 'gateway.port' });
    expect(resolveGatewayPort({ env: {}, configPort: '20002', profile: 'dev' })).toEqual({ port: 19001, source: 'profile dev' });
    expect(resolveGatewayPort({})).toEqual({ port: 18789, source: 'default' });
  });
});

describe('service files', () => {
  it('a systemd unit: the command, its quoted environment, the installing version, the port', () => {
    const u = parseSystemdUnit(
      '[Service]\nExecStart=/usr/bin/node /usr/lib/node_modules/openclaw/dist/index.js gateway --port 18790\n' +
        'Environment="PATH=/usr/bin:/bin" OPENCLAW_SERVICE_VERSION=2026.9.6\nEnvironment=OPENCLAW_SERVICE_KIND=gateway\n',
    );
    expect(u).toMatchObject({ argv: ['/usr/bin/node', '/usr/lib/node_modules/openclaw/dist/index.js', 'gateway', '--port', '18790'], version: '2026.9.6', port: 18790 });
    expect(u.env).toMatchObject({ PATH: '/usr/bin:/bin', OPENCLAW_SERVICE_KIND: 'gateway' });
  });
  it('a launchd plist: ProgramArguments and EnvironmentVariables', () => {
    const p = parseLaunchdPlist(
      '<plist><dict><key>Label</key><string>ai.openclaw.gateway</string><key>ProgramArguments</key><array>' +
        '<string>/opt/homebrew/bin/node</string><string>/opt/homebrew/lib/node_modules/openclaw/dist/index.js</string><string>gateway</string></array>' +
        '<key>EnvironmentVariables</key><dict><key>OPENCLAW_GATEWAY_PORT</key><string>18791</string><key>OPENCLAW_SERVICE_VERSION</key><string>2026.8.1</string></dict></dict></plist>',
    );
    expect(p).toMatchObject({ argv: ['/opt/homebrew/bin/node', '/opt/homebrew/lib/node_modules/openclaw/dist/index.js', 'gateway'], version: '2026.8.1', port: 18791 });
  });
});

describe('process start times', () => {
  it('/proc/<pid>/stat field 22 against /proc/uptime, with a command name holding spaces and parentheses', () => {
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    fields[19] = '123456'; // starttime: 1234.56 s after boot
    const stat = `4242 (node (gate way)) ${fields.join(' ')}`;
    const now = Date.UTC(2026, 11, 1, 12, 0, 0);
    expect(startTime(stat, '2000.00 10.00', now)?.toISOString()).toBe(new Date(now - 2000_000 + 1234_560).toISOString());
    expect(startTime('garbage', 'x', now)).toBeUndefined();
  });
  it('ps -o lstart= -o command= (macOS, BSD)', () => {
    const r = parsePs('Tue Dec  1 22:45:48 2026 /usr/local/bin/node /usr/local/lib/node_modules/openclaw/dist/index.js gateway');
    expect(r.argv).toEqual(['/usr/local/bin/node', '/usr/local/lib/node_modules/openclaw/dist/index.js', 'gateway']);
    expect(r.startedAt?.getFullYear()).toBe(2026);
    expect(parsePs('')).toEqual({});
  });
});

describe('Node requirements', () => {
  it('reads >=, ^ and bare versions; compares numerically', () => {
    expect(minimumNode('>=24.16.0')).toEqual([24, 16, 0]);
    expect(minimumNode('^22.12')).toEqual([22, 12, 0]);
    expect(minimumNode('*')).toBeUndefined();
    expect(nodeSatisfies('24.9.0', [24, 16, 0])).toBe(false);
    expect(nodeSatisfies('v24.16.0', [24, 16, 0])).toBe(true);
    expect(nodeSatisfies('25.0.1', [24, 16, 0])).toBe(true);
  });
});
