// The engine's small rules, each in one place: the run's facts are peeked (never computed by a report),
// one exit-code rule that also takes --fix results, one rule for option combinations, hints that reach
// the same setup, and session problems listed once in the report.
import { describe, expect, it } from 'vitest';
import { Context } from '../src/engine/context.js';
import { exitCodeFor } from '../src/engine/exit-code.js';
import { commandFor, defaultOptions, usageProblem } from '../src/engine/options.js';
import type { CheckResult } from '../src/engine/types.js';
import type { SessionsReport } from '../src/facts/sessions.js';
import { sessionsReportOf } from '../src/report/report-input.js';

describe('Context.peek', () => {
  it('gives a fact a check computed, and computes nothing itself', async () => {
    const ctx = new Context({ options: defaultOptions() });
    let computed = 0;
    const getThing = (c: Context) => c.fact('thing', () => ++computed);
    expect(await ctx.peek(getThing)).toBeUndefined();
    expect(computed).toBe(0);
    expect(await getThing(ctx)).toBe(1);
    expect(await ctx.peek(getThing)).toBe(1);
    expect(computed).toBe(1);
    // A getter that needs another fact first: still nothing computed when that one is unknown.
    const getDerived = async (c: Context) => (await c.fact('other', () => ++computed)) + (await getThing(c));
    expect(await ctx.peek(getDerived)).toBeUndefined();
    expect(computed).toBe(1);
  });

  it('ctx.config() is the injected loader: the Context imports no fact module', async () => {
    const ctx = new Context({ options: defaultOptions(), loaders: { config: async () => ({ path: '/x', problems: [] }) } });
    expect(await ctx.config()).toEqual({ path: '/x', problems: [] });
    await expect(new Context({ options: defaultOptions() }).config()).rejects.toThrow(/without a config loader/);
  });
});

const result = (status: CheckResult['status'], severity?: 'error' | 'warn' | 'info'): CheckResult => ({
  id: 'a.b', title: 't', area: 'a', status, durationMs: 1, findings: severity ? [{ check: 'a.b', severity, title: 'x', detail: '' }] : [],
});

describe('exitCodeFor', () => {
  it.each([
    [[result('pass')], false, undefined, 0],
    [[result('error', 'error')], false, undefined, 1],
    [[result('warn', 'warn')], false, undefined, 0],
    [[result('warn', 'warn')], true, undefined, 1],
    [[result('timeout')], true, undefined, 1],
    [[result('crashed')], false, undefined, 2],
    [[result('crashed'), result('error', 'error')], false, undefined, 1],
    [[result('pass')], false, { failed: true, leftToUser: false }, 1],
    [[result('pass')], false, { failed: false, leftToUser: true }, 1],
    [[result('pass')], false, { failed: false, leftToUser: false }, 0],
  ] as const)('%j strict=%s fix=%j → %i', (results, strict, fix, code) => {
    expect(exitCodeFor([...results], strict, fix)).toBe(code);
  });
});

describe('usageProblem: one place for option combinations', () => {
  it.each([
    [{ fix: true, json: true }, 'check', /cannot be combined with --json/],
    [{ dryRun: true, report: true }, 'check', /--fix cannot be combined with --report/],
    [{ yes: true }, 'check', /--yes only applies with --fix or --reset-sessions/],
    [{ report: true, json: true }, 'check', /--report prints Markdown and --json prints JSON/],
    [{ copy: true }, 'check', /--output and --copy go with --report/],
    [{ format: 'chat' as const }, 'check', /--format goes with --report/],
    [{ force: true }, 'check', /--force only applies to claw-doctor undo/],
    [{ fix: true }, 'list', /not options of claw-doctor list/],
    [{ timeout: 0 }, 'check', /--timeout must be a positive number/],
  ])('%j on %s', (over, command, message) => {
    expect(usageProblem(defaultOptions(over), command)).toMatch(message);
  });
  it('accepts what makes sense', () => {
    expect(usageProblem(defaultOptions({ fix: true, yes: true }), 'check')).toBeUndefined();
    expect(usageProblem(defaultOptions({ report: true, format: 'chat', output: 'x.txt' }), 'check')).toBeUndefined();
    expect(usageProblem(defaultOptions({ force: true }), 'undo')).toBeUndefined();
  });
});

describe('commandFor', () => {
  it('carries the flags that choose the setup, quoted for a shell', () => {
    expect(commandFor({}, 'undo')).toBe('claw-doctor undo');
    expect(commandFor({ stateDir: '/srv/my state' }, 'undo')).toBe("claw-doctor undo --state-dir '/srv/my state'");
    expect(commandFor({ config: '~/c.json', profile: 'work' }, '')).toBe('claw-doctor --config ~/c.json --profile work');
  });
});

describe('the report lists each session problem once', () => {
  it('the agents\' problems are already in the report-wide list', () => {
    const problem = { kind: 'stale-lock' as const, agentId: 'main', path: '/s/x.lock', detail: 'a lock older than an hour' };
    const facts = {
      stateDir: '/s', exists: true, legacyDirs: [], problems: [problem],
      agents: [{ agentId: 'main', layout: 'agents', agentDir: '/s/agents/main', sessionsDir: '/s/agents/main/sessions', store: { path: '/s/sessions.json', exists: true, entries: [] }, transcripts: [], transcriptCount: 0, transcriptBytes: 0, locks: [], problems: [problem] }],
    } as unknown as SessionsReport;
    const notes = sessionsReportOf(facts).notes ?? [];
    expect(notes.filter((n) => n.includes('a lock older than an hour'))).toHaveLength(1);
  });
});
