import { requireKimi, modelPath } from '../../src/facts/kimi.js';
import { where, snippet } from '../../src/facts/evidence.js';
import { isObject } from '../../src/facts/config.js';
import { sendsDeveloperRole } from '../../src/facts/model-rules.js';
import type { Check, Finding } from '../../src/engine/types.js';

// clawdbot.md §3: the system prompt goes out with role `developer` when the model has reasoning: true and
// compat.supportsDeveloperRole is not false. Kimi rejects it (400), and the product rewrites that error
// into "Message ordering conflict" (§9). V1/V2 validate compat strictly.
export const COMPAT_KEYS_V1 = ['supportsStore', 'supportsDeveloperRole', 'supportsReasoningEffort', 'maxTokensField'];
export const COMPAT_KEYS_V3 = [
  ...COMPAT_KEYS_V1,
  'supportsUsageInStreaming',
  'supportsTools',
  'supportsStrictMode',
  'thinkingFormat',
  'requiresThinkingAsText',
  'requiresToolResultName',
  'requiresAssistantAfterToolResult',
  'requiresMistralToolIds',
];

export default {
  id: 'provider.compat',
  title: 'System prompt role is one Kimi accepts',
  why: 'Without compat.supportsDeveloperRole: false every reasoning request fails, shown as "Message ordering conflict".',
  reads: "each reasoning Kimi model's compat block (supportsDeveloperRole and the keys your version accepts)",
  gives: [
    { severity: 'error', title: '<ref> sends the system prompt as role "developer", which Kimi rejects', repair: 'compat.supportsDeveloperRole set to false' },
    { severity: 'error', title: 'compat.<key> is not allowed by <version>', repair: 'the key removed' },
    { severity: 'error', title: 'compat of <ref> must be an object' },
  ],
  async run(ctx) {
    const { cfg, setup } = await requireKimi(ctx);
    const out: Finding[] = [];
    for (const m of setup.kimiModels) {
      const ev = [where(ctx, cfg, modelPath(m))];
      if (sendsDeveloperRole(m, setup.generation)) {
        out.push({
          severity: 'error',
          title: `${m.ref} sends the system prompt as role "developer": Kimi answers 400`,
          detail:
            (setup.generation === 'V3'
              ? 'compat.supportsDeveloperRole is true, so OpenClaw 2026.9 sends role "developer" (without it, it sends "system"). '
              : 'With reasoning: true and no compat.supportsDeveloperRole: false, the product sends role "developer". ') +
            'Kimi answers 400 "role \'developer\' is not allowed", which the product shows as "Message ordering conflict - please try again". ' +
            '/new does not help; the setting does.',
          fix: setup.generation === 'V3'
            ? `Remove compat.supportsDeveloperRole from the model (models.providers.${m.providerId}.models[] where id is "${m.modelId}"), or set it to false:\n${snippet({ compat: { supportsDeveloperRole: false } })}`
            : `Add to the model:\n${snippet({ compat: { supportsDeveloperRole: false } })}`,
          evidence: ev,
          cause: m.synthetic ? 'model-id-unknown' : 'developer-role',
          repair: m.model && !m.synthetic
            ? { kind: 'config.set', summary: `set compat.supportsDeveloperRole to false on model ${m.ref}`, data: { path: [...m.model.path, 'compat', 'supportsDeveloperRole'], value: false } }
            : undefined,
        });
      }
      const compat = m.model?.block.compat;
      if (compat !== undefined && !isObject(compat)) {
        out.push({ severity: 'error', title: `compat of ${m.ref} must be an object`, detail: 'The product rejects the config.', fix: snippet({ compat: { supportsDeveloperRole: false } }), evidence: ev });
        continue;
      }
      if (!isObject(compat) || !m.model) continue;
      const allowed = setup.generation === 'V3' ? COMPAT_KEYS_V3 : COMPAT_KEYS_V1;
      for (const key of Object.keys(compat)) {
        if (allowed.includes(key)) continue;
        const strict = setup.generation === 'V1' || setup.generation === 'V2';
        out.push({
          severity: strict ? 'error' : 'warn',
          title: `compat.${key} is not allowed by ${setup.generation === 'unknown' ? 'clawdbot/moltbot (V1/V2)' : `this version (${setup.generation})`}`,
          detail: strict
            ? `V1/V2 validate compat strictly: "Unrecognized key: \\"${key}\\"" fails the whole config. Allowed: ${COMPAT_KEYS_V1.join(', ')}.`
            : `V1/V2 allow only ${COMPAT_KEYS_V1.join(', ')}; newer OpenClaw allows more. Unknown here whether yours accepts it.`,
          fix: `Remove "${key}" from compat, or upgrade to OpenClaw.`,
          evidence: [where(ctx, cfg, [...m.model.path, 'compat', key])],
        });
      }
      const field = compat.maxTokensField;
      if (field !== undefined && field !== 'max_completion_tokens' && field !== 'max_tokens') {
        out.push({
          severity: 'error',
          title: `compat.maxTokensField "${String(field)}" is not a valid value`,
          detail: 'Allowed: "max_completion_tokens" or "max_tokens".',
          fix: snippet({ compat: { maxTokensField: 'max_tokens' } }),
          evidence: [where(ctx, cfg, [...m.model.path, 'compat', 'maxTokensField'])],
        });
      }
    }
    return out;
  },
} satisfies Check;
