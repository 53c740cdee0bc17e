// Which install a command line runs: the Node binary and the product package (its version and the Node it
// needs, from its own package.json). Used for the service's ExecStart, the running gateway's process and
// the CLI on PATH, so "the service runs another install than the one you upgraded" can be said.
import fs from 'node:fs/promises';
import path from 'node:path';
import { runBounded } from './run-bounded.js';

const PRODUCT_PACKAGES = new Set(['openclaw', 'clawdbot', 'moltbot']);

export interface ProductPackage {
  name: string;
  version?: string;
  /** The package folder (`/usr/lib/node_modules/openclaw`). */
  root: string;
  /** `engines.node`, e.g. `>=24.16.0`. */
  enginesNode?: string;
}

export interface InstallFacts {
  /** The Node binary, when the command names it (or /proc says so). */
  node?: string;
  nodeVersion?: string;
  /** The product package the command runs. */
  pkg?: ProductPackage;
}

/** The product package that holds `file` (a bin link, an entry script): walks up to its package.json. */
export async function productPackageOf(file: string): Promise<ProductPackage | undefined> {
  let dir = path.dirname(await fs.realpath(file).catch(() => file));
  for (let i = 0; i < 8; i++) {
    const text = await fs.readFile(path.join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (text !== undefined) {
      try {
        const pkg = JSON.parse(text) as { name?: unknown; version?: unknown; engines?: { node?: unknown } };
        if (typeof pkg.name === 'string' && PRODUCT_PACKAGES.has(pkg.name)) {
          return {
            name: pkg.name,
            version: typeof pkg.version === 'string' ? pkg.version : undefined,
            root: dir,
            enginesNode: typeof pkg.engines?.node === 'string' ? pkg.engines.node : undefined,
          };
        }
      } catch {
        // not a package.json we can read: keep walking up
      }
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

const isNodeBinary = (p: string): boolean => /(^|\/)node(js)?(\d+(\.\d+)*)?(\.exe)?$/i.test(p);

/**
 * `[/usr/bin/node, /usr/lib/node_modules/openclaw/dist/index.js, gateway, …]` or `[~/.local/bin/openclaw,
 * gateway, …]`; `exe` is the real binary when known (/proc/<pid>/exe).
 */
export async function installOf(argv: string[], opts: { exe?: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<InstallFacts> {
  if (argv.length === 0) return {};
  const nodeFirst = isNodeBinary(argv[0]!) || (opts.exe !== undefined && isNodeBinary(opts.exe));
  const script = nodeFirst ? argv.slice(1).find((a) => !a.startsWith('-')) : argv[0];
  const node = opts.exe && isNodeBinary(opts.exe) ? opts.exe : nodeFirst ? argv[0] : undefined;
  const [pkg, nodeVersion] = await Promise.all([
    script && path.isAbsolute(script) ? productPackageOf(script) : Promise.resolve(undefined),
    node ? nodeVersionOf(node, opts.env, opts.timeoutMs) : Promise.resolve(undefined),
  ]);
  return { node, nodeVersion, pkg };
}

async function nodeVersionOf(node: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string | undefined> {
  const r = await runBounded(node, ['--version'], { env: { PATH: env.PATH ?? '' }, timeoutMs });
  const m = /^v?(\d+\.\d+\.\d+)/.exec(r.output.trim());
  return r.exitCode === 0 && m ? m[1] : undefined;
}

/** The lowest Node a `>=X.Y.Z` (or `^X.Y`) range admits; undefined for ranges we do not read. */
export function minimumNode(range: string | undefined): [number, number, number] | undefined {
  const m = /^\s*(?:>=|\^|~)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(range ?? '');
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
}

export function nodeSatisfies(version: string, min: [number, number, number]): boolean {
  const v = version.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const a = v[i] ?? 0;
    if (a !== min[i]) return a > min[i]!;
  }
  return true;
}
