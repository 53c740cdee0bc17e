import { requireConfig, get } from '../../src/facts/config.js';
import { getKimiSetup } from '../../src/facts/kimi.js';
import { where, snippet } from '../../src/facts/evidence.js';
import { CHAT_ALIASES, THINKING_LEVELS } from '../../src/facts/thinking.js';
import type { Check, Finding } from '../../src/engine/types.js';

// clawdbot.md §4: valid levels off|minimal|low|medium|high|xhigh; chat accepts on/think/max/ultrathink as
// shorthands but the config does not.
/** Chat spellings, plus what people write by analogy with other tools: what each most likely means. */
const CHAT_ONLY: Record<string, string> = { ...CHAT_ALIASES, true: 'low', enabled: 'low', false: 'off', none: 'off', disabled: 'off' };
const isLevel = (v: string): boolean => (THINKING_LEVELS as readonly string[]).includes(v);

export default {
  id: 'agent.thinking-default',
  title: 'thinkingDefault is a valid level',
  why: 'An invalid level fails validation; "off" or a non-reasoning model silently disables thinking.',
  reads: "agents.defaults.thinkingDefault and whether the agent's model is marked reasoning",
  gives: [
    { severity: 'error', title: 'thinkingDefault "<value>" is not a valid level', repair: 'agents.defaults.thinkingDefault set to the level it means' },
    { severity: 'warn', title: 'thinkingDefault is "<level>" but <ref> is not marked reasoning' },
    { severity: 'info', title: 'thinkingDefault is not set: <what the model runs at>' },
  ],
  async run(ctx) {
    const cfg = await requireConfig(ctx);
    const setup = await getKimiSetup(ctx);
    const p = ['agents', 'defaults', 'thinkingDefault'];
    const v = get(cfg.resolved, p);
    const out: Finding[] = [];
    if (v === undefined) {
      if (setup.primary && setup.primary.kind !== 'other') {
        out.push({
          severity: 'info',
          title: `thinkingDefault is not set: ${
            setup.primary.defaultThinking
              ? `${setup.primary.modelId} runs with thinking "${setup.primary.defaultThinking}" (the Kimi plugin's default)`
              : setup.primary.reasoning ? 'reasoning models run at "low"' : 'thinking is off (the model is not marked reasoning)'
          }`,
          detail: 'Effective level: /think in chat > the session\'s thinkingLevel > thinkingDefault > the model\'s default (2026.9 Kimi plugin: off for kimi-for-coding, max for K3; else low for reasoning models, off otherwise).',
        });
      }
      return out;
    }
    if (typeof v !== 'string' || !isLevel(v)) {
      const to = typeof v === 'string' ? (CHAT_ONLY[v.toLowerCase()] ?? (isLevel(v.toLowerCase()) ? v.toLowerCase() : 'low')) : 'low';
      out.push({
        severity: 'error',
        title: `thinkingDefault ${JSON.stringify(v)} is not a valid level`,
        detail: `Valid: ${THINKING_LEVELS.join(', ')}. The product rejects the config.` +
          (typeof v === 'string' && CHAT_ONLY[v.toLowerCase()] ? ` ("${v}" works only as a chat command, where it means ${CHAT_ONLY[v.toLowerCase()]}.)` : ''),
        fix: snippet({ thinkingDefault: to }),
        evidence: [where(ctx, cfg, p)],
        repair: { kind: 'config.set', summary: `set agents.defaults.thinkingDefault to "${to}"`, data: { path: p, value: to } },
      });
      return out;
    }
    // A model id that is not defined (agent.model's finding) is a bare model: its missing `reasoning` is
    // that typo's consequence, not a setting to add.
    if (setup.primary && setup.primary.kind !== 'other' && v !== 'off' && !setup.primary.reasoning && !setup.primary.synthetic) {
      out.push({
        severity: 'warn',
        title: `thinkingDefault is "${v}" but ${setup.primary.ref} is not marked reasoning`,
        detail: 'Thinking needs reasoning: true on the model; without it the level is ignored and runs log thinking=off.',
        fix: 'See provider.model-limits: add "reasoning": true to the model.',
        evidence: [where(ctx, cfg, p)],
      });
    }
    return out;
  },
} satisfies Check;
