// `--copy`: put the report on the clipboard with whatever tool this machine has. No clipboard library:
// each platform ships (or commonly installs) one small command that reads stdin, so we look for those on
// PATH and feed the text through stdin — never as an argument, where `ps` would show it.
import fs from 'node:fs';
import path from 'node:path';

export interface ClipboardTool {
  /** What the user knows it as: `xclip`, `clip.exe`. */
  name: string;
  /** File name looked for on PATH. */
  command: string;
  args: string[];
}

const PBCOPY: ClipboardTool = { name: 'pbcopy', command: 'pbcopy', args: [] };
const WL_COPY: ClipboardTool = { name: 'wl-copy', command: 'wl-copy', args: [] };
const XCLIP: ClipboardTool = { name: 'xclip', command: 'xclip', args: ['-selection', 'clipboard'] };
const XSEL: ClipboardTool = { name: 'xsel', command: 'xsel', args: ['--clipboard', '--input'] };
// WSL has no X clipboard by default but can reach Windows' through clip.exe.
const CLIP_EXE: ClipboardTool = { name: 'clip.exe', command: 'clip.exe', args: [] };

/** A clipboard command that does not return by then is stuck (no display, a locked session). */
export const CLIPBOARD_TIMEOUT_MS = 3000;

/** The tools to try, most likely first for this platform and session. */
export function clipboardCandidates(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): ClipboardTool[] {
  if (platform === 'darwin') return [PBCOPY];
  if (platform === 'win32') return [CLIP_EXE];
  const x11 = [XCLIP, XSEL];
  return env.WAYLAND_DISPLAY ? [WL_COPY, ...x11, CLIP_EXE] : [...x11, WL_COPY, CLIP_EXE];
}

/** Where `command` is on PATH (an executable file), or undefined. */
export function onPath(command: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string | undefined {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const exts = platform === 'win32' && !path.extname(command) ? ['.exe', '.cmd', ''] : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const p = path.join(dir, command + ext);
      try {
        fs.accessSync(p, fs.constants.X_OK);
        if (fs.statSync(p).isFile()) return p;
      } catch {
        /* not here */
      }
    }
  }
  return undefined;
}

export type CopyResult =
  | { copied: true; tool: string }
  /** `tried` is empty when no tool was found at all. */
  | { copied: false; tried: { tool: string; problem: string }[] };

/**
 * Copy `text` with the first tool that works. Never throws: a missing clipboard is a message, not a failure
 * of the run. stdout and stderr are not piped: xclip and wl-copy fork a child that keeps serving the
 * selection, and that child would hold a pipe open until the timeout.
 */
export async function copyToClipboard(
  text: string,
  opts: { env: NodeJS.ProcessEnv; platform?: NodeJS.Platform; timeoutMs?: number },
): Promise<CopyResult> {
  const platform = opts.platform ?? process.platform;
  const tried: { tool: string; problem: string }[] = [];
  for (const tool of clipboardCandidates(platform, opts.env)) {
    const file = onPath(tool.command, opts.env, platform);
    if (!file) continue;
    const problem = await run(file, tool.args, encodeFor(tool, text), opts.env, opts.timeoutMs ?? CLIPBOARD_TIMEOUT_MS);
    if (!problem) return { copied: true, tool: tool.name };
    tried.push({ tool: tool.name, problem });
  }
  return { copied: false, tried };
}

/**
 * clip.exe reads its input in the console's code page, which mangles the report's ✅/❌ and any non-ASCII
 * text; given UTF-16LE with a byte-order mark it takes the text as Unicode.
 */
export function encodeFor(tool: ClipboardTool, text: string): string | Uint8Array {
  if (tool !== CLIP_EXE) return text;
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

/** Undefined when the tool took the text; otherwise why not, in a few words. */
async function run(file: string, args: string[], input: string | Uint8Array, env: NodeJS.ProcessEnv, timeout: number): Promise<string | undefined> {
  try {
    const { execa } = await import('execa');
    const r = await execa(file, args, { input, env, extendEnv: false, stdout: 'ignore', stderr: 'ignore', timeout, reject: false });
    if (r.timedOut) return `did not finish within ${timeout / 1000} s`;
    if (r.failed) return r.exitCode !== undefined ? `exited with code ${r.exitCode}` : (r.shortMessage ?? 'failed').split('\n')[0]!;
    return undefined;
  } catch (e) {
    return (e as Error).message.split('\n')[0] ?? 'failed';
  }
}

/** What to tell the user, one line, for stderr. */
export function describeCopy(result: CopyResult, platform: NodeJS.Platform = process.platform): string {
  if (result.copied) return `Report copied to the clipboard (${result.tool}).`;
  if (result.tried.length === 0) {
    const names = clipboardCandidates(platform, {}).map((t) => t.name).join(', ');
    return `No clipboard tool found (looked on PATH for ${names}); the report was not copied.`;
  }
  return `Could not copy the report: ${result.tried.map((t) => `${t.tool} ${t.problem}`).join('; ')}.`;
}
