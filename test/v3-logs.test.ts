// OpenClaw 2026.9's logs: the real dated files openclaw 2026.9.6 wrote (test/fixtures/openclaw-2026.9.6/*/log)
// and the names it uses (a profile in the name, rotated archives, the gateway service's own logs).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { explainNoThinkingLines, findTodayLogs, parseLogLine, readLogEvidence, serviceLogDirs } from '../src/facts/logs.js';
import { V3_FIXTURES, findingsFor } from './support/doctor.js';
import { makeTempHome, type TempHome } from './support/temp-home.js';
import { cleanupTemp, localDate, setMtime, tempDir, write } from './support/logs-fixtures.js';

afterEach(cleanupTemp);

const LOG = (setup: string) => path.join(V3_FIXTURES, setup, 'log', 'openclaw-2026-12-01.log');
const lines = (setup: string) => fs.readFileSync(LOG(setup), 'utf8').split('\n').filter(Boolean);
const NOW = new Date(2026, 11, 1, 12, 0, 0);
const TODAY = localDate(NOW);
const HOUR = 3600_000;

describe('2026.9 structured log lines', () => {
  it('an embedded_run_agent_end object is quoted by its raw provider answer, with its run id', () => {
    const line = lines('badkey').find((l) => l.includes('"embedded_run_agent_end"') && !l.includes('probe-'))!;
    const e = parseLogLine(line)!;
    expect(e).toMatchObject({ level: 'WARN', subsystem: 'agent/embedded', event: 'embedded_run_agent_end', runId: '5a54561f-6cdb-4b64-a75d-e754b00349d4' });
    expect(e.message).toBe(
      'embedded run agent end: 401: {"error":{"message":"The API Key appears to be invalid or may have expired. Please verify your credentials and try again.","type":"invalid_authentication_error"}}',
    );
  });

  it('an {"errorName"} part reads as its name, not as JSON', () => {
    const line = lines('badkey').find((l) => l.includes('"errorName":"FailoverError"'))!;
    expect(parseLogLine(line)!.message).toMatch(/^lane task error: lane=main .* FailoverError:$/);
  });

  it.each([
    ['badkey', 401, 'key-invalid'],
    ['gate-no-ua', 403, 'client-gate'],
  ])('%s: the error is grouped with status %i and a cause; probe runs are counted apart; the user run is seen', async (setup, status) => {
    const ev = await readLogEvidence([LOG(setup)]);
    const known = ev.errors.filter((g) => g.kind === 'provider' && g.cause);
    expect(known.length).toBeGreaterThan(0);
    expect(known.some((g) => g.status === status || g.sample.includes(`${status}: {`))).toBe(true);
    for (const g of ev.errors) {
      expect(g.sample).not.toContain('"event":');
      expect(g.sample).not.toMatch(/probe-kimi-/);
    }
    expect(ev.probeErrors).toBeGreaterThan(0);
    expect(ev.agentRuns?.map((r) => r.runId)).toHaveLength(1);
    expect(ev.thinkingRuns).toEqual([]); // default level: no DEBUG line
  });

  it('healthy at debug: thinking=off of the user run, probe runs marked, no error', async () => {
    const ev = await readLogEvidence([LOG('healthy')]);
    expect(ev.thinkingRuns.filter((r) => !r.probe).map((r) => r.thinking)).toEqual(['off']);
    expect(ev.thinkingRuns.filter((r) => r.probe)).toHaveLength(2);
    expect(ev.errors.filter((g) => g.kind !== 'other')).toEqual([]);
  });
});

describe('2026.9 log file names', () => {
  it('profile-named files are read only for that profile; rotated archives are read', async () => {
    const root = tempDir();
    const dir = path.join(root, 'openclaw');
    const plain = write(path.join(dir, `openclaw-${TODAY}.log`), 'x\n');
    const work = write(path.join(dir, `openclaw-work-${TODAY}.log`), 'x\n');
    const workRotated = write(path.join(dir, `openclaw-work-${TODAY}.1.log`), 'x\n');
    const plainRotated = write(path.join(dir, `openclaw-${TODAY}.log.2`), 'x\n');
    const dashed = write(path.join(dir, `openclaw-my-team-${TODAY}.log`), 'x\n');
    for (const f of [plain, work, workRotated, plainRotated, dashed]) setMtime(f, NOW.getTime() - HOUR);

    const none = await findTodayLogs({ env: {}, now: NOW, roots: [root], tmpDir: root, uid: 1 });
    expect(none.files.map((f) => f.path).sort()).toEqual([plain, plainRotated].sort());
    expect(none.files.find((f) => f.path === plainRotated)).toMatchObject({ archive: 2, today: true });

    const withWork = await findTodayLogs({ env: {}, now: NOW, roots: [root], tmpDir: root, uid: 1, profile: 'work' });
    expect(withWork.files.map((f) => f.path).sort()).toEqual([work, workRotated].sort());
    expect(withWork.tried).toContain(path.join(dir, `openclaw-work-${TODAY}.log`));

    const fromEnv = await findTodayLogs({ env: { OPENCLAW_PROFILE: 'my-team' }, now: NOW, roots: [root], tmpDir: root, uid: 1 });
    expect(fromEnv.files.map((f) => f.path)).toEqual([dashed]);
  });

  it('the gateway service logs (Linux <stateDir>/logs, macOS ~/Library/Logs/openclaw) when written in the last 24 h', async () => {
    const home = tempDir();
    const stateDir = path.join(home, '.openclaw');
    const linux = write(path.join(stateDir, 'logs', 'gateway.err.log'), 'Error: listen EADDRINUSE\n');
    const mac = write(path.join(home, 'Library', 'Logs', 'openclaw', 'gateway.log'), 'started\n');
    const old = write(path.join(stateDir, 'logs', 'gateway.log'), 'old\n');
    setMtime(linux, NOW.getTime() - HOUR);
    setMtime(mac, NOW.getTime() - HOUR);
    setMtime(old, NOW.getTime() - 3 * 24 * HOUR);
    const r = await findTodayLogs({ env: {}, now: NOW, roots: [tempDir()], tmpDir: tempDir(), uid: 1, serviceDirs: serviceLogDirs(stateDir, home) });
    expect(r.files.map((f) => f.path).sort()).toEqual([linux, mac].sort());
    expect(r.files.every((f) => f.service && f.product === 'openclaw')).toBe(true);
  });
});

describe('2026.9 and the thinking= line', () => {
  it('no level inversion: debug records it; info hides it and "debug" is the fix', () => {
    const debug = explainNoThinkingLines({ loggingLevel: 'debug', generation: 'V3', runsToday: true, version: '2026.9.6' });
    expect(debug.reason).toBe('level-ok');
    expect(debug.fix).toBeUndefined();
    const info = explainNoThinkingLines({ generation: 'V3', runsToday: true, version: '2026.9.6' });
    expect(info.fix?.value).toBe('debug');
    expect(info.text).not.toMatch(/invers/);
    expect(info.text).toMatch(/does not invert/);
  });

  it('an older openclaw keeps the hedge: "debug", else "warn"', () => {
    const e = explainNoThinkingLines({ generation: 'V3', runsToday: true, version: '2026.2.1' });
    expect(e.text).toMatch(/V1\/V2 inversion/);
  });
});

describe('logs.thinking on a 2026.9 home', () => {
  let h: TempHome | undefined;
  afterEach(() => h?.cleanup());

  /** The fixture's config and its log, re-dated to today (the check judges today's runs). */
  function homeWith(setup: string): TempHome {
    h = makeTempHome();
    h.write('.openclaw/openclaw.json', fs.readFileSync(path.join(V3_FIXTURES, setup, 'home/.openclaw/openclaw.json'), 'utf8'));
    const today = localDate(new Date());
    const iso = new Date().toISOString().slice(0, 10);
    const text = fs.readFileSync(LOG(setup), 'utf8').replaceAll('2026-12-01T', `${iso}T`);
    h.write(`log/openclaw-${today}.log`, text);
    return h;
  }

  it('a run seen only by its structured events is a run: not "No agent run today"', async () => {
    const home = homeWith('gate-no-ua');
    const { findings } = await findingsFor(home, { only: ['logs.thinking'], logDir: path.join(home.home, 'log') });
    expect(findings).toHaveLength(1);
    expect(findings[0].title).toBe('No thinking= line today although the agent ran');
    expect(findings[0].detail).not.toMatch(/No agent run today/);
    expect(findings[0].repair?.data).toMatchObject({ path: ['logging', 'level'], value: 'debug' });
  });

  it('healthy: thinking=off is what the Kimi plugin gives kimi-for-coding by default: no warning', async () => {
    const home = homeWith('healthy');
    const { findings } = await findingsFor(home, { only: ['logs.thinking'], logDir: path.join(home.home, 'log') });
    expect(findings.map((f) => [f.severity, f.title])).toEqual([['info', "The last run used thinking=off (the model's default)"]]);
  });
});

describe('logs.today with 2026.9 service logs and rotated parts', () => {
  let h: TempHome | undefined;
  afterEach(() => h?.cleanup());

  it('a plain-text gateway service log is named as such, not "does not look like the product\'s log"', async () => {
    h = makeTempHome();
    h.write('.openclaw/openclaw.json', JSON.stringify({ meta: { lastTouchedVersion: '2026.9.6' } }));
    h.write('.openclaw/logs/gateway.err.log', 'Error: listen EADDRINUSE: address already in use 127.0.0.1:18789\n');
    const { findings } = await findingsFor(h, { only: ['logs.today'] });
    expect(findings.map((f) => f.severity)).toEqual(['info']);
    expect(findings[0].title).toMatch(/^Read the gateway service log: ~\/\.openclaw\/logs\/gateway\.err\.log /);
  });

  it('a rotated part of today\'s log is read and named', async () => {
    h = makeTempHome();
    h.write('.openclaw/openclaw.json', JSON.stringify({ meta: { lastTouchedVersion: '2026.9.6' } }));
    const today = localDate(new Date());
    const line = lines('healthy')[0];
    h.write(`log/openclaw-${today}.1.log`, `${line}\n`);
    h.write(`log/openclaw-${today}.log`, `${line}\n`);
    const { findings } = await findingsFor(h, { only: ['logs.today'], logDir: path.join(h.home, 'log') });
    const titles = findings.map((f) => f.title);
    expect(titles.some((t) => t.startsWith("Read today's log: "))).toBe(true);
    expect(titles.some((t) => t.startsWith("Read a rotated part of today's log: "))).toBe(true);
  });
});
