// Turning a config path into evidence a user can open: `~/.clawdbot/clawdbot.json:12:9 (models.providers.kimi-code)`.
import type { Context } from '../engine/context.js';
import { dotted, type LoadedConfig, type PathSeg } from './config.js';
import { tildify } from './paths.js';
import { nearestLocation } from '../json5/cst.js';

/**
 * Above this size a config is no hand-written file, and locating paths in it (a second, location-keeping
 * parse) would cost seconds and hundreds of MB: evidence then names the path without line and column.
 */
export const LOCATE_MAX_CHARS = 1024 * 1024;

export function where(ctx: Context, cfg: LoadedConfig, p: PathSeg[]): string {
  const file = cfg.path ? tildify(cfg.path, ctx.home) : 'config';
  const loc = cfg.text && cfg.text.length <= LOCATE_MAX_CHARS ? nearestLocation(cfg.text, p) : undefined;
  const pos = loc ? `:${loc.line}:${loc.column}` : '';
  return p.length ? `${file}${pos} (${dotted(p)})` : `${file}${pos}`;
}

/** A config snippet for a fix: JSON with 2-space indent, which is valid JSON5 too. */
export function snippet(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** Nest a value under a path, for snippets: `["models","providers","kimi-code"]` → `{"models":{…}}`. */
export function nest(p: PathSeg[], value: unknown): unknown {
  return p.reduceRight<unknown>((acc, seg) => (typeof seg === 'number' ? [acc] : { [seg]: acc }), value);
}
