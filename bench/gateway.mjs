// The gateway checks' cost: finding the port's listener through /proc (every process' fds), its start time,
// the service files, and two questions to the product CLI (`gateway status`, `health --json`). The CLI here
// is a shell script that answers at once, so the figure is claw-doctor's own share; a real CLI adds its
// own start-up (seconds for clawdbot), in parallel with the other checks.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bench, row } from './lib.mjs';

// run.mjs executes on import: its constants are derived again here.
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/src/cli.js');
const argRuns = process.argv.indexOf('--runs');
const RUNS = argRuns >= 0 ? Number(process.argv[argRuns + 1]) : 15;

async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

export default async function gateway() {
  console.log(`\nGateway checks (median of ${RUNS})`);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-bench-gw-'));
  const bin = path.join(home, 'bin');
  fs.mkdirSync(bin);
  fs.mkdirSync(path.join(home, '.clawdbot'));
  fs.writeFileSync(path.join(home, '.clawdbot', 'clawdbot.json'), '{ "gateway": { "mode": "local" } }\n');
  const port = await freePort();
  const cli = path.join(bin, 'clawdbot');
  fs.writeFileSync(
    cli,
    `#!/bin/sh\ncase "$1 $2" in\n  "gateway status") printf 'Service: systemd (enabled)\\nRuntime: running (pid 1, state active)\\nRPC probe: ok\\n' ;;\n  "health --json") echo '{"ok":true}' ;;\n  *) echo 2026.1.24-3 ;;\nesac\n`,
    { mode: 0o755 },
  );
  const listener = spawn(process.execPath, ['-e', `require('http').createServer((q,s)=>s.end('<title>Control UI</title>')).listen(${port},'127.0.0.1',()=>console.log('up'))`], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((r) => listener.stdout.once('data', r));
  const env = { HOME: home, PATH: [bin, path.dirname(process.execPath), '/usr/bin', '/bin'].join(path.delimiter), CLAWDBOT_GATEWAY_PORT: String(port) };
  try {
    const floor = bench('node -e 0 (start-up floor)', process.execPath, ['-e', '0'], { runs: RUNS });
    row(floor);
    row(bench('claw-doctor --offline --only gateway (running, CLI answers)', process.execPath, [CLI, '--offline', '--only', 'gateway'], { env, runs: RUNS }), floor);
    row(bench('claw-doctor --offline --only gateway (no CLI, nothing listens)', process.execPath, [CLI, '--offline', '--only', 'gateway'], { env: { ...env, PATH: path.dirname(process.execPath), CLAWDBOT_GATEWAY_PORT: String(await freePort()) }, runs: RUNS }), floor);
    if (fs.existsSync('/usr/bin/ss') || fs.existsSync('/bin/ss')) row(bench(`ss -ltnp sport = :${port} (baseline: the same lookup by iproute2)`, 'ss', ['-ltnp', `sport = :${port}`], { env, runs: RUNS }));
    console.log(`  ${os.platform() === 'linux' ? fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).length : '?'} processes on this machine (the /proc walk looks at each one's fds)`);
  } finally {
    listener.kill();
    fs.rmSync(home, { recursive: true, force: true });
  }
}
