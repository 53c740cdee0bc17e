import { getLocation, tildify } from '../../src/facts/paths.js';
import { getConfig } from '../../src/facts/config.js';
import { getProduct } from '../../src/facts/product.js';
import type { Check, Finding } from '../../src/engine/types.js';

/** `~/.openclaw/openclaw.json`, `~/.openclaw/clawdbot.json` → `~/.openclaw/{openclaw,clawdbot}.json` */
function groupByDir(paths: string[]): string[] {
  const dirs = new Map<string, string[]>();
  for (const p of paths) {
    const i = p.lastIndexOf('/');
    const d = p.slice(0, i);
    dirs.set(d, [...(dirs.get(d) ?? []), p.slice(i + 1).replace(/\.json$/, '')]);
  }
  return [...dirs].map(([d, names]) => (names.length > 1 ? `${d}/{${names.join(',')}}.json` : `${d}/${names[0]}.json`));
}

export default {
  id: 'config.location',
  title: 'Config file found',
  why: 'Every later check needs the file the product really reads; several state dirs split history between installs.',
  reads: 'the config path from --config, the *_CONFIG_PATH and *_STATE_DIR env vars, OPENCLAW_HOME, --profile, and which of ~/.openclaw, ~/.clawdbot, ~/.moldbot, ~/.moltbot exist',
  gives: [
    { severity: 'warn', title: 'No OpenClaw / Moltbot / Clawdbot config found' },
    { severity: 'error', title: 'The config file named by <source> does not exist' },
    { severity: 'warn', title: 'Several state dirs exist' },
    { severity: 'info', title: 'Using <config file>' },
  ],
  explain:
    'Looks where each generation looks (clawdbot ~/.clawdbot, moltbot ~/.moltbot, openclaw ~/.openclaw), honouring ' +
    'CLAWDBOT_/MOLTBOT_/OPENCLAW_ CONFIG_PATH and STATE_DIR, OPENCLAW_HOME and profiles. --config and --state-dir win.',
  async run(ctx) {
    const loc = await getLocation(ctx);
    const cfg = await getConfig(ctx);
    const t = (p: string) => tildify(p, ctx.home);
    const out: Finding[] = [];
    if (!loc.path) {
      out.push({
        severity: 'warn',
        title: 'No OpenClaw / Moltbot / Clawdbot config found',
        detail: `Looked for (in this order):\n${groupByDir(loc.candidates.map(t)).map((c) => `  ${c}`).join('\n')}\nThe config-based checks are skipped.`,
        fix:
          'Point the doctor at your config:\n  claw-doctor --config /path/to/clawdbot.json\n  claw-doctor --state-dir /path/to/.openclaw\n' +
          'Or try it on a bundled example (from a clone of claw-doctor):\n  npm start -- --offline --state-dir examples/broken-no-user-agent --log-dir examples/broken-no-user-agent',
      });
      return out;
    }
    if (!cfg.exists) {
      out.push({
        severity: 'error',
        title: `The config file named by ${loc.source} does not exist`,
        detail: `${t(loc.path)} is missing, so the product runs with no config at all.`,
        fix: `Check the path given by ${loc.source}, or unset it to use the default location.`,
        evidence: [t(loc.path)],
      });
      return out;
    }
    const product = await getProduct(ctx);
    const which =
      product.generation === 'unknown'
        ? ''
        : `\nProduct: ${product.name ?? 'unknown'}${product.version ? ` ${product.version}` : ''} (${product.generation}), recognised by ${product.recognisedBy}` +
          `${product.storage === 'sqlite' ? '; keys and sessions are in SQLite' : ''}.`;
    out.push({
      severity: 'info',
      title: `Using ${t(loc.path)}`,
      detail: `Chosen by ${loc.source}; state dir ${t(loc.stateDir)} (${loc.stateDirSource}).${which}`,
      evidence: [t(loc.path)],
    });
    if (loc.stateDirsFound.length > 1) {
      out.push({
        severity: 'warn',
        title: 'Several state dirs exist',
        detail:
          `Found ${loc.stateDirsFound.map(t).join(', ')}. Different installs (clawdbot, moltbot, openclaw) read different ` +
          'ones, so sessions, keys and settings may be split between them.',
        fix: `Keep the one in use (${t(loc.stateDir)}) and archive the others, e.g.:\n  mv ${loc.stateDirsFound
          .filter((d) => d !== loc.stateDir)
          .map(t)
          .join(' ')} ~/old-state/`,
        evidence: loc.stateDirsFound.map(t),
      });
    }
    return out;
  },
} satisfies Check;
