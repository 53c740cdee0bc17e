import { requireKimi, modelPath, type EffectiveModel } from '../../src/facts/kimi.js';
import { getProbeResults, PROBE_CHECK_MS, PROBE_ANSWER, PROBE_PROMPT, type ProbeRun } from '../../src/facts/probe-target.js';
import type { ProbeResult } from '../../src/facts/probe.js';
import type { Classified } from '../../src/facts/classify.js';
import { where, snippet } from '../../src/facts/evidence.js';
import { skip, type Check, type Finding } from '../../src/engine/types.js';
import { baseUrlProblem, keyProblem } from '../../src/facts/model-rules.js';

// kimi.md "A good probe": ask "What is 47 * 83?" exactly the way the product would (the request is derived in
// src/facts/product-request.ts), so the probe fails exactly where the product fails. What it finds is
// classified with the shared table (src/facts/classify.ts) and, where a config check already names the
// cause, carries the same `cause` key so the runner points to that finding instead of repeating it.

const seconds = (ms: number | undefined): string => (ms === undefined ? '?' : `${(ms / 1000).toFixed(2)} s`);

/**
 * The cause key a config check would use for what the server said about this model. The keys must stay
 * equal to those of provider.* and agent.model, or the runner's dedupe cannot point to them.
 */
export function causeFor(m: EffectiveModel, c: Classified): string {
  switch (c.cause) {
    case 'client-gate':
    case 'developer-role':
      // A typo in the model id builds a bare model without headers and compat (agent.model reports it).
      return m.synthetic ? 'model-id-unknown' : c.cause;
    case 'model-unknown':
      return 'model-id-unknown';
    case 'key-invalid':
      return keyProblem(m) ?? 'key-invalid';
    case 'wrong-path':
      return baseUrlProblem(m) ? 'base-url' : 'wrong-path';
    default:
      return c.cause;
  }
}

function sentLine(run: ProbeRun, r: ProbeResult): string {
  const q = r.request;
  const thinking = run.thinking.reachesModel ? `thinking "${run.thinking.level}"` : 'thinking off';
  return (
    `Asked "${PROBE_PROMPT}" the way the product does: ${q.method} ${q.url}, User-Agent "${q.userAgent ?? '(none)'}", ` +
    `system role "${q.systemRole}", streaming, output budget ${q.maxTokens} tokens, ${thinking}.` +
    (run.override ? ` The model is the session's: ${run.override}.` : '')
  );
}

function evidenceOf(run: ProbeRun, r: ProbeResult, at: string): string[] {
  const ev = [`POST ${r.url}${r.status !== undefined ? ` → HTTP ${r.status}` : ''}`];
  if (r.request.userAgent) ev.push(`User-Agent sent: ${r.request.userAgent}`);
  if (r.proxy) ev.push(`through proxy ${r.proxy}`);
  ev.push(`key from ${run.keySource}`, at);
  return ev;
}

function usageLine(r: ProbeResult): string {
  const u = r.usage;
  if (!u) return 'Tokens: not reported.';
  const parts = [u.input !== undefined && `${u.input} in`, u.output !== undefined && `${u.output} out`, u.total !== undefined && `${u.total} total`].filter(Boolean);
  return `Tokens: ${parts.join(', ') || 'not reported'}.`;
}

function timingLine(r: ProbeResult): string {
  return `First token after ${seconds(r.ttftMs)}, complete after ${seconds(r.totalMs)}; finish reason "${r.finishReason ?? 'none'}".`;
}

/** A 200 with a stream: the answer, the reasoning, the budget. */
function judgeAnswer(m: EffectiveModel, run: ProbeRun, r: ProbeResult, at: string): Finding {
  const ev = evidenceOf(run, r, at);
  const figures = [sentLine(run, r), timingLine(r), usageLine(r)];
  const cut = r.finishReason === 'length' || r.finishReason === 'max_tokens';
  if (!r.hasAnswer && cut) {
    // The probe sends the product's own budget (product-request.ts), so the user's answers are cut the same way.
    return {
      severity: 'error',
      title: `${m.ref}: the answer was cut off: reasoning used the whole output budget`,
      detail:
        `Reasoning tokens count against the output budget. The product sends ${r.request.maxTokens} tokens for this model ` +
        `(the probe sent the same), and the model spent them thinking, so the content came back ${r.content ? 'incomplete' : 'empty'} ` +
        `with finish reason "${r.finishReason}". Your own requests end the same way.\n` +
        (run.budgetNote ? `${run.budgetNote[0].toUpperCase()}${run.budgetNote.slice(1)}.\n` : '') +
        figures.join('\n'),
      fix: m.params.maxTokens !== undefined
        ? `Raise or remove params.maxTokens in agents.defaults.models["${m.ref}"] (Kimi allows up to 32768):\n${snippet({ params: { maxTokens: 32000 } })}`
        : `Give the model room to think and answer (Kimi allows up to 32768):\n${snippet({ maxTokens: 32768 })}`,
      evidence: ev,
      cause: 'budget-too-small',
    };
  }
  if (!r.hasAnswer) {
    const said = (r.content ?? '').replace(/\s+/g, ' ').trim();
    return {
      severity: 'warn',
      title: `${m.ref} answered, but not ${PROBE_ANSWER}`,
      detail: `The request was accepted and streamed, but the content ${said ? `was "${said.slice(0, 200)}${said.length > 200 ? '…' : ''}"` : 'was empty'}.\n${figures.join('\n')}`,
      fix: 'Check that the base URL points at Kimi For Coding (https://api.kimi.com/coding/v1) and not at a relay that rewrites answers.',
      evidence: ev,
    };
  }
  if (run.thinking.reachesModel && !r.reasoning) {
    return {
      severity: 'warn',
      title: `${m.ref} answered ${PROBE_ANSWER}, but without reasoning: thinking is off at the server`,
      detail:
        `Thinking was requested (level "${run.thinking.level}": ${run.thinking.why.split('.')[0]}), yet no reasoning_content came back, ` +
        'so the server answered without thinking. The product will not show an error for this: answers are just shallower.\n' +
        figures.join('\n'),
      fix: 'Check that the model id is a thinking model (kimi-for-coding is) and that the base URL reaches Kimi For Coding directly; a relay may drop reasoning_content.',
      evidence: ev,
      cause: 'thinking-off-at-server',
    };
  }
  const reasoning = r.reasoning
    ? `Reasoning: ${r.reasoning.length} characters of reasoning_content (thinking is on).`
    : run.thinking.reachesModel
      ? ''
      : `Reasoning: not requested (${run.thinking.why.split('.')[0]}).`;
  return {
    severity: 'info',
    title: `${m.ref} answered ${PROBE_ANSWER} in ${seconds(r.totalMs)} (first token ${seconds(r.ttftMs)})`,
    detail: [sentLine(run, r), `HTTP ${r.status}. ${timingLine(r)}`, reasoning, usageLine(r), run.budgetNote ? `Note: ${run.budgetNote}.` : ''].filter(Boolean).join('\n'),
    evidence: ev,
  };
}

/** The chat route refused the request: classify.ts says why and what to do. */
function judgeHttp(m: EffectiveModel, run: ProbeRun, r: ProbeResult, c: Classified, at: string): Finding {
  const notes: string[] = [];
  if (c.cause === 'developer-role') {
    notes.push('The key and the client gate passed (the server read the messages): a 200 from GET /models would not have shown this.');
  } else if (c.cause === 'wrong-path') {
    notes.push(`The probe posted to ${r.url} (the base URL plus the route the product appends for api "${m.api}").`);
  }
  return {
    severity: c.severity,
    title: `${m.ref}: ${c.title}`,
    detail: [c.detail, ...notes, sentLine(run, r)].join('\n'),
    fix: c.fix,
    evidence: evidenceOf(run, r, at),
    cause: causeFor(m, c),
  };
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/**
 * Nothing was sent. When the product itself would send nothing (its config does not load, the model has no base
 * URL, no key), the probe says what the product does instead — and where a typo would send the Kimi key.
 */
function notProbed(run: ProbeRun, at: string): Finding {
  const s = run.skipped!;
  const see = s.see ? ` See ${s.see}.` : '';
  if (s.keyGoesTo) {
    return {
      severity: 'error',
      title: `${run.ref}: the product would send your Kimi key to ${s.keyGoesTo}`,
      detail: `Not probed: ${s.reason}. The probe sends nothing there; nothing you ask reaches Kimi.${see}`,
      fix: 'Fix the model id in agents.defaults.model.primary (see agent.model), then consider rotating the key in the Kimi Code console if the gateway already ran like this.',
      evidence: [at],
      cause: s.cause,
    };
  }
  if (s.productSendsNothing) {
    return {
      severity: s.cause ? 'warn' : 'info',
      title: `${run.ref}: not probed: the product itself sends nothing`,
      detail: `${s.reason}. The probe sends nothing either: a request the product never makes would prove nothing.${see}`,
      evidence: [at],
      cause: s.cause,
    };
  }
  return { severity: s.cause ? 'warn' : 'info', title: `${run.ref}: not probed`, detail: `${s.reason}.${see}`, evidence: [at], cause: s.cause };
}

const RUN_ELSEWHERE = 'If the gateway runs somewhere else (a container, another host), run claw-doctor there: only that network matters.';

/** No HTTP answer: DNS, refused, TLS, proxy, timeout, a cut stream. */
function judgeNetwork(m: EffectiveModel, run: ProbeRun, r: ProbeResult, at: string): Finding {
  const e = r.error!;
  const ev = evidenceOf(run, r, at);
  const url = parseUrl(r.url);
  const host = url?.host ?? r.url;
  const hostname = url?.hostname ?? host;
  const base = { evidence: ev, cause: `network-${e.kind}` };
  switch (e.kind) {
    case 'dns':
      return {
        ...base,
        severity: 'error',
        title: `${m.ref}: the host ${host} could not be resolved (DNS)`,
        detail: `${e.message}. The product cannot reach the API from here either.\n${RUN_ELSEWHERE}`,
        fix: `Check the host name in the base URL (Kimi For Coding: https://api.kimi.com/coding/v1) and this machine's DNS:\n  getent hosts ${hostname}\nBehind a corporate proxy, export HTTPS_PROXY=http://proxy.example:3128 where the gateway runs.`,
      };
    case 'refused':
      return {
        ...base,
        severity: 'error',
        title: `${m.ref}: nothing answers at ${host} (connection refused)`,
        detail: `${e.message}.\n${RUN_ELSEWHERE}`,
        fix: 'Check the port in the base URL. If it points at a local relay or proxy, start it; for Kimi For Coding directly use https://api.kimi.com/coding/v1.',
      };
    case 'tls':
      return {
        ...base,
        severity: 'error',
        title: `${m.ref}: the TLS handshake with ${host} failed`,
        detail: `${e.message}.\nA proxy or security product that intercepts HTTPS presents its own certificate, which Node does not trust by default.`,
        fix: 'If your network intercepts HTTPS, give Node its CA where the gateway runs:\n  export NODE_EXTRA_CA_CERTS=/path/to/corporate-ca.pem\nIf the base URL names a plain-http port, fix the URL instead.',
      };
    case 'proxy':
      return {
        ...base,
        severity: 'error',
        title: `${m.ref}: the proxy failed`,
        detail:
          `${e.message}.\nThe probe honours HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment claw-doctor runs in; ` +
          'the gateway meets the same proxy when it runs with the same environment.',
        fix: `Check the proxy:\n  curl -sS -x "$HTTPS_PROXY" -o /dev/null -w '%{http_code}\\n' ${url?.origin ?? r.url}/\nIf it is not needed, unset HTTPS_PROXY, or add the host to NO_PROXY (NO_PROXY=${hostname}).`,
      };
    case 'timeout': {
      // One figure (the time the probe waited) and a retry that can help: the probe never waits more than
      // its own PROBE_CHECK_MS, so a --timeout above that gives it nothing more.
      const cap = PROBE_CHECK_MS / 1000;
      const full = (r.totalMs ?? 0) >= PROBE_CHECK_MS - 1000;
      return {
        ...base,
        severity: 'warn',
        title: `${m.ref}: no complete answer within ${seconds(r.totalMs)}`,
        detail:
          `Nothing complete came back from ${url?.host ?? r.url} in that time. ${r.status !== undefined ? `The server answered HTTP ${r.status} and then stalled mid-stream.` : 'No response headers arrived.'} ` +
          `The probe waits at most ${cap} s (less when --timeout leaves less); the product waits longer, so a slow but working service can look like this.`,
        fix: full
          ? 'The probe waited its full time: check the service status and any proxy in between, then retry.'
          : `Give the probe its full ${cap} s: claw-doctor --only probe.chat --timeout ${cap + 5}. If it still hangs, check any proxy in between and the service status.`,
      };
    }
    case 'closed':
      return {
        ...base,
        severity: 'warn',
        title: `${m.ref}: the connection closed before the answer was complete`,
        detail:
          `${e.message}.${r.content || r.reasoning ? ` ${((r.reasoning ?? '') + (r.content ?? '')).length} characters had arrived.` : ''} ` +
          'A one-off cut is a network hiccup; if it repeats, something in between is cutting streaming (server-sent events) responses.',
        fix: 'Retry. If it repeats, check proxies or firewalls that buffer or time out long-lived HTTP responses.',
      };
    case 'insecure':
      return {
        ...base,
        severity: 'error',
        title: `${m.ref}: not probed: the key would travel in clear text`,
        detail: e.message,
        fix: 'Use an https:// base URL (Kimi For Coding: https://api.kimi.com/coding/v1), or run with --allow-insecure if the plain-http host is yours.',
        cause: 'base-url',
      };
    default:
      return {
        ...base,
        severity: 'error',
        title: `${m.ref}: the probe request failed`,
        detail: e.message,
        fix: 'Read the message above; re-run with --verbose and paste the report (it is redacted) into a support thread if it stays unclear.',
        cause: undefined,
      };
  }
}

export default {
  id: 'probe.chat',
  title: 'Kimi answers a real question, sent like the product sends it',
  why: 'Config can look right and still fail; one real request shows the gate, the key, the role, the quota and the network as the product meets them.',
  reads: 'nothing on disk: it sends "What is 47 * 83?" to the configured base URL exactly as the product would (key, headers, role, stream, thinking)',
  gives: [
    { severity: 'info', title: '<ref> answered 3901 in <s> (first token <s>)' },
    { severity: 'warn', title: '<ref> answered 3901, but without reasoning: thinking is off at the server' },
    { severity: 'error', title: '<ref>: <cause> (gate, key, model id, role, quota, membership, path, rate limit, overload, server error)' },
    { severity: 'warn', title: '<ref>: no complete answer within <s>' },
    { severity: 'error', title: '<ref>: DNS, refused, TLS, proxy or cut-stream failures, each with its next step' },
    { severity: 'warn', title: '<ref>: not probed: the key would travel in clear text' },
  ],
  explain:
    `Sends "${PROBE_PROMPT}" to the agent's model (every configured Kimi model with --all-models) as the request your ` +
    'product version would send (src/facts/product-request.ts: route, key, headers, role, budget, params, compat, thinking, ' +
    'the session\'s overrides) — and nothing where the product would send nothing — and judges the answer: it must contain ' +
    `${PROBE_ANSWER}, and carry reasoning_content when thinking is on. Failures are classified (gate, key, role, quota, ` +
    'path, network) with their fix; a cause a config check already reported points to that check. The key goes only to ' +
    'the configured base URL, never over plain http:// to another host unless --allow-insecure. HTTPS_PROXY and ' +
    'NO_PROXY are honoured. Bounded by --timeout; skipped with --offline.',
  network: true,
  timeoutMs: PROBE_CHECK_MS,
  async run(ctx) {
    const { cfg, setup } = await requireKimi(ctx);
    const runs = await getProbeResults(ctx);
    if (!runs.length) {
      skip(
        setup.primary
          ? `the agent's model ${setup.primary.ref} is not a Kimi model (--all-models probes every configured Kimi model)`
          : 'the agent has no model set (--all-models probes every configured Kimi model)',
      );
    }
    const skipped = runs.filter((r) => r.skipped);
    // Skipped as a whole when nothing went out, unless the product would send the key elsewhere: that is an error.
    if (skipped.length === runs.length && !skipped.some((r) => r.skipped!.keyGoesTo)) {
      skip(skipped.map((r) => `${r.ref}: ${r.skipped!.reason}${r.skipped!.see ? ` (see ${r.skipped!.see})` : ''}`).join('; '));
    }
    const out: Finding[] = [];
    for (const run of runs) {
      const m = setup.kimiModels.find((k) => k.ref === run.ref) ?? setup.primary;
      if (!m) continue;
      const at = where(ctx, cfg, modelPath(m));
      if (run.skipped) {
        out.push(notProbed(run, at));
        continue;
      }
      const r = run.result!;
      if (!r.error) out.push(judgeAnswer(m, run, r, at));
      else if (r.error.kind === 'http' && r.error.classified) out.push(judgeHttp(m, run, r, r.error.classified, at));
      else out.push(judgeNetwork(m, run, r, at));
    }
    return out;
  },
} satisfies Check;
