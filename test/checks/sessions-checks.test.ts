// Table-driven tests of the sessions.* checks, in-process through diagnose(): the real V1 state dir and
// generated ones in a temp HOME. Logs always come from an empty temp --log-dir (never the real /tmp).
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { findingsFor, fixtureConfig, tempHome, type TempHome } from '../support/doctor.js';
import {
  V1_STATE,
  V1_MAIN_SESSION,
  assistantError,
  assistantOk,
  cleanupTemp,
  copyTree,
  lines,
  sessionHeader,
  setMtime,
  tempDir,
  userMessage,
} from '../support/logs-fixtures.js';
import { findFinding, type FindingExpect } from '../support/findings.js';

const WORKING = fixtureConfig('config-working.json5');
const V1 = (text: string) => text.replace('{\n', '{\n  "meta": { "lastTouchedVersion": "2026.1.24" },\n');
const BASE = Date.now() - 60 * 60 * 1000;
const at = (sec: number) => new Date(BASE + sec * 1000).toISOString();
const SESSIONS = '.clawdbot/agents/main/sessions';
const ROLE_400 = "400 Invalid request: role 'developer' is not allowed";
const GATE_403 = '403 Kimi For Coding is currently only available for Coding Agents such as Kimi CLI, Claude Code, Roo Code, Kilo Code, etc.';

interface Expect extends FindingExpect {
  repair?: (h: TempHome) => unknown;
  noRepair?: boolean;
}

interface Case {
  name: string;
  config?: string;
  /** Config mtime, seconds relative to BASE. */
  configAt?: number;
  fixtureState?: boolean;
  /** Files relative to HOME. */
  files?: Record<string, string>;
  setup?: (h: TempHome) => void;
  expect: Expect[];
  /** Findings that must not exist (check + title). */
  absent?: { check: string; title: RegExp }[];
  statuses?: Record<string, string>;
}

const store = (entries: Record<string, Record<string, unknown>>) => JSON.stringify(entries, null, 2);
const transcript = (id: string, ...body: string[]) => lines(sessionHeader(id, at(0)), ...body);
const mainStore = (extra: Record<string, unknown> = {}) => store({ 'agent:main:main': { sessionId: 's-main', updatedAt: BASE + 100000, ...extra } });
const resetRepair = (h: TempHome) => ({
  kind: 'sessions.reset',
  summary: 'back up and clear the sessions of agent main',
  data: { stateDir: h.stateDir, agentId: 'main', sessionsDir: path.join(h.stateDir, 'agents/main/sessions') },
});

const cases: Case[] = [
  {
    name: 'the real V1 state: summary, the 403 and the role error, a session that failed before the fix',
    config: V1(WORKING),
    fixtureState: true,
    expect: [
      { check: 'sessions.store', severity: 'info', title: /Agent main: 1 session\(s\), 2 transcript\(s\) \(4\.2 KiB\), last activity .*21:48:35Z/, detail: /agent:main:main[\s\S]*1 probe transcript/ },
      { check: 'sessions.errors', severity: 'warn', title: /User-Agent gate\) \(2× in 2 sessions\)/, detail: /1 from `models status --probe`[\s\S]*"403 Kimi For Coding[\s\S]*before the config was last changed/, cause: 'client-gate' },
      { check: 'sessions.errors', severity: 'warn', title: /role "developer".*\(1× in 1 session\)/, detail: /"400 Invalid request: role 'developer' is not allowed"/, evidence: new RegExp(`${V1_MAIN_SESSION}\\.jsonl:10 `), cause: 'developer-role' },
      { check: 'sessions.errors', severity: 'info', title: /failed with role errors before the config fix/, noRepair: true },
    ],
    statuses: { 'sessions.integrity': 'pass' },
  },
  {
    name: 'poisoned: role errors continue after the config was fixed → error with the sessions.reset repair',
    config: V1(WORKING),
    configAt: 50,
    files: {
      [`${SESSIONS}/sessions.json`]: mainStore(),
      [`${SESSIONS}/s-main.jsonl`]: transcript('s-main', userMessage('hi', at(1)), assistantOk(at(2)), userMessage('again', at(10)), assistantError(at(11), ROLE_400), userMessage('and again', at(60)), assistantError(at(61), ROLE_400), userMessage('once more', at(70)), assistantError(at(71), ROLE_400)),
    },
    expect: [
      {
        check: 'sessions.errors',
        severity: 'error',
        title: /Poisoned session\(s\) in agent main: role errors continue after the config was fixed/,
        detail: /agent:main:main: 2 role\/ordering error\(s\) after the config was corrected \(3 in all\)/,
        fix: /--reset-sessions/,
        cause: 'sessions-poisoned:main',
        repair: resetRepair,
      },
      // Raw errors are counted too; the last one is after the config change, so it stays an error.
      // …and their fix is the reset, not the config change the config already has.
      { check: 'sessions.errors', severity: 'error', title: /role "developer".*\(3× in 1 session\)/, detail: /no longer sends role "developer"/, fix: /--reset-sessions/, cause: 'developer-role' },
    ],
  },
  {
    name: 'no config to date the fix: repeated role errors → likely poisoned, warn with the repair',
    files: {
      '.clawdbot/clawdbot.json': '{}',
      [`${SESSIONS}/sessions.json`]: mainStore(),
      [`${SESSIONS}/s-main.jsonl`]: transcript('s-main', userMessage('a', at(10)), assistantError(at(11), ROLE_400), userMessage('b', at(20)), assistantError(at(21), ROLE_400)),
    },
    setup: (h) => fs.rmSync(h.configPath),
    expect: [{ check: 'sessions.errors', severity: 'warn', title: /keep failing with role errors: likely poisoned/, cause: 'sessions-poisoned:main', repair: resetRepair }],
  },
  {
    name: 'the config still sends role "developer": no poisoning claim, fix the config first',
    config: V1(fixtureConfig('config-no-compat.json5')),
    configAt: 5,
    files: {
      [`${SESSIONS}/sessions.json`]: mainStore(),
      [`${SESSIONS}/s-main.jsonl`]: transcript('s-main', userMessage('a', at(10)), assistantError(at(11), ROLE_400), userMessage('b', at(20)), assistantError(at(21), ROLE_400)),
    },
    expect: [
      { check: 'provider.compat', severity: 'error', cause: 'developer-role' },
      { check: 'sessions.errors', severity: 'error', title: /role "developer"/, detail: /fix the config first[\s\S]*Same cause as provider\.compat/, fix: /See the fix under provider\.compat/, cause: 'developer-role' },
    ],
    absent: [{ check: 'sessions.errors', title: /oison|keep failing/ }],
  },
  {
    name: 'a session that recovered (a reply after the errors) is not poisoned',
    config: V1(WORKING),
    configAt: 50,
    files: {
      [`${SESSIONS}/sessions.json`]: mainStore(),
      [`${SESSIONS}/s-main.jsonl`]: transcript('s-main', userMessage('a', at(60)), assistantError(at(61), ROLE_400), userMessage('b', at(70)), assistantOk(at(71))),
    },
    expect: [{ check: 'sessions.errors', severity: 'error', title: /role "developer"/ }],
    absent: [{ check: 'sessions.errors', title: /oison|keep failing|failed with role errors/ }],
  },
  {
    name: 'classified by text, not type: a weekly quota 403 is not the client gate',
    config: V1(WORKING),
    configAt: 0,
    files: {
      [`${SESSIONS}/sessions.json`]: mainStore(),
      [`${SESSIONS}/s-main.jsonl`]: transcript('s-main', userMessage('a', at(10)), assistantError(at(11), "403 You've reached your weekly (7-day) usage limit. Please try again later.")),
    },
    expect: [{ check: 'sessions.errors', severity: 'error', title: /Weekly \(7-day\) usage limit reached \(1× in 1 session\)/, cause: 'quota-weekly' }],
    absent: [{ check: 'sessions.errors', title: /User-Agent gate/ }],
  },
  {
    name: 'an error classify.ts does not know is shown raw, without a cause',
    config: V1(WORKING),
    configAt: 0,
    files: {
      [`${SESSIONS}/sessions.json`]: mainStore(),
      [`${SESSIONS}/s-main.jsonl`]: transcript('s-main', userMessage('a', at(10)), assistantError(at(11), '418 I am a teapot')),
    },
    expect: [{ check: 'sessions.errors', severity: 'error', title: /does not know/, detail: /"418 I am a teapot"/, cause: null }],
  },
  {
    name: 'a transcript cut mid-line',
    config: V1(WORKING),
    files: {
      [`${SESSIONS}/sessions.json`]: mainStore(),
      [`${SESSIONS}/s-main.jsonl`]: lines(sessionHeader('s-main', at(0)), userMessage('hi', at(1)), assistantOk(at(2))) + '{"type":"message","timestamp":"' + at(3) + '","message":{"role":"user","cont',
    },
    expect: [{ check: 'sessions.integrity', severity: 'warn', title: /1 transcript ends mid-line/, evidence: /s-main\.jsonl:4$/, fix: /Stop the gateway first/ }],
    statuses: { 'sessions.store': 'pass', 'sessions.errors': 'pass' },
  },
  {
    name: 'a line that is not JSON, a transcript without header, a missing transcript, a stale lock',
    config: V1(WORKING),
    files: {
      [`${SESSIONS}/sessions.json`]: store({
        'agent:main:main': { sessionId: 's-main', updatedAt: BASE },
        'agent:main:gone': { sessionId: 's-gone', updatedAt: BASE },
        'agent:main:nohead': { sessionId: 's-nohead', updatedAt: BASE },
      }),
      [`${SESSIONS}/s-main.jsonl`]: lines(sessionHeader('s-main', at(0)), 'not json at all', assistantOk(at(2))),
      [`${SESSIONS}/s-nohead.jsonl`]: lines(userMessage('hi', at(1)), assistantOk(at(2))),
      [`${SESSIONS}/sessions.json.lock`]: '',
      [`${SESSIONS}/s-main.jsonl.lock`]: '',
    },
    setup: (h) => setMtime(path.join(h.home, SESSIONS, 'sessions.json.lock'), Date.now() - 2 * 60 * 60 * 1000),
    expect: [
      { check: 'sessions.integrity', severity: 'warn', title: /1 transcript has lines that are not valid JSON/, evidence: /s-main\.jsonl:2$/ },
      { check: 'sessions.integrity', severity: 'warn', title: /1 transcript has no session header/, evidence: /s-nohead\.jsonl:1$/ },
      { check: 'sessions.integrity', severity: 'info', title: /1 session in sessions\.json without a transcript/, detail: /agent:main:gone/ },
      { check: 'sessions.integrity', severity: 'warn', title: /1 stale lock file \(older than 30 min\)/, evidence: /sessions\.json\.lock$/, detail: /1[12]\d min old/ },
    ],
    absent: [{ check: 'sessions.integrity', title: /2 stale lock/ }],
  },
  {
    name: 'sessions.json that does not parse',
    config: V1(WORKING),
    files: { [`${SESSIONS}/sessions.json`]: '{\n  "agent:main:main": { "sessionId": "x", }\n' },
    expect: [{ check: 'sessions.integrity', severity: 'warn', title: /sessions\.json is not valid JSON/, evidence: /sessions\.json:\d+$/ }],
  },
  {
    name: 'the legacy layout',
    config: V1(WORKING),
    files: {
      '.clawdbot/sessions/sessions.json': store({ main: { sessionId: 'old', updatedAt: BASE } }),
      '.clawdbot/sessions/old.jsonl': transcript('old', userMessage('hi', at(1)), assistantOk(at(2))),
    },
    expect: [
      { check: 'sessions.integrity', severity: 'info', title: /old layout/ },
      { check: 'sessions.store', severity: 'info', title: /Agent main \(legacy layout\): 1 session\(s\), 1 transcript/ },
    ],
  },
  {
    name: 'several agents, a model override',
    config: V1(WORKING),
    files: {
      [`${SESSIONS}/sessions.json`]: mainStore({ modelOverride: 'kimi-k2-turbo', providerOverride: 'moonshot' }),
      [`${SESSIONS}/s-main.jsonl`]: transcript('s-main', userMessage('hi', at(1)), assistantOk(at(2))),
      '.clawdbot/agents/work/sessions/sessions.json': store({ 'agent:work:main': { sessionId: 'w1', updatedAt: BASE } }),
      '.clawdbot/agents/work/sessions/w1.jsonl': transcript('w1'),
    },
    expect: [
      { check: 'sessions.store', severity: 'info', title: /Agent main: 1 session/, detail: /overrides: model=moonshot\/kimi-k2-turbo/ },
      { check: 'sessions.store', severity: 'info', title: /Agent work: 1 session/ },
      { check: 'sessions.store', severity: 'info', title: /Session agent:main:main uses model moonshot\/kimi-k2-turbo, not kimi-code\/kimi-for-coding/ },
    ],
  },
  {
    name: 'a state dir with no sessions yet',
    config: V1(WORKING),
    expect: [{ check: 'sessions.store', severity: 'info', title: /No sessions yet/ }],
    statuses: { 'sessions.errors': 'pass', 'sessions.integrity': 'pass' },
  },
  {
    name: 'no state dir: skipped, not failed',
    expect: [],
    statuses: { 'sessions.store': 'skipped', 'sessions.errors': 'skipped', 'sessions.integrity': 'skipped' },
  },
  {
    name: 'a transcript of binary garbage does not crash anything',
    config: V1(WORKING),
    setup: (h) => {
      const f = path.join(h.home, SESSIONS, 'junk.jsonl');
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(f, Buffer.from(Array.from({ length: 32 * 1024 }, (_, i) => (i * 31 + 7) % 256)));
    },
    expect: [{ check: 'sessions.integrity', severity: 'warn', title: /no session header/ }],
  },
];

let homes: TempHome[] = [];
afterEach(() => {
  for (const h of homes) h.cleanup();
  homes = [];
  cleanupTemp();
});

async function run(c: Case) {
  const h = tempHome();
  homes.push(h);
  if (c.config !== undefined) h.writeConfig(c.config);
  if (c.fixtureState) copyTree(path.join(V1_STATE, 'agents'), path.join(h.stateDir, 'agents'));
  for (const [rel, text] of Object.entries(c.files ?? {})) h.write(rel, text);
  c.setup?.(h);
  if (c.config !== undefined && c.configAt !== undefined) setMtime(h.configPath, BASE + c.configAt * 1000);
  const empty = tempDir();
  const result = await findingsFor(h, { logDir: empty }, { CLAW_DOCTOR_LOG_ROOTS: empty, TMPDIR: empty });
  return { ...result, h };
}


describe('sessions.* checks', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { findings, statuses, h } = await run(c);
    for (const [id, s] of Object.entries(statuses)) expect(s, id).not.toBe('crashed');
    for (const e of c.expect) {
      const hit = findFinding(findings, e, statuses);
      if (e.repair) expect(hit.repair).toEqual(e.repair(h));
      if (e.noRepair) expect(hit.repair).toBeUndefined();
    }
    for (const a of c.absent ?? []) expect(findings.filter((f) => f.check === a.check && a.title.test(f.title))).toEqual([]);
    for (const [id, status] of Object.entries(c.statuses ?? {})) expect(statuses[id], id).toBe(status);
  });
});
