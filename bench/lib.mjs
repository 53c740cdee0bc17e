// Small helpers shared by the bench sections (run.mjs executes on import, so they live here).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall time (ms) and peak RSS (MB, via /usr/bin/time when present) of one command. */
export function measure(cmd, argv, opts = {}) {
  const haveTime = fs.existsSync('/usr/bin/time');
  const t0 = process.hrtime.bigint();
  const r = haveTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28, ...opts })
    : spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const rssMb = haveTime ? Number((r.stderr || '').trim().split('\n').pop()) / 1024 : undefined;
  return { ms, rssMb, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The median of `runs` runs (default 15) and the highest peak RSS seen. */
export function bench(label, cmd, argv, { runs = 15, ...opts } = {}) {
  const times = [];
  let rss = 0;
  let last;
  for (let i = 0; i < runs; i++) {
    last = measure(cmd, argv, opts);
    times.push(last.ms);
    rss = Math.max(rss, last.rssMb ?? 0);
  }
  return { label, median: median(times), rss, status: last.status, stdout: last.stdout };
}

/** One line: label, median, peak memory when known, ratio to a baseline. */
export function row(r, base) {
  const ratio = base ? `  ${(r.median / base.median).toFixed(2)}× ${base.label}` : '';
  const mem = r.rss ? `  peak ${r.rss.toFixed(0)} MB` : '';
  console.log(`  ${r.label.padEnd(58)} ${r.median.toFixed(1).padStart(9)} ms${mem}${ratio}`);
}
