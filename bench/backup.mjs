// Bench section: backing up a sessions dir of 5,000 transcripts (~500 MB) with the doctor's streamed
// archiver, next to `tar -czf` of the same dir (ratio), with peak memory. Aim: ≤ 1.3× tar, < 150 MB RSS.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CACHE = path.join(ROOT, '.bench');
const RUNS = 3;
const FILES = 5000;
const FILE_BYTES = 100 * 1024;


function timed(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  return { ms, rssMb: Number(r.stderr.trim().split('\n').pop()) / 1024 };
}

/** Transcript-like JSON lines: mostly text (compresses like real ones), some random ids. */
function makeSessions(dir) {
  const marker = path.join(dir, '.complete');
  if (fs.existsSync(marker)) return;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const words = 'the agent read the file and wrote a patch for the failing test then ran the suite again and it passed'.split(' ');
  for (let i = 0; i < FILES; i++) {
    const id = crypto.randomUUID();
    const lines = [JSON.stringify({ type: 'session', version: 3, id, timestamp: new Date().toISOString(), cwd: '/home/user/clawd' })];
    let size = lines[0].length;
    while (size < FILE_BYTES) {
      const text = Array.from({ length: 60 }, () => words[crypto.randomInt(words.length)]).join(' ');
      const l = JSON.stringify({ type: 'message', id: crypto.randomBytes(4).toString('hex'), message: { role: 'assistant', content: [{ type: 'text', text }] } });
      lines.push(l);
      size += l.length + 1;
    }
    fs.writeFileSync(path.join(dir, `${id}.jsonl`), lines.join('\n') + '\n');
  }
  fs.writeFileSync(marker, '');
}

export default async function backup() {
  if (!fs.existsSync('/usr/bin/time') || spawnSync('tar', ['--version']).status !== 0) {
    console.log('\nSessions backup: skipped (needs /usr/bin/time and tar)');
    return;
  }
  const parent = path.join(CACHE, 'state');
  const sessions = path.join(parent, 'sessions');
  process.stdout.write(`\nSessions backup: ${FILES} transcripts of ~${FILE_BYTES / 1024} KiB (preparing once under .bench/ …)`);
  makeSessions(sessions);
  const total = fs.readdirSync(sessions).reduce((n, f) => n + fs.statSync(path.join(sessions, f)).size, 0);
  console.log(` ${(total / 1e6).toFixed(0)} MB, median of ${RUNS}`);
  const out = path.join(CACHE, 'backups');
  const script = `import { archiveSessions, verifyArchive } from ${JSON.stringify(path.join(ROOT, 'dist/src/fix/sessions-backup.js'))};
    const r = await archiveSessions(process.argv[1], process.argv[2]);
    if (process.argv[3] === 'verify') { const v = await verifyArchive(r.archive, process.argv[1]); if (!v.ok) { console.error(v.problems); process.exit(1); } }`;
  const tarRuns = [];
  const docRuns = [];
  const verifyRuns = [];
  for (let i = 0; i < RUNS; i++) {
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(out, { recursive: true });
    tarRuns.push(timed('tar', ['-czf', path.join(out, 'tar.tar.gz'), '-C', parent, 'sessions']));
    docRuns.push(timed(process.execPath, ['--input-type=module', '-e', script, sessions, out]));
    fs.rmSync(out, { recursive: true, force: true });
    verifyRuns.push(timed(process.execPath, ['--input-type=module', '-e', script, sessions, out, 'verify']));
  }
  const t = median(tarRuns.map((r) => r.ms));
  const d = median(docRuns.map((r) => r.ms));
  const v = median(verifyRuns.map((r) => r.ms));
  const rss = (rs) => Math.max(...rs.map((r) => r.rssMb)).toFixed(0);
  console.log(`  ${'tar -czf (baseline)'.padEnd(58)} ${t.toFixed(0).padStart(9)} ms  peak ${rss(tarRuns)} MB`);
  console.log(`  ${'claw-doctor archiveSessions (tar package, streamed)'.padEnd(58)} ${d.toFixed(0).padStart(9)} ms  peak ${rss(docRuns)} MB  ${(d / t).toFixed(2)}× tar`);
  console.log(`  ${'… plus verifyArchive (read back, sizes + sha256)'.padEnd(58)} ${v.toFixed(0).padStart(9)} ms  peak ${rss(verifyRuns)} MB  ${(v / t).toFixed(2)}× tar`);
  console.log('  aim: archive ≤ 1.3× tar and < 150 MB RSS');
  fs.rmSync(out, { recursive: true, force: true });
}
