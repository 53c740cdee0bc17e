import { getLogEvidence, getLogFiles, humanBytes, shown } from '../../src/facts/evidence-logs.js';
import type { Check, Finding } from '../../src/engine/types.js';

// clawdbot.md §6: the product writes /tmp/<name>/<name>-YYYY-MM-DD.log (local date), or logging.file; V3 falls
// back to $TMPDIR/openclaw-<uid>; a long-running gateway keeps writing the file of the day it started.
export default {
  id: 'logs.today',
  title: "Today's log is found and readable",
  why: "The other log checks read today's log; say where it is, or where it was looked for and why it is not there.",
  reads: "today's dated log files (and yesterday's when still written): /tmp/<product>/, the V3 temp-dir fallback, logging.file, or --log-dir",
  gives: [
    { severity: 'info', title: 'No log file for today (and where it looked)' },
    { severity: 'warn', title: 'Cannot read <file> / Cannot list <dir>' },
    { severity: 'warn', title: '<file> is empty' },
    { severity: 'warn', title: "The log does not look like the product's (binary garbage, another program)" },
    { severity: 'warn', title: 'logging.file <path> does not exist (yet)' },
    { severity: 'info', title: 'Read <file> (<size>, <n> lines)' },
  ],
  async run(ctx) {
    const found = await getLogFiles(ctx);
    const out: Finding[] = [];
    const tried = [...new Set(found.tried)].map((p) => shown(ctx, p));

    if (found.logDirMissing) {
      out.push({
        severity: 'warn',
        title: `--log-dir ${shown(ctx, found.logDir ?? '')} is not a directory`,
        detail: 'The log dir given on the command line does not exist (or is a file), so no log could be read.',
        fix: 'Pass the directory that holds the dated files, e.g. --log-dir /tmp/clawdbot (in a container: the mounted log dir).',
        evidence: [shown(ctx, found.logDir ?? '')],
      });
    }
    for (const u of found.unreadable) {
      out.push({
        severity: 'warn',
        title: `Cannot list ${shown(ctx, u.path)} (${u.code})`,
        detail: 'The log directory exists but is not readable by this user; today\'s log may be in it. ' +
          '(openclaw falls back to $TMPDIR/openclaw-<uid> when /tmp/openclaw is unusable.)',
        fix: 'Run claw-doctor as the user that runs the gateway, or pass --log-dir with a readable copy.',
        evidence: [shown(ctx, u.path)],
      });
    }
    if (found.loggingFile && !found.files.some((f) => f.product === 'custom')) {
      out.push({
        severity: 'info',
        title: `logging.file ${found.loggingFile} does not exist (yet)`,
        detail: 'The config sends the log to this file instead of the dated one; nothing has been written there yet, ' +
          'or the gateway runs somewhere else (a container: pass its mounted log dir with --log-dir).',
        evidence: [shown(ctx, found.loggingFileLookedAt ?? found.loggingFile)],
      });
    }
    if (!found.files.length) {
      if (!found.logDirMissing) {
        out.push({
          severity: 'info',
          title: 'No log file for today',
          detail: 'The product writes a dated log when it runs; there is none for today (or it is somewhere else).\n' +
            `Looked for: ${tried.slice(0, 8).join(', ')}${tried.length > 8 ? `, … (${tried.length} in all)` : ''}`,
          fix: 'Send the agent one message and run claw-doctor again; if the gateway runs in a container or writes elsewhere, pass --log-dir DIR.',
        });
      }
      return out;
    }

    const ev = await getLogEvidence(ctx);
    for (const f of ev.files) {
      if (f.error) {
        out.push({
          severity: 'warn',
          title: `Cannot read ${shown(ctx, f.path)} (${f.error.code})`,
          detail: f.error.message.replaceAll(f.path, shown(ctx, f.path)),
          fix: 'Run claw-doctor as the user that runs the gateway (or with sudo), or copy the file and pass --log-dir.',
          evidence: [shown(ctx, f.path)],
        });
      }
    }
    const readable = ev.files.filter((f) => !f.error);
    const c = ev.lineCounts;
    const bytes = readable.reduce((n, f) => n + f.bytesRead, 0);
    // The gateway service's stdout/stderr capture (2026.9) is plain text by nature: not a damaged log.
    const productLogs = readable.filter((f) => !found.files.find((x) => x.path === f.path)?.service);
    if (productLogs.length && bytes > 0 && c.json === 0 && (c.invalid > 0 || !Object.keys(ev.levelCounts).length)) {
      out.push({
        severity: 'warn',
        title: 'The log does not look like the product\'s log',
        detail:
          `${humanBytes(bytes)} read, but no line is one of the product's JSON log lines` +
          (c.invalid ? ` (${c.invalid} line(s) are not valid UTF-8: binary data)` : '') +
          (c.tooLong ? ` (${c.tooLong} line(s) longer than 1 MiB skipped)` : '') +
          '. It may be damaged (a crash, a full disk) or another program\'s file.',
        fix: 'Check the file named below; the product starts a fresh dated file tomorrow. If the product logs elsewhere, pass --log-dir.',
        evidence: readable.map((f) => shown(ctx, f.path)),
      });
    } else if (c.invalid || c.tooLong) {
      out.push({
        severity: 'info',
        title: `${c.invalid + c.tooLong} log line(s) skipped`,
        detail: `${c.invalid} not valid UTF-8, ${c.tooLong} longer than 1 MiB. The rest of the log was read.`,
      });
    }

    for (const f of readable) {
      const meta = found.files.find((x) => x.path === f.path);
      const what = meta?.service
        ? 'the gateway service log'
        : meta?.product === 'custom'
          ? 'logging.file'
          : meta?.archive !== undefined
            ? `a rotated part of ${meta.today ? "today's log" : `the ${meta.date} log`}`
            : meta?.today
              ? "today's log"
              : `a recent log (${meta?.date ?? 'undated'}, still being written)`;
      if (f.size === 0) {
        out.push({ severity: 'info', title: `${what} is empty: ${shown(ctx, f.path)}`, detail: 'Nothing has been logged yet today.', evidence: [shown(ctx, f.path)] });
        continue;
      }
      const partial = f.truncated ? `; only its last ${humanBytes(f.bytesRead)} read` : '';
      out.push({
        severity: 'info',
        title: `Read ${what}: ${shown(ctx, f.path)} (${humanBytes(f.size)}, ${f.lines} lines${partial})`,
        detail: f === readable[0] ? levelsLine(ev.levelCounts) : 'Read too: a long-running gateway keeps writing the file of the day it started.',
        evidence: [shown(ctx, f.path)],
      });
    }
    return out;
  },
} satisfies Check;

function levelsLine(counts: Partial<Record<string, number>>): string {
  const parts = Object.entries(counts).map(([k, v]) => `${v} ${k}`);
  return parts.length ? `Lines by level (all files read): ${parts.join(', ')}.` : 'No line carries a level.';
}
