import { dotted, requireConfig, type Substitution } from '../../src/facts/config.js';
import { where } from '../../src/facts/evidence.js';
import { getProduct } from '../../src/facts/product.js';
import type { Check, Finding } from '../../src/engine/types.js';

// `${NAME}` rules (clawdbot.md §2): only [A-Z_][A-Z0-9_]* is substituted; unset or empty is missing.
// V1/V2 fail the whole config on a missing variable; V3 warns and keeps the literal text.
// V1 applies the config's env block after substitution, so a variable defined only there is missing.

export default {
  id: 'config.env-vars',
  title: '${VAR} references resolve',
  why: 'A missing variable makes V1/V2 drop the whole config; a lowercase name is sent literally as your key.',
  reads: "every ${VAR} in the config, and the env the product sees: process env, ./.env, <stateDir>/.env, the config's env.vars and env",
  gives: [
    { severity: 'error', title: 'Missing env var "<NAME>" referenced at <path>' },
    { severity: 'warn', title: '<NAME> is defined only in the config (the version decides whether ${VAR} sees it)' },
  ],
  async run(ctx) {
    const cfg = await requireConfig(ctx);
    const product = await getProduct(ctx);
    const gen = product.generation;
    const out: Finding[] = [];
    const seen = new Set<string>();
    const once = (s: Substitution) => {
      const k = `${s.status}:${s.name}:${dotted(s.path)}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    };
    const versionWords =
      product.version !== undefined
        ? `${product.name ?? 'the product'} ${product.version} (${gen}, from ${product.versionSource})`
        : 'an unknown version (no meta.lastTouchedVersion and no CLI on PATH)';
    for (const s of cfg.substitutions) {
      if (!once(s)) continue;
      const at = where(ctx, cfg, s.path);
      if (s.status === 'missing') {
        out.push({
          severity: gen === 'V3' ? 'warn' : 'error',
          title: `Missing env var "${s.name}" referenced at ${dotted(s.path)}`,
          detail:
            gen === 'V3'
              ? `${s.name} is unset or empty. OpenClaw (V3) warns and sends the literal text "\${${s.name}}".`
              : `${s.name} is unset or empty. Clawdbot/Moltbot (V1/V2) then reject the WHOLE config ("Missing env var …"): ` +
                'the CLI runs on an empty config and the gateway refuses to start.',
          fix: `Export it where the gateway runs, or put it in ~/.clawdbot/.env:\n  ${s.name}=sk-kimi-…\n` +
            (gen === 'V1' ? '' : 'Or (V2 and later) define it in the config:\n  "env": { "vars": { "' + s.name + '": "…" } }'),
          evidence: [at],
          cause: `env-missing:${s.name}`,
        });
      } else if (s.status === 'invalid-name') {
        const isSyntax = /[:\-=|]/.test(s.name);
        out.push({
          severity: /apiKey|token|password/i.test(dotted(s.path)) ? 'error' : 'warn',
          title: `"\${${s.name}}" is not substituted`,
          detail: isSyntax
            ? `The product supports only \${NAME}; defaults and other shell syntax (\${VAR:-x}) are not understood, so the text is used literally.`
            : `Only UPPERCASE names ([A-Z_][A-Z0-9_]*) are substituted; "\${${s.name}}" stays literal and is sent as is (as your API key, if it is one).`,
          fix: `Use an uppercase variable name:\n  "\${${s.name.replace(/[:\-=|].*$/, '').toUpperCase().replace(/[^A-Z0-9_]/g, '_')}}"`,
          evidence: [at],
          cause: `env-invalid:${s.name}`,
        });
      } else if (s.source === 'config env.vars' || s.source === 'config env') {
        if (gen === 'V1' || gen === 'unknown') {
          out.push({
            severity: gen === 'V1' ? 'error' : 'warn',
            title: `${s.name} is defined only in the config's env block`,
            detail:
              `Read with ${versionWords}. In clawdbot ≤ 2026.1.24 (V1) the env block is applied AFTER substitution, so ` +
              `\${${s.name}} at ${dotted(s.path)} is missing and the whole config fails. Moltbot 2026.1.27 (V2) and later fix this: ` +
              `there it works.` + (gen === 'unknown' ? ' Which applies to you depends on your version.' : ''),
            fix: `Either export ${s.name} in the environment of the gateway (or put it in ~/.clawdbot/.env), ` +
              'or upgrade to a version after 2026.1.24.',
            evidence: [at],
            cause: `v1-env-vars:${s.name}`,
          });
        }
      }
    }
    return out;
  },
} satisfies Check;
