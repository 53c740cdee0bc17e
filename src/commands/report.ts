// `claw-doctor --report [--format chat] [--output FILE] [--copy]`: the diagnosis as one paste-ready document.
// The checks and the exit code are those of a plain run (diagnose() and its one rule); only the output
// differs. The text goes to stdout, or to a file written atomically with mode 0600 (a report is meant to be
// shared, but the file sits next to the user's other files until then), and/or to the clipboard.
import fs from 'node:fs';
import path from 'node:path';
import type { RunOutcome } from '../engine/diagnose.js';
import { commandFor, type Options } from '../engine/options.js';
import { collectRunFacts } from '../engine/run-facts.js';
import { renderChat } from '../report/chat.js';
import { copyToClipboard, describeCopy } from '../report/clipboard.js';
import { renderMarkdown } from '../report/markdown.js';
import type { Redactor } from '../report/redact.js';
import { buildReportInput } from '../report/report-input.js';
import { toolVersion } from '../version.js';
import { runDiagnosis } from './diagnosis.js';
import { complain, earlyRedactor, print, usage, type IO } from './io.js';

/** The exact text `--report` prints: redacted, then the final scan, with the ledger last. */
export async function buildReportText(outcome: RunOutcome, opts: { now?: Date; format?: Options['format']; fullReport?: string } = {}): Promise<string> {
  const r = outcome.redactor;
  const facts = await collectRunFacts(outcome);
  const { input, notCollected } = buildReportInput(outcome, facts, { now: opts.now, toolVersion: toolVersion() });
  if (opts.format === 'chat') return renderChat(input, r, { fullReport: opts.fullReport ?? 'claw-doctor --report --output doctor.md, then attach doctor.md' });
  // Redacted before rendering, so anything masked in these lines is counted in the ledger renderMarkdown writes.
  const missing = notCollected.map((l) => r.text(l));
  const md = renderMarkdown(input, r);
  return r.final(withNotCollected(md, missing));
}

const LEDGER_HEADING = '\n\n### Redaction\n';

/**
 * The sections this run could not fill, as one list just before the ledger (which must stay last), so a
 * reader does not take a missing section for "nothing wrong there".
 */
export function withNotCollected(md: string, lines: string[]): string {
  if (!lines.length) return md;
  const block = `**Not collected in this run**\n\n${lines.map((l) => `- ${escapeHtml(l)}`).join('\n')}`;
  const at = md.lastIndexOf(LEDGER_HEADING);
  if (at < 0) return `${md.trimEnd()}\n\n${block}\n`;
  return `${md.slice(0, at)}\n\n${block}${md.slice(at)}`;
}

function escapeHtml(s: string): string {
  return s.replace(/&(?![a-z]+;|#\d+;)/gi, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export async function report(options: Options, io: IO, now?: Date, platform?: NodeJS.Platform): Promise<number> {
  const target = options.output === undefined ? undefined : outputTarget(options.output, io.cwd);
  if (target !== undefined && typeof target !== 'string') return usage(io, target.problem);
  if (target) {
    const problem = unwritable(target);
    if (problem) return failed(io, earlyRedactor(io), `cannot write the report to ${target}: ${problem}`);
  }
  const outcome = await runDiagnosis(options, io);
  if (outcome === 2) return 2;
  const r = outcome.redactor;
  const fullReport = `${commandFor(options, '')} --report --output doctor.md, then attach doctor.md`;
  const text = await buildReportText(outcome, { now, format: options.format, fullReport });

  let printed = false;
  if (target) {
    try {
      writeFileAtomic(target, text);
      io.stderr.write(`Report written to ${r.text(target)} (mode 0600).\n`);
    } catch (e) {
      return failed(io, r, `cannot write the report to ${target}: ${reason(e)}`);
    }
  }
  if (options.copy) {
    const result = await copyToClipboard(text, { env: io.env, platform });
    io.stderr.write(`${r.text(describeCopy(result, platform))}${!result.copied && !target ? ' It is printed below.' : ''}\n`);
    if (result.copied) printed = true;
  }
  // With --copy alone and no clipboard, the report still has to go somewhere.
  if (!target && !printed) await print(io, text);
  return outcome.exitCode;
}

function failed(io: IO, r: Redactor, msg: string): number {
  complain(io, msg, r);
  return 2;
}

/** The absolute output path, or why the argument is not one. */
function outputTarget(arg: string, cwd: string): string | { problem: string } {
  if (!arg.trim()) return { problem: '--output needs a file name' };
  if (arg === '-') return { problem: '--output - is not supported: without --output the report goes to stdout' };
  return path.resolve(cwd, arg);
}

/** Checked before the run, so a typo does not cost a whole diagnosis: a directory, or a missing parent. */
function unwritable(file: string): string | undefined {
  try {
    if (fs.statSync(file).isDirectory()) return 'it is a directory; give a file name';
  } catch {
    /* does not exist yet: fine */
  }
  try {
    if (!fs.statSync(path.dirname(file)).isDirectory()) return `${path.dirname(file)} is not a directory`;
  } catch {
    return `the folder ${path.dirname(file)} does not exist`;
  }
  return undefined;
}

/**
 * Write to a temporary file in the same folder (created 0600, exclusively), then rename it over the target:
 * a reader sees the old file or the whole new one, never half, and the report is never readable by others,
 * not even for a moment. A directory is never replaced. This is the user's requested output, not a change
 * to their setup: the only write outside src/fix/ (scripts/check-imports.mjs allows it by name).
 */
export function writeFileAtomic(file: string, text: string): void {
  const problem = unwritable(file);
  if (problem) throw new Error(problem);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number;
  try {
    fd = fs.openSync(tmp, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600);
  } catch (e) {
    // The folder exists (checked above), yet no file can be made in it: /proc, /sys and the like answer ENOENT.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`no file can be created in ${path.dirname(file)} (a special file system)`);
    throw e;
  }
  try {
    try {
      fs.writeFileSync(fd, text);
      // The umask can only remove bits; make sure no mode bits were added by an inherited ACL or the like.
      fs.fchmodSync(fd, 0o600);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'read-only file system';
    case 'EISDIR':
      return 'it is a directory; give a file name';
    case 'ENOENT':
      return 'the folder does not exist';
    default:
      return (err?.message ?? String(e)).split('\n')[0]!;
  }
}
