// The sessions.* checks, one table per check (test/support/check-tester.ts): the real V1 state dir and
// generated ones in a temp HOME. The sessions reset a poisoned store offers is applied with --fix.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { fixtureConfig } from '../support/doctor.js';
import { V1_STATE, V1_MAIN_SESSION, assistantError, assistantOk, copyTree, lines, sessionHeader, setMtime, userMessage } from '../support/logs-fixtures.js';
import { checkTable, type CheckTable } from '../support/check-tester.js';
import type { TempHome } from '../support/temp-home.js';

const WORKING = fixtureConfig('config-working.json5');
const V1 = (text: string) => text.replace('{\n', '{\n  "meta": { "lastTouchedVersion": "2026.1.24" },\n');
const BASE = Date.now() - 60 * 60 * 1000;
const at = (sec: number) => new Date(BASE + sec * 1000).toISOString();
const SESSIONS = '.clawdbot/agents/main/sessions';
const ROLE_400 = "400 Invalid request: role 'developer' is not allowed";
const ROLE_TITLE = (n: number) => `The system prompt is sent with role "developer", which Kimi rejects (${n}× in 1 session)`;

const store = (entries: Record<string, Record<string, unknown>>) => JSON.stringify(entries, null, 2);
const transcript = (id: string, ...body: string[]) => lines(sessionHeader(id, at(0)), ...body);
const mainStore = (extra: Record<string, unknown> = {}) => store({ 'agent:main:main': { sessionId: 's-main', updatedAt: BASE + 100000, ...extra } });
const resetRepair = (h: TempHome) => ({
  kind: 'sessions.reset' as const,
  summary: 'back up and clear the sessions of agent main',
  data: { stateDir: h.stateDir, agentId: 'main', sessionsDir: path.join(h.stateDir, 'agents/main/sessions') },
});
/** After the reset: no transcript left, one archive of them in the backups dir. */
const resetDone = (h: TempHome) => {
  expect(fs.readdirSync(h.sessionsDir).filter((n) => n.endsWith('.jsonl'))).toEqual([]);
  expect(fs.readdirSync(h.backupsDir).filter((n) => n.endsWith('.tar.gz'))).toHaveLength(1);
};

interface SessionsRow {
  /** Config mtime, seconds relative to BASE. */
  configAt?: number;
  /** Copy the real V1 state dir (sessions) into ~/.clawdbot. */
  fixtureState?: boolean;
}

const prepare: CheckTable<SessionsRow>['prepare'] = (h, row) => {
  if (row.fixtureState) copyTree(path.join(V1_STATE, 'agents'), path.join(h.stateDir, 'agents'));
  if (row.config !== undefined && row.configAt !== undefined) setMtime(h.configPath, BASE + row.configAt * 1000);
};

checkTable<SessionsRow>('sessions.store', {
  prepare,
  valid: [{ name: 'no state dir: skipped, not failed', status: 'skipped' }],
  invalid: [
    {
      name: 'the real V1 state: a summary with the probe transcript counted apart',
      config: V1(WORKING),
      fixtureState: true,
      findings: [{ severity: 'info', title: 'Agent main: 1 session(s), 2 transcript(s) (4.2 KiB), last activity 2026-11-23 21:48:35Z', detail: /agent:main:main[\s\S]*1 probe transcript/ }],
    },
    {
      name: 'the legacy layout',
      config: V1(WORKING),
      files: { '.clawdbot/sessions/sessions.json': store({ main: { sessionId: 'old', updatedAt: BASE } }), '.clawdbot/sessions/old.jsonl': transcript('old', userMessage('hi', at(1)), assistantOk(at(2))) },
      findings: [{ severity: 'info', title: /^Agent main \(legacy layout\): 1 session\(s\), 1 transcript\(s\) \(480 B\), last activity / }],
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
      findings: [
        { severity: 'info', title: /^Agent main: 1 session\(s\), 1 transcript\(s\)/, detail: /overrides: model=moonshot\/kimi-k2-turbo/ },
        { severity: 'info', title: 'Session agent:main:main uses model moonshot/kimi-k2-turbo, not kimi-code/kimi-for-coding' },
        { severity: 'info', title: /^Agent work: 1 session\(s\), 1 transcript\(s\)/ },
      ],
    },
    {
      name: 'a session thinkingLevel beats thinkingDefault',
      config: V1(WORKING),
      files: { [`${SESSIONS}/sessions.json`]: mainStore({ thinkingLevel: 'high' }), [`${SESSIONS}/s-main.jsonl`]: transcript('s-main') },
      findings: [{ severity: 'info', title: /^Agent main: 1 session/ }, { severity: 'info', title: 'Session agent:main:main: thinkingLevel "high" beats thinkingDefault "low"' }],
    },
    {
      name: 'a session "off" override is a warning: thinking is off in that chat',
      config: V1(WORKING),
      files: { [`${SESSIONS}/sessions.json`]: mainStore({ thinkingLevel: 'off' }), [`${SESSIONS}/s-main.jsonl`]: transcript('s-main') },
      findings: [{ severity: 'info', title: /^Agent main: 1 session/ }, { severity: 'warn', title: /thinkingLevel "off" beats thinkingDefault "low"/ }],
    },
    { name: 'a state dir with no sessions yet', config: V1(WORKING), findings: [{ severity: 'info', title: 'No sessions yet' }] },
  ],
});

checkTable<SessionsRow>('sessions.errors', {
  prepare,
  valid: [
    { name: 'no state dir: skipped, not failed', status: 'skipped' },
    { name: 'a state dir with no sessions yet', config: V1(WORKING) },
    { name: 'sessions that answered', config: V1(WORKING), files: { [`${SESSIONS}/sessions.json`]: mainStore(), [`${SESSIONS}/s-main.jsonl`]: transcript('s-main', userMessage('hi', at(1)), assistantOk(at(2))) } },
  ],
  invalid: [
    {
      name: 'the real V1 state: the 403 and the role error, a session that failed before the fix',
      config: V1(WORKING),
      fixtureState: true,
      findings: [
        { severity: 'warn', title: 'Kimi For Coding refused the client (User-Agent gate) (2× in 2 sessions)', detail: /1 from `models status --probe`[\s\S]*"403 Kimi For Coding[\s\S]*before the config was last changed/, cause: 'client-gate' },
        { severity: 'warn', title: ROLE_TITLE(1), detail: /"400 Invalid request: role 'developer' is not allowed"/, evidence: new RegExp(`${V1_MAIN_SESSION}\\.jsonl:10 `), cause: 'developer-role' },
        // Failed before the config fix and silent since: worth knowing, not a reset the user must make.
        { severity: 'info', title: 'Session(s) in agent main failed with role errors before the config fix and have not replied since', cause: 'sessions-poisoned:main' },
      ],
    },
    {
      name: 'poisoned: role errors continue after the config was fixed → error, and the reset clears them',
      config: V1(WORKING),
      configAt: 50,
      files: {
        [`${SESSIONS}/sessions.json`]: mainStore(),
        [`${SESSIONS}/s-main.jsonl`]: transcript('s-main', userMessage('hi', at(1)), assistantOk(at(2)), userMessage('again', at(10)), assistantError(at(11), ROLE_400), userMessage('and again', at(60)), assistantError(at(61), ROLE_400), userMessage('once more', at(70)), assistantError(at(71), ROLE_400)),
      },
      findings: [
        // The last error is after the config change, so it stays an error; its fix is the reset, not the config.
        { severity: 'error', title: ROLE_TITLE(3), detail: /no longer sends role "developer"/, fix: /--reset-sessions/, cause: 'developer-role' },
        {
          severity: 'error',
          title: 'Poisoned session(s) in agent main: role errors continue after the config was fixed',
          detail: /agent:main:main: 2 role\/ordering error\(s\) after the config was corrected \(3 in all\)/,
          fix: /--reset-sessions/,
          cause: 'sessions-poisoned:main',
          repair: resetRepair,
        },
      ],
      afterFix: resetDone,
    },
    {
      name: 'no config to date the fix: repeated role errors → likely poisoned, warn with the reset',
      files: {
        [`${SESSIONS}/sessions.json`]: mainStore(),
        [`${SESSIONS}/s-main.jsonl`]: transcript('s-main', userMessage('a', at(10)), assistantError(at(11), ROLE_400), userMessage('b', at(20)), assistantError(at(21), ROLE_400)),
      },
      findings: [
        { severity: 'error', title: ROLE_TITLE(2), cause: 'developer-role' },
        { severity: 'warn', title: 'Session(s) in agent main keep failing with role errors: likely poisoned', cause: 'sessions-poisoned:main', repair: resetRepair },
      ],
      afterFix: resetDone,
    },
    {
      name: 'the config still sends role "developer": no poisoning claim, the same cause as provider.compat',
      config: V1(fixtureConfig('config-no-compat.json5')),
      configAt: 5,
      also: ['provider.compat'],
      files: {
        [`${SESSIONS}/sessions.json`]: mainStore(),
        [`${SESSIONS}/s-main.jsonl`]: transcript('s-main', userMessage('a', at(10)), assistantError(at(11), ROLE_400), userMessage('b', at(20)), assistantError(at(21), ROLE_400)),
      },
      findings: [
        { check: 'provider.compat', severity: 'error', cause: 'developer-role' },
        { severity: 'error', title: ROLE_TITLE(2), detail: /fix the config first[\s\S]*Same cause as provider\.compat/, fix: 'See the fix under provider.compat.', cause: 'developer-role' },
      ],
    },
    {
      name: 'a session that recovered (a reply after the errors) is not poisoned',
      config: V1(WORKING),
      configAt: 50,
      files: { [`${SESSIONS}/sessions.json`]: mainStore(), [`${SESSIONS}/s-main.jsonl`]: transcript('s-main', userMessage('a', at(60)), assistantError(at(61), ROLE_400), userMessage('b', at(70)), assistantOk(at(71))) },
      findings: [{ severity: 'error', title: ROLE_TITLE(1), cause: 'developer-role' }],
    },
    {
      name: 'classified by text, not type: a weekly quota 403 is not the client gate',
      config: V1(WORKING),
      configAt: 0,
      files: { [`${SESSIONS}/sessions.json`]: mainStore(), [`${SESSIONS}/s-main.jsonl`]: transcript('s-main', userMessage('a', at(10)), assistantError(at(11), "403 You've reached your weekly (7-day) usage limit. Please try again later.")) },
      findings: [{ severity: 'error', title: 'Weekly (7-day) usage limit reached (1× in 1 session)', cause: 'quota-weekly' }],
    },
    {
      name: 'an error classify.ts does not know is shown raw, without a cause',
      config: V1(WORKING),
      configAt: 0,
      files: { [`${SESSIONS}/sessions.json`]: mainStore(), [`${SESSIONS}/s-main.jsonl`]: transcript('s-main', userMessage('a', at(10)), assistantError(at(11), '418 I am a teapot')) },
      findings: [{ severity: 'error', title: 'The API refused the request for a reason claw-doctor does not know (1× in 1 session)', detail: /"418 I am a teapot"/, cause: null }],
    },
  ],
});

checkTable<SessionsRow>('sessions.integrity', {
  prepare,
  valid: [
    { name: 'no state dir: skipped, not failed', status: 'skipped' },
    { name: 'the real V1 state', config: V1(WORKING), fixtureState: true },
    { name: 'a state dir with no sessions yet', config: V1(WORKING) },
  ],
  invalid: [
    {
      name: 'a transcript cut mid-line',
      config: V1(WORKING),
      files: {
        [`${SESSIONS}/sessions.json`]: mainStore(),
        [`${SESSIONS}/s-main.jsonl`]: lines(sessionHeader('s-main', at(0)), userMessage('hi', at(1)), assistantOk(at(2))) + '{"type":"message","timestamp":"' + at(3) + '","message":{"role":"user","cont',
      },
      findings: [{ severity: 'warn', title: '1 transcript ends mid-line', evidence: /s-main\.jsonl:4$/, fix: /Stop the gateway first/ }],
    },
    {
      name: 'a line that is not JSON, a transcript without header, a missing transcript, a stale lock (and a fresh one)',
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
      findings: [
        { severity: 'info', title: '1 session in sessions.json without a transcript', detail: /agent:main:gone/ },
        { severity: 'warn', title: '1 stale lock file (older than 30 min)', evidence: /sessions\.json\.lock$/, detail: /1[12]\d min old/ },
        { severity: 'warn', title: '1 transcript has no session header', evidence: /s-nohead\.jsonl:1$/ },
        { severity: 'warn', title: '1 transcript has lines that are not valid JSON', evidence: /s-main\.jsonl:2$/ },
      ],
    },
    {
      name: 'sessions.json that does not parse',
      config: V1(WORKING),
      files: { [`${SESSIONS}/sessions.json`]: '{\n  "agent:main:main": { "sessionId": "x", }\n' },
      findings: [{ severity: 'warn', title: 'sessions.json is not valid JSON', evidence: /sessions\.json:\d+$/ }],
    },
    {
      name: 'the legacy layout',
      config: V1(WORKING),
      files: { '.clawdbot/sessions/sessions.json': store({ main: { sessionId: 'old', updatedAt: BASE } }), '.clawdbot/sessions/old.jsonl': transcript('old', userMessage('hi', at(1)), assistantOk(at(2))) },
      findings: [{ severity: 'info', title: 'Sessions in the old layout (<stateDir>/sessions/)' }],
    },
    {
      name: 'a transcript of binary garbage does not crash anything',
      config: V1(WORKING),
      files: { [`${SESSIONS}/junk.jsonl`]: Buffer.from(Array.from({ length: 32 * 1024 }, (_, i) => (i * 31 + 7) % 256)) },
      findings: [
        { severity: 'warn', title: '1 transcript ends mid-line' },
        { severity: 'warn', title: '1 transcript has lines that are not valid JSON' },
        { severity: 'warn', title: '1 transcript has no session header' },
      ],
    },
  ],
});
