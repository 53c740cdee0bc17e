// `--reset-sessions` on OpenClaw 2026.9 (src/fix/reset-sessions-v3.ts): a verified copy of the agent database
// first, then the product's own `gateway call sessions.reset` for each session key, then the database read
// again. The gateway is a real HTTP listener on a loopback port; the `openclaw` on PATH is a real executable
// that does what the product's sessions.reset does to the database (a new transcript for the key).
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSqlite } from '../src/facts/sqlite.js';
import { undoLast } from '../src/fix/undo.js';
import { V3_FIXTURES, runCli } from './support/doctor.js';

const sqlite = await loadSqlite();
const temps: string[] = [];
const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  for (const t of temps.splice(0)) fs.rmSync(t, { recursive: true, force: true });
});

/** The healthy fixture's home, its gateway on `port`, and a fake `openclaw` that logs its calls. */
function home(port: number): { home: string; db: string; calls: string; env: NodeJS.ProcessEnv } {
  const h = fs.mkdtempSync(path.join(os.tmpdir(), 'claw-doctor-v3-reset-'));
  temps.push(h);
  fs.cpSync(path.join(V3_FIXTURES, 'developer-role', 'home'), h, { recursive: true });
  const cfgPath = path.join(h, '.openclaw', 'openclaw.json');
  const cfg = JSON.parse(fs.readFileSync(cfgPath, 'utf8')) as { gateway: { port: number } };
  cfg.gateway.port = port;
  fs.writeFileSync(cfgPath, JSON.stringify(cfg, null, 2));
  const db = path.join(h, '.openclaw', 'agents', 'main', 'agent', 'openclaw-agent.sqlite');
  const calls = path.join(h, 'calls.log');
  const bin = path.join(h, 'bin');
  fs.mkdirSync(bin);
  // What sessions.reset does to the database in the product: the key gets a fresh transcript id.
  fs.writeFileSync(
    path.join(bin, 'openclaw'),
    `#!${process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(calls)}, args.join(' ') + '\\n');
if (args[0] !== 'gateway' || args[1] !== 'call' || args[2] !== 'sessions.reset') process.exit(1);
const { key } = JSON.parse(args[args.indexOf('--params') + 1]);
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(${JSON.stringify(db)}, { enableForeignKeyConstraints: false });
db.prepare('UPDATE session_nodes SET current_session_id = ? WHERE session_key = ?').run(require('node:crypto').randomUUID(), key);
db.close();
console.log(JSON.stringify({ ok: true, key }));
`,
    { mode: 0o755 },
  );
  const env = { HOME: h, PATH: `${bin}${path.delimiter}${path.dirname(process.execPath)}`, USER: 'tester', CLAW_DOCTOR_LOG_ROOTS: path.join(h, 'no-logs') };
  return { home: h, db, calls, env };
}

async function listen(): Promise<number> {
  const s = http.createServer((_req, res) => res.end('openclaw control ui'));
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as AddressInfo).port;
}

async function currentSession(db: string): Promise<string> {
  const d = new sqlite!.DatabaseSync(`file:${db}?mode=ro&immutable=1`, { readOnly: true });
  const row = d.prepare("SELECT current_session_id AS id FROM session_nodes WHERE session_key = 'agent:main:main'").get() as { id: string };
  d.close();
  return row.id;
}

describe.skipIf(!sqlite)('--reset-sessions on OpenClaw 2026.9', () => {
  it('backs the database up, verified, then resets each session through the gateway and confirms it', async () => {
    const port = await listen();
    const h = home(port);
    const before = await currentSession(h.db);
    const r = await runCli(['--reset-sessions', '--yes', '--offline'], { env: h.env, cwd: h.home });
    expect(r.stdout).toMatch(/1 session\(s\) in .*openclaw-agent\.sqlite \(OpenClaw 2026\.9 keeps them in SQLite\): agent:main:main/);
    expect(r.stdout).toMatch(/1 session\(s\) of agent main reset; a verified copy of the database is in/);
    expect(r.stdout).toMatch(/`claw-doctor undo` reverts this run/);
    const resets = fs.readFileSync(h.calls, 'utf8').split('\n').filter((l) => l.includes('sessions.reset'));
    expect(resets).toEqual(['gateway call sessions.reset --params {"key":"agent:main:main","reason":"reset"} --json']);
    expect(await currentSession(h.db)).not.toBe(before);
    const backups = fs.readdirSync(path.join(h.home, '.openclaw', 'backups')).filter((f) => /^agent-main-\d{8}-\d{6}\.sqlite$/.test(f));
    expect(backups).toHaveLength(1);
    const backup = path.join(h.home, '.openclaw', 'backups', backups[0]);
    expect(fs.statSync(backup).mode & 0o777).toBe(0o600);
    expect(await currentSession(backup)).toBe(before); // the copy holds the session as it was

    // The run is journaled: undo puts the verified copy back and keeps what it replaced.
    const stateDir = path.join(h.home, '.openclaw');
    const undone = await undoLast(stateDir);
    expect(undone.status).toBe('undone');
    expect(await currentSession(h.db)).toBe(before);
    expect(fs.readFileSync(h.db).equals(fs.readFileSync(backup))).toBe(true);
    const kept = fs.readdirSync(path.dirname(h.db)).filter((f) => f.startsWith('openclaw-agent.sqlite.claw-doctor-undo-'));
    expect(kept).toHaveLength(1);
  });

  it('with no gateway answering: nothing is touched, no backup, and the output says what to do', async () => {
    const port = await listen();
    await new Promise((r) => servers.pop()!.close(r)); // a port nothing listens on
    const h = home(port);
    const before = fs.readFileSync(h.db);
    const r = await runCli(['--reset-sessions', '--yes', '--offline'], { env: h.env, cwd: h.home });
    expect(r.stdout).toMatch(/nothing answers on port \d+: the reset needs the gateway running/);
    expect(r.stdout).toMatch(/resets a session through its running gateway, and none answers/);
    expect(r.code).not.toBe(0);
    expect(fs.readFileSync(h.db).equals(before)).toBe(true);
    expect(fs.existsSync(path.join(h.home, '.openclaw', 'backups'))).toBe(false);
    expect(fs.existsSync(h.calls) ? fs.readFileSync(h.calls, 'utf8') : '').not.toMatch(/sessions\.reset/);
  });

  it('--dry-run shows the plan and changes nothing', async () => {
    const port = await listen();
    const h = home(port);
    const before = fs.readFileSync(h.db);
    const r = await runCli(['--reset-sessions', '--dry-run', '--offline'], { env: h.env, cwd: h.home });
    expect(r.stdout).toMatch(/gateway call sessions\.reset/);
    expect(fs.readFileSync(h.db).equals(before)).toBe(true);
    expect(fs.existsSync(path.join(h.home, '.openclaw', 'backups'))).toBe(false);
  });
});
