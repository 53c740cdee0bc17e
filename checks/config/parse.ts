import { getConfig, type ConfigProblem } from '../../src/facts/config.js';
import { LOCATE_MAX_CHARS } from '../../src/facts/evidence.js';
import { tildify } from '../../src/facts/paths.js';
import { missingCommaBefore } from '../../src/facts/syntax-hint.js';
import { skip, type Check, type Finding } from '../../src/engine/types.js';

const FIXES: Record<ConfigProblem['kind'], string> = {
  missing: 'Create the file, or point --config at the right one.',
  directory: 'Point --config (or *_CONFIG_PATH) at the JSON file inside that folder, e.g. …/clawdbot.json.',
  unreadable: 'Make it readable by the user that runs the gateway:\n  chmod 600 FILE && chown "$USER" FILE',
  binary: 'The file holds binary data, not a config (a copy gone wrong, disk trouble). Restore it from a backup (FILE.bak) or re-run onboarding:\n  clawdbot onboard',
  'too-large': 'Check that the path names the config and not a log or an archive.',
  'too-deep': 'Check that the path names the config: a generated or damaged file nests far deeper than any config.',
  'not-a-file': 'Point --config (or *_CONFIG_PATH, or the `$include`) at a regular file, not a pipe or a device.',
  empty: 'An empty file is not a config. Restore it from a backup (FILE.bak) or re-run onboarding:\n  clawdbot onboard',
  syntax: 'Fix the syntax at the line shown (JSON5: comments and trailing commas are fine; a missing comma or quote is not).',
  'not-object': 'The file must contain one object: { … }.',
  include: 'Fix the `$include` path, or remove the include.',
};

export default {
  id: 'config.parse',
  title: 'Config parses as JSON5',
  why: 'The product parses its config with JSON5; a single syntax error makes it run with no config at all.',
  reads: "the config file and every file it $include's (JSON5, as the product parses it)",
  gives: [
    { severity: 'error', title: 'Config has a syntax error: a comma is missing at the end of line <n>' },
    { severity: 'error', title: 'Config has a syntax error (line, column and the line shown)' },
    { severity: 'error', title: 'Config is unusable: <empty, a directory, not text, too large, unreadable>' },
    { severity: 'error', title: '`$include` failed: <missing file, cycle, too deep>' },
  ],
  async run(ctx) {
    const cfg = await getConfig(ctx);
    if (!cfg.path) skip('no config file found');
    if (!cfg.exists) skip('the config file does not exist');
    const out: Finding[] = [];
    for (const p of [...cfg.problems, ...cfg.includeProblems]) {
      const file = tildify(p.file, ctx.home);
      // JSON5 names the token after a missing comma; the mistake is at the end of the line before.
      const comma = p.kind === 'syntax' && p.line && p.column && p.file === cfg.path && cfg.text ? missingCommaBefore(cfg.text, p.line, p.column) : undefined;
      if (comma) {
        out.push({
          severity: 'error',
          title: `Config has a syntax error: a comma is missing at the end of line ${comma.line}`,
          detail:
            `  ${comma.line}| ${comma.text}\n  ${' '.repeat(String(comma.line).length)}  ${' '.repeat(comma.column - 1)}^ a comma belongs here\n` +
            `(${p.message}.) The product refuses the whole file.`,
          fix: `Add a comma at the end of line ${comma.line}. (JSON5 allows comments and trailing commas; it needs a comma between entries.)`,
          evidence: [`${file}:${comma.line}:${comma.column}`],
        });
        continue;
      }
      const pos = p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : '';
      out.push({
        severity: 'error',
        title: p.kind === 'include' ? `\`$include\` failed: ${p.message}` : `Config ${p.kind === 'syntax' ? 'has a syntax error' : `is unusable: ${p.message}`}`,
        detail:
          p.kind === 'syntax'
            ? `${p.message}\n  ${p.line}| ${p.lineText ?? ''}${p.lineTextColumn ? `\n  ${' '.repeat(String(p.line).length)}  ${' '.repeat(Math.max(0, p.lineTextColumn - 1))}^` : ''}\nThe product refuses the whole file.`
            : p.kind === 'include'
              ? 'The product refuses the whole config when an include fails.'
              : `${file}: ${p.message}.`,
        fix: FIXES[p.kind].replace('FILE', file),
        evidence: [`${file}${pos}`],
      });
    }
    if (cfg.text && cfg.text.length > LOCATE_MAX_CHARS) {
      const file = tildify(cfg.path, ctx.home);
      out.push({
        severity: 'info',
        title: `The config is ${(cfg.text.length / 1048576).toFixed(1)} MB: evidence names paths without line numbers`,
        detail: `A hand-written config is a few KB. Above ${LOCATE_MAX_CHARS / 1048576} MB claw-doctor does not locate each value in the text (a second, slow parse); the checks still read all of it.`,
        evidence: [file],
      });
    }
    return out;
  },
} satisfies Check;
