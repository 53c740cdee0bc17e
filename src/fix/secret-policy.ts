// The fixer's one secret rule: an edit never writes a value from the user's environment into a file
// (README "--fix": "an edit that would put a key from your environment into the file is refused").
import type { Context } from '../engine/context.js';
import type { LoadedConfig } from '../facts/config.js';
import { classify } from '../report/redact.js';

/** Env values that look secret: by the variable's name or the value's shape (process env, .env files, env.vars). */
export function envSecrets(ctx: Context, cfg: LoadedConfig): string[] {
  const out = new Set<string>();
  const consider = (name: string, value: string | undefined): void => {
    if (!value || value.length < 6) return;
    if (/(KEY|TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|AUTH)/i.test(name) || classify(value.trim())) out.add(value);
  };
  for (const [k, v] of Object.entries(ctx.env)) consider(k, v);
  for (const [k, e] of cfg.env) consider(k, e.value);
  return [...out];
}

function occurrences(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** Names (never shows) the first secret the new text holds more often than the old one. */
export function bakedSecret(before: string, after: string, secrets: readonly string[]): string | undefined {
  const hit = secrets.find((s) => occurrences(after, s) > occurrences(before, s));
  return hit === undefined ? undefined : 'a key or token';
}
