// The thinking-level vocabulary (clawdbot.md §4), in one place for the config check, the logs and the probe.

export type ThinkingLevel = 'off' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

/** What `agents.defaults.thinkingDefault` accepts. */
export const THINKING_LEVELS: readonly ThinkingLevel[] = ['off', 'minimal', 'low', 'medium', 'high', 'xhigh'];

/** Spellings accepted in chat (`/think on`) but not in the config. */
export const CHAT_ALIASES: Readonly<Record<string, ThinkingLevel>> = { on: 'low', think: 'minimal', max: 'high', ultrathink: 'high' };

export function normalizeThinkingLevel(v: string | undefined): ThinkingLevel | undefined {
  const s = v?.trim().toLowerCase();
  if (!s) return undefined;
  if ((THINKING_LEVELS as readonly string[]).includes(s)) return s as ThinkingLevel;
  return CHAT_ALIASES[s];
}
