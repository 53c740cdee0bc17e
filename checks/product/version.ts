import { shown } from '../../src/facts/evidence-logs.js';
import {
  applicableFailures,
  causeFix,
  describeRange,
  getInstalledVersions,
  getObservedCauses,
  getSetupFacts,
} from '../../src/facts/known-failures.js';
import { skip, type Check, type Finding } from '../../src/engine/types.js';

// known-failures.md: a supporter's best move is "you are on 2026.3.8; that version has the Kimi tool-schema
// bug; upgrade to 2026.3.12". Each version cause of the table (src/causes/) that covers the installed
// version AND this config is a finding with its fixed release; when the logs or transcripts show it (its own
// text, or the symptom it hides behind), it is an error naming the version cause, not only the symptom.

export default {
  id: 'product.version',
  title: 'Known failures of the installed product version',
  why: 'Some Kimi failures belong to particular releases; naming the release that fixes them saves a long hunt.',
  reads: "the installed CLI's --version (else meta.lastTouchedVersion) and the known failures of that version that apply to this config",
  gives: [
    { severity: 'error', title: '<known failure> affects <version> with this config (fixed in <version>)' },
    { severity: 'warn', title: 'The config was last written by <version>; the CLI on PATH is <version>' },
  ],
  explain:
    'Reads the version from the CLI on PATH (`--version`), else the config\'s meta.lastTouchedVersion, and the config in ' +
    'the cause table\'s terms (route, provider id, thinking level, context-engine plugin, fallbacks). Lists every known ' +
    'failure (claw-doctor explain <cause>) that applies to both, with the first fixed release; an error when the log or ' +
    'the transcripts show it happening.',
  async run(ctx) {
    const v = await getInstalledVersions(ctx);
    if (!v.version) skip('product version unknown (no CLI on PATH, no meta.lastTouchedVersion in the config)');
    const [setup, observed] = await Promise.all([getSetupFacts(ctx), getObservedCauses(ctx)]);
    const out: Finding[] = [];
    const product = `${v.product ?? 'the product'} ${v.version}`;
    const from =
      v.source === 'gateway service' && v.service
        ? `the gateway service ${shown(ctx, v.service.file)}`
        : v.source === 'installed CLI --version' && v.cli
          ? `the CLI at ${shown(ctx, v.cli.path)}`
          : 'the config\'s meta.lastTouchedVersion';

    // Say where the versions differ: the service runs the agent, the CLI is what the user upgraded, meta is who wrote the config.
    const versions = [
      v.service?.version ? `the gateway service runs ${v.service.version}` : '',
      v.cli?.version ? `the CLI on PATH is ${v.cli.version}` : '',
      v.configVersion ? `the config was last written by ${v.configVersion}` : '',
    ].filter(Boolean);
    if (new Set([v.service?.version, v.cli?.version, v.configVersion].filter(Boolean)).size > 1) {
      out.push({
        severity: 'info',
        title: `Versions differ: ${versions.join('; ')}`,
        detail: `Judged by ${v.version} (from ${from}): the gateway service runs the agent when there is one, else the CLI. Restart or reinstall the service after an upgrade.`,
        evidence: [v.service ? shown(ctx, v.service.file) : '', v.cli ? shown(ctx, v.cli.path) : ''].filter(Boolean),
      });
    }

    for (const { cause: c, range, seen } of applicableFailures(v.version, setup, observed)) {
      const seenText = seen
        ? `${seen.count}× ${seen.id === c.id ? '' : `"${seen.id}" `}in the ${seen.seenIn.join(' and ')}${seen.where ? ` (${shown(ctx, seen.where)})` : ''}`
        : '';
      out.push({
        severity: seen ? c.severity : 'warn',
        title: seen ? `${product} has this failure, and it is happening: ${c.title}` : `${product} has a known failure for this setup: ${c.title}`,
        detail:
          `${c.summary}\nAffected: ${describeRange(range)}; you run ${v.version} (from ${from}).` +
          (c.conditions ? ` Applies to: ${c.conditions}.` : '') +
          (seen ? `\nSeen: ${seenText}.` : '') +
          (c.confirmed ? '' : `\nNot confirmed: ${c.unconfirmed ?? 'the source threads do not confirm it'}.`) +
          `\nSources: ${c.sources.join(', ')} (claw-doctor explain ${c.id}).`,
        fix: `${causeFix(c)}${range.fixedIn ? ` Fixed in ${range.fixedIn}: upgrade.` : ''}`,
        evidence: [`${v.source}: ${v.version}`],
        cause: c.id,
      });
    }
    return out;
  },
} satisfies Check;
