import { requireKimi, modelPath, KIMI_LIMITS } from '../../src/facts/kimi.js';
import { where, snippet } from '../../src/facts/evidence.js';
import { sendsDeveloperRole } from '../../src/facts/model-rules.js';
import type { Check, Finding } from '../../src/engine/types.js';

// clawdbot.md §3: absent fields default to reasoning=false, contextWindow=200000, maxTokens=min(8192, ctx):
// omitting `reasoning: true` silently turns thinking off. kimi.md: context 262144, output 32768.

export default {
  id: 'provider.model-limits',
  title: 'Reasoning on, token limits within the model\'s',
  why: 'Omitting reasoning: true silently turns thinking off; limits beyond the model\'s fail long requests.',
  reads: 'reasoning, contextWindow and maxTokens of each Kimi model',
  gives: [
    { severity: 'warn', title: 'reasoning is <false or missing> on <ref>: thinking is off', repair: 'reasoning set to true' },
    { severity: 'error', title: "contextWindow <n> exceeds Kimi's 262144 / maxTokens <n> exceeds Kimi's 32768" },
    { severity: 'error', title: 'maxTokens (<n>) is not below contextWindow (<n>) for <ref>' },
    { severity: 'error', title: '<field> of <ref> must be a positive integer' },
  ],
  async run(ctx) {
    const { cfg, setup } = await requireKimi(ctx);
    const out: Finding[] = [];
    for (const m of setup.kimiModels) {
      if (!m.model) continue;
      const p = m.model.path;
      const b = m.model.block;
      if (b.reasoning !== true && (m.kind === 'kimi-coding' || /thinking|k2\.5|k2p5|k3/i.test(m.modelId))) {
        out.push({
          severity: 'warn',
          title: `reasoning is ${b.reasoning === false ? 'false' : 'not set'} on ${m.ref}: thinking is silently off`,
          detail: 'Without reasoning: true the product treats the model as non-reasoning: thinking=off in every run, no reasoning_content.',
          fix: `Add to the model:\n${snippet({ reasoning: true })}` + (!sendsDeveloperRole({ ...m, reasoning: true }, setup.generation) ? '' : `\nand with it (Kimi rejects role "developer"):\n${snippet({ compat: { supportsDeveloperRole: false } })}`),
          evidence: [where(ctx, cfg, b.reasoning === undefined ? p : [...p, 'reasoning'])],
          cause: 'reasoning-off',
          repair: { kind: 'config.set', summary: `set reasoning to true on model ${m.ref}`, data: { path: [...p, 'reasoning'], value: true } },
        });
      }
      for (const field of ['contextWindow', 'maxTokens'] as const) {
        const v = b[field];
        if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v <= 0)) {
          out.push({ severity: 'error', title: `${field} of ${m.ref} must be a positive integer`, detail: `It is ${JSON.stringify(v)}; the product rejects the config.`, fix: snippet({ [field]: KIMI_LIMITS[field] }), evidence: [where(ctx, cfg, [...p, field])] });
        }
      }
      if (m.kind !== 'kimi-coding') continue;
      if (typeof b.contextWindow === 'number' && b.contextWindow > KIMI_LIMITS.contextWindow) {
        out.push({
          severity: 'warn',
          title: `contextWindow ${b.contextWindow} exceeds Kimi's ${KIMI_LIMITS.contextWindow}`,
          detail: 'The product will send more context than the model accepts; long sessions then fail instead of being compacted.',
          fix: snippet({ contextWindow: KIMI_LIMITS.contextWindow }),
          evidence: [where(ctx, cfg, [...p, 'contextWindow'])],
        });
      }
      if (typeof b.maxTokens === 'number' && b.maxTokens > KIMI_LIMITS.maxTokens) {
        out.push({
          severity: 'warn',
          title: `maxTokens ${b.maxTokens} exceeds Kimi's output limit ${KIMI_LIMITS.maxTokens}`,
          detail: 'Requests asking for more output than the model allows may be refused.',
          fix: snippet({ maxTokens: KIMI_LIMITS.maxTokens }),
          evidence: [where(ctx, cfg, [...p, 'maxTokens'])],
        });
      }
      // The budget the product sends is params.maxTokens, else min(maxTokens, 32000) (product-request.ts); reasoning
      // tokens count against it, so under ~1000 a reasoning model answers empty (finish_reason "length", kimi.md).
      const budget = m.params.maxTokens ?? m.maxTokens;
      if (m.reasoning && budget < 1024) {
        const from = m.params.maxTokens !== undefined ? `params.maxTokens ${budget} in agents.defaults.models["${m.ref}"]` : `maxTokens ${budget}`;
        out.push({
          severity: 'warn',
          title: `Your ${from} leaves no room for reasoning on ${m.ref}`,
          detail: 'The product sends this as the output budget, and reasoning tokens count against it: answers come back empty or cut off with finish_reason "length".',
          fix: m.params.maxTokens !== undefined ? `Raise or remove params.maxTokens:\n${snippet({ params: { maxTokens: 32000 } })}` : snippet({ maxTokens: KIMI_LIMITS.maxTokens }),
          evidence: [where(ctx, cfg, m.params.maxTokens !== undefined ? ['agents', 'defaults', 'models', m.ref, 'params', 'maxTokens'] : [...p, 'maxTokens'])],
          cause: 'budget-too-small',
        });
      }
      if (m.maxTokens >= m.contextWindow) {
        out.push({
          severity: 'error',
          title: `maxTokens (${m.maxTokens}) is not below contextWindow (${m.contextWindow}) for ${m.ref}`,
          detail: 'The output budget must leave room for the prompt.',
          fix: snippet({ contextWindow: KIMI_LIMITS.contextWindow, maxTokens: KIMI_LIMITS.maxTokens }),
          evidence: [where(ctx, cfg, p)],
        });
      }
    }
    return out;
  },
} satisfies Check;
