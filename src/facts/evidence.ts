// Turning a config path into evidence a user can open: `~/.clawdbot/clawdbot.json:12:9 (models.providers.kimi-code)`.
import type { Context } from '../engine/context.js';
import { dotted, type LoadedConfig, type PathSeg } from './config.js';
import { tildify } from './paths.js';
import { locatePath, nearestLocation } from '../json5/cst.js';

/**
/**
 * Above this size a config is no hand-written file, and locating paths in it (a second, location-keeping
 * parse) would cost seconds and hundreds of MB: evidence then names the path without line and column.
 */
export const LOCATE_MAX_CHARS = 1024 * 1024;

/**
 * Where the value at `p` is written: the main file when it holds it, else the `$include`d file it comes
 * from (the product merges includes under the main file's own keys, later includes over earlier ones:
 * clawdbot.md §2), else the nearest place in the main file.
 */
export function where(ctx: Context, cfg: LoadedConfig, p: PathSeg[]): string {
  const show = (file: string | undefined, loc: { line: number; column: number } | undefined): string => {
    const f = file ? tildify(file, ctx.home) : 'config';
    const pos = loc ? `:${loc.line}:${loc.column}` : '';
    return p.length ? `${f}${pos} (${dotted(p)})` : `${f}${pos}`;
  };
  const locatable = (text: string | undefined): text is string => !!text && text.length <= LOCATE_MAX_CHARS;
  const exact = locatable(cfg.text) ? locatePath(cfg.text, p) : undefined;
  const nearest = () => (locatable(cfg.text) ? nearestLocation(cfg.text, p) : undefined);
  if (exact || !p.length) return show(cfg.path, exact ?? nearest());
  for (const m of [...(cfg.includeMounts ?? [])].reverse()) {
    if (m.at.length > p.length || m.at.some((seg, i) => seg !== p[i]) || !locatable(m.text)) continue;
    const loc = locatePath(m.text, p.slice(m.at.length));
    if (loc) return show(m.file, loc);
  }
  return show(cfg.path, nearest());
}

/** A config snippet for a fix: JSON with 2-space indent, which is valid JSON5 too. */
export function snippet(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** Nest a value under a path, for snippets: `["models","providers","kimi-code"]` → `{"models":{…}}`. */
export function nest(p: PathSeg[], value: unknown): unknown {
  return p.reduceRight<unknown>((acc, seg) => (typeof seg === 'number' ? [acc] : { [seg]: acc }), value);
}
