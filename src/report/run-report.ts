// `claw-doctor --report [--output FILE] [--copy]`: the diagnosis as one paste-ready Markdown document.
// The checks and the exit code are those of a plain run (diagnose() and its one rule); only the output
// differs. The text goes to stdout, or to a file written atomically with mode 0600 (a report is meant to be
// shared, but the file sits next to the user's other files until then), and/or to the clipboard.
import fs from 'node:fs';
import path from 'node:path';
import type { Options } from '../engine/options.js';
import { UsageError } from '../engine/registry.js';
import { diagnose, toolVersion, type RunOutcome } from '../main.js';
import { copyToClipboard, describeCopy } from './clipboard.js';
import { renderMarkdown } from './markdown.js';
import { Redactor } from './redact.js';
import { buildReportInput } from './report-input.js';

export interface ReportIO {
  env: NodeJS.ProcessEnv;
  cwd: string;
  home?: string;
  stdout: { write(s: string, cb?: (err?: Error | null) => void): boolean };
  stderr: { write(s: string): boolean };
  now?: Date;
  platform?: NodeJS.Platform;
}

const defaultIO = (): ReportIO => ({ env: process.env, cwd: process.cwd(), stdout: process.stdout, stderr: process.stderr });

/** The exact text `--report` prints: redacted, then the final scan, with the ledger last. */
export async function buildReportText(outcome: RunOutcome, opts: { now?: Date } = {}): Promise<string> {
  const r = outcome.redactor;
  const { input, notCollected } = await buildReportInput(outcome, { now: opts.now, toolVersion: toolVersion() });
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

export async function runReport(options: Options, io: ReportIO = defaultIO()): Promise<number> {
  // Until the config is read, only the home and the user name are known to hide.
  const early = new Redactor({ home: io.home ?? io.env.HOME });
  const usage = (msg: string): number => {
    io.stderr.write(`claw-doctor: ${early.text(msg)}\nRun claw-doctor --help for usage.\n`);
    return 2;
  };
  if (!options.report) return usage('--output and --copy go with --report (e.g. claw-doctor --report --output doctor.md)');
  if (options.json) return usage('--report prints Markdown and --json prints JSON: use one of them');
  const target = options.output === undefined ? undefined : outputTarget(options.output, io.cwd);
  if (target !== undefined && typeof target !== 'string') return usage(target.problem);
  if (target) {
    const problem = unwritable(target);
    if (problem) return failed(io, early, `cannot write the report to ${target}: ${problem}`);
  }

  let outcome: RunOutcome;
  try {
    outcome = await diagnose(options, { env: io.env, cwd: io.cwd, home: io.home });
  } catch (e) {
    if (e instanceof UsageError) return usage(e.message);
    throw e;
  }
  const r = outcome.redactor;
  const text = await buildReportText(outcome, { now: io.now });

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
    const result = await copyToClipboard(text, { env: io.env, platform: io.platform });
    io.stderr.write(`${r.text(describeCopy(result, io.platform))}${!result.copied && !target ? ' It is printed below.' : ''}\n`);
    if (result.copied) printed = true;
  }
  // With --copy alone and no clipboard, the report still has to go somewhere.
  if (!target && !printed) await new Promise<void>((resolve) => io.stdout.write(text, () => resolve()));
  return outcome.exitCode;
}

function failed(io: ReportIO, r: Redactor, msg: string): number {
  io.stderr.write(`claw-doctor: ${r.text(msg)}\n`);
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
 * not even for a moment. A directory is never replaced.
 */
export function writeFileAtomic(file: string, text: string): void {
  const problem = unwritable(file);
  if (problem) throw new Error(problem);
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const fd = fs.openSync(tmp, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600);
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
