// Where a key may be sent: the one loopback rule and the one plain-http refusal, used by the config checks,
// the probe and the evidence readers alike.

export function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** This machine: `localhost` (and `*.localhost`), 127.0.0.0/8, ::1, with or without URL brackets. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1';
}

/** Literal private addresses (RFC 1918, link-local, loopback, ULA): what 2026.9's SSRF guard refuses by default. */
export function isPrivateHost(host: string | undefined): boolean {
  if (!host) return false;
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (isLoopbackHost(h)) return true;
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 10 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  return /^(fc|fd)[0-9a-f]{2}:/.test(h) || /^fe80:/.test(h);
}

/**
 * Plain http:// to another machine would put the key on the wire in clear text: the probe refuses it unless
 * --allow-insecure. Returns why, or undefined when the URL may carry the key.
 */
export function plainHttpRefusal(url: string | undefined, allowInsecure: boolean): string | undefined {
  let u: URL;
  try {
    u = new URL(url ?? '');
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' || isLoopbackHost(u.hostname) || allowInsecure) return undefined;
  return `base URL ${u.origin} is plain http:// to another host: the key would travel in clear text (use https://, or --allow-insecure to send it anyway)`;
}
