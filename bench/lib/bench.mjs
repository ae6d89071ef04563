#!/usr/bin/env node
// Campus benchmark driver. bench/run.sh starts PostgreSQL, Redis and the app, then runs this with
// the scenarios to measure. Sequential samples, cold rounds and fixed-count runs use this process's
// own HTTP client ("node"); steady-state throughput and the mixed ramp use wrk. Every run is
// reported next to floors measured in the same run with the same tool (the liveness probe for HTTP,
// pgbench -S for a single-row PostgreSQL read) and next to the seed reports' claims.

import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync, spawn } from 'node:child_process';

const env = process.env;
const API = env.BENCH_API;
const MGMT = env.BENCH_MGMT;
const WORK = env.BENCH_WORK;
const OUT_DIR = env.BENCH_OUT_DIR;
const NAME = env.BENCH_NAME || 'latest';
const LIB = path.dirname(new URL(import.meta.url).pathname);
const PG = {
  bin: env.BENCH_PGBIN || '',
  host: env.BENCH_PG_HOST || '127.0.0.1',
  port: env.BENCH_PG_PORT,
  user: env.BENCH_PG_SUPERUSER || 'postgres',
  db: env.BENCH_PG_DB || 'campus',
  appRole: env.BENCH_PG_APP_ROLE || 'campus_app',
  benchDb: env.BENCH_PGBENCH_DB || 'pgbench',
};
const DURATION = num(env.BENCH_DURATION, 10);
const FLOOR_DURATION = num(env.BENCH_FLOOR_DURATION, 5);
const CONC = num(env.BENCH_CONC, 32);
const COLD_CONC = num(env.BENCH_COLD_CONC, 8);
const N_MENTORS = num(env.BENCH_MENTORS, 40);
const N_STUDENTS = num(env.BENCH_STUDENTS, 300);
const MIXED_LEVELS = (env.BENCH_MIXED_LEVELS || '10,100,1000,10000').split(',').map(Number);
const FLOOR_SERVER = env.BENCH_FLOOR; // bench/floor/FloorServer.java, started by run.sh
const PAIR_REPS = num(env.BENCH_PAIR_REPS, 3);
// Unmeasured seconds of each pair's load on both sides first: the JIT has compiled what it serves
// before its first measured run (0 turns it off).
const PAIR_WARMUP = num(env.BENCH_PAIR_WARMUP, 3);
const RECOVERY_WINDOW = num(env.BENCH_RECOVERY_SECONDS, 5);
const RECOVERY_WARMUP = 3;
const RECOVERY_WINDOWS = 6;
// Only the pairs whose name contains one of these (comma-separated), e.g. "completion".
const PAIR_ONLY = (env.BENCH_PAIRS || '').split(',').filter(Boolean);
const PAIR_CONC = (env.BENCH_PAIR_CONC || `${num(env.BENCH_CONC, 32)},256`).split(',').map(Number);
const OPEN_RATES = (env.BENCH_OPEN_RATES || '1000,2000,4000,6000,8000').split(',').map(Number);
const OPEN_SECONDS = num(env.BENCH_OPEN_SECONDS, 5);
const OPEN_USERS = num(env.BENCH_OPEN_USERS, 10000);
// Bisection steps after the coarse rates, and the rate grain they stop at.
const OPEN_REFINE = num(env.BENCH_OPEN_REFINE, 3);
const OPEN_GRAIN = 50;
const HEAVIEST_LEVEL = Math.max(...MIXED_LEVELS);
const PROBE_RATE = 200; // requests/s of the latency probe beside wrk at the heaviest level
const SERVED_LEVEL = 100; // the seeds' "100+ users"; above it the pool's wait queue sheds load
const PASSWORD = 'campus-demo-password';
const RUN_TAG = Date.now().toString(36);

// ------------------------------------------------------------------------- CPU accounting
// The machine may be shared: CPU used by processes outside the benchmark (app, its PostgreSQL and
// Redis, this driver and its children) is measured per scenario so a noisy figure can be told apart.

const CLK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;
const NCPU = os.cpus().length;

function statFields(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function ticks(pid, children = false) {
  const f = statFields(pid);
  if (!f) return 0;
  return Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0);
}

function descendants(root) {
  const parent = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const f = statFields(d);
    if (f) parent.set(Number(d), Number(f[1]));
  }
  const out = [];
  for (const [pid] of parent) {
    for (let p = parent.get(pid); p; p = parent.get(p)) {
      if (p === root) {
        out.push(pid);
        break;
      }
    }
  }
  return out;
}

function cpuSnapshot() {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line;
  const busy = user + nice + system + irq + softirq + (steal || 0);
  const pg = Number(env.BENCH_PG_PID) || 0;
  let ours = ticks(process.pid, true) + ticks(env.BENCH_APP_PID) + ticks(env.BENCH_REDIS_PID) + ticks(env.BENCH_FLOOR_PID);
  if (pg) ours += ticks(pg, true) + descendants(pg).reduce((a, p) => a + ticks(p), 0);
  // This driver's children that are still running (OpenLoop.java lives through its scenario):
  // the parent's own counters take a child's time only once it has exited and been reaped.
  const counted = new Set([env.BENCH_APP_PID, env.BENCH_REDIS_PID, env.BENCH_FLOOR_PID, pg].map(Number));
  ours += descendants(process.pid).reduce((a, p) => a + (counted.has(p) ? 0 : ticks(p, true)), 0);
  return { at: Date.now(), busy, ours };
}

function cpuShare(a, b) {
  const capacity = ((b.at - a.at) / 1000) * CLK * NCPU;
  // Below a second the tick counters are too coarse to say anything.
  if (b.at - a.at < 1000) return null;
  const ours = Math.min(100, (100 * (b.ours - a.ours)) / capacity);
  const others = Math.max(0, (100 * (b.busy - a.busy - (b.ours - a.ours))) / capacity);
  return { ours, others };
}

function loadavg() {
  try {
    return fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
  } catch {
    return null;
  }
}

function num(v, d) {
  const n = Number(v);
  return v === undefined || v === '' || Number.isNaN(n) ? d : n;
}

const log = (...a) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

// ------------------------------------------------------------------------------------ results

const results = {
  meta: {},
  floors: {},
  runs: [],
  figures: [],
  notes: [],
  skipped: [],
  scenarios: {},
  pairs: [],
  openLoop: [],
};

// Seed claims, best bound of the "after" figure: a ratio below 1 beats even the seed's best case.
const SEED = {
  bulk100: { text: '1-2 s after (8-12 s before)', value: 1000, on: 'p50' },
  statements: { text: '2-5 after (400+ before)', value: 2 },
  mentor: { text: '200-300 ms after (1.5-2 s before)', value: 200, on: 'p50' },
  dashboard: { text: '800 ms after (2.5 s before)', value: 800, on: 'p50' },
  eligibility: { text: '200 ms after (850 ms before)', value: 200, on: 'p50' },
  health: { text: '50 ms target (749 ms before)', value: 50, on: 'p50' },
  browse: { text: '10-40 ms target', value: 10, on: 'p50' },
  search: { text: '50 ms target', value: 50, on: 'p50' },
  auth: { text: '5 ms target', value: 5, on: 'p50' },
  job: { text: '4.5 min per 1000 users after (12 min before)', value: 270 },
  analytics: { text: 'p99 ≤ 20 ms warm (target)', value: 20, on: 'p99' },
  p95: { text: 'p95 < 300 ms at 100+ users', value: 300, on: 'p95' },
  hitRate: { text: '80-90% hit rate', value: 80 },
};

function addRun(scenario, name, tool, conc, stats, seed = null, note = '') {
  const row = { scenario, name, tool, conc, ...stats, seed, note };
  results.runs.push(row);
  log(
    `${scenario} | ${name} | ${tool} c=${conc} n=${stats.n} p50=${fmt(stats.p50)} p99=${fmt(stats.p99)} ` +
      `rps=${fmt(stats.rps)} err=${stats.errors}`,
  );
  return row;
}

function addFigure(scenario, name, value, unit, seed = null, note = '') {
  results.figures.push({ scenario, name, value, unit, seed, note });
  log(`${scenario} | ${name} = ${fmt(value)} ${unit}`);
}

// ------------------------------------------------------------------------------------- HTTP

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function send({ method = 'GET', url, token, body, accept = 'application/json' }) {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const headers = { accept };
    if (token) headers.authorization = `Bearer ${token}`;
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    const started = process.hrtime.bigint();
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', (e) => resolve({ status: 0, ms: 0, text: String(e) }));
    });
    req.setTimeout(30000, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6, text: String(e) }));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

async function call(spec, expect = [200]) {
  const r = await send(spec);
  if (!expect.includes(r.status)) {
    throw new Error(`${spec.method || 'GET'} ${spec.url} -> ${r.status}: ${r.text.slice(0, 300)}`);
  }
  return r.text ? JSON.parse(r.text) : null;
}

/** Sends the requests with `conc` workers; raw latencies and statuses, plus wall time. */
async function driveRaw(specs, conc) {
  const lat = new Array(specs.length);
  const statuses = new Array(specs.length);
  let next = 0;
  const started = process.hrtime.bigint();
  async function worker() {
    while (next < specs.length) {
      const i = next++;
      const r = await send(specs[i]);
      lat[i] = r.ms;
      statuses[i] = r.status;
      if ((r.status === 0 || r.status >= 400) && !driveRaw.warned) {
        driveRaw.warned = true;
        log(`first error: ${specs[i].method || 'GET'} ${specs[i].url} -> ${r.status} ${r.text.slice(0, 200)}`);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(conc, specs.length) }, worker));
  return { lat, statuses, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}

function summarize(parts) {
  const lat = parts.flatMap((p) => p.lat);
  const statuses = parts.flatMap((p) => p.statuses);
  const ms = parts.reduce((a, p) => a + p.ms, 0);
  const sorted = [...lat].sort((a, b) => a - b);
  const pct = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : null);
  const codes = {};
  for (const s of statuses) codes[s] = (codes[s] || 0) + 1;
  const errors = statuses.filter((s) => s === 0 || s >= 400).length;
  return {
    n: lat.length,
    seconds: ms / 1000,
    p50: pct(50),
    p95: pct(95),
    p99: pct(99),
    max: sorted.length ? sorted[sorted.length - 1] : null,
    rps: ms > 0 ? (lat.length - errors) / (ms / 1000) : null,
    errors,
    codes,
  };
}

async function drive(specs, conc) {
  return summarize([await driveRaw(specs, conc)]);
}

// -------------------------------------------------------------------------------------- wrk

let wrkSeq = 0;

/** Runs wrk over the listed requests; stats in the same shape as drive(). */
/** One request as a line of the files wrk (requests.lua) and OpenLoop.java read. */
function requestLine(s) {
  const body = s.body === undefined ? '' : typeof s.body === 'string' ? s.body : JSON.stringify(s.body);
  return [s.method || 'GET', s.path, s.token || '', body].join('\t');
}

function wrk(base, specs, conc, seconds, { codes = false, timeout = '10s' } = {}) {
  const id = ++wrkSeq;
  const reqFile = path.join(WORK, `wrk-${id}.req`);
  const outFile = path.join(WORK, `wrk-${id}.json`);
  const lines = specs.map(requestLine);
  fs.writeFileSync(reqFile, lines.join('\n') + '\n');
  const threads = Math.max(1, Math.min(2, conc));
  return new Promise((resolve, reject) => {
    const child = spawn(
      'wrk',
      ['-t', String(threads), '-c', String(conc), '-d', `${seconds}s`, '--timeout', timeout, '-s', path.join(LIB, 'requests.lua'), base],
      {
        env: { ...env, BENCH_REQUESTS: reqFile, BENCH_WRK_OUT: outFile, BENCH_CODES: codes ? '1' : '0', BENCH_RUN_ID: `${RUN_TAG}-${id}` },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => {
      fs.writeFileSync(path.join(WORK, `wrk-${id}.txt`), out);
      if (code !== 0 || !fs.existsSync(outFile)) {
        reject(new Error(`wrk exited ${code}: ${out.slice(0, 500)}`));
        return;
      }
      const w = JSON.parse(fs.readFileSync(outFile, 'utf8'));
      const e = w.errors;
      const errors = e.connect + e.read + e.write + e.timeout + e.status;
      const secs = w.durationUs / 1e6;
      resolve({
        n: w.requests,
        seconds: secs,
        p50: w.latencyUs.p50 / 1000,
        p95: w.latencyUs.p95 / 1000,
        p99: w.latencyUs.p99 / 1000,
        max: w.latencyUs.max / 1000,
        rps: (w.requests - e.status) / secs,
        errors,
        errorKinds: e,
        codes: w.codes,
        errorDetails: w.errorDetails,
      });
    });
  });
}

// ---------------------------------------------------------------------------- PostgreSQL

function psql(sql, db = PG.db) {
  const r = spawnSync(path.join(PG.bin, 'psql'), ['-h', PG.host, '-p', PG.port, '-U', PG.user, '-d', db, '-XAtq', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** Statements the app ran (pg_stat_statements), without the background readiness probe. */
function appStatements() {
  return Number(
    psql(
      `select coalesce(sum(s.calls), 0) from pg_stat_statements s join pg_roles r on r.oid = s.userid
       where r.rolname = '${PG.appRole}' and s.toplevel
         and s.query not in ('select 1', 'select $1') and s.query not ilike '%leaderboard%'`,
    ),
  );
}

async function statementsPer(n, fn) {
  const before = appStatements();
  await fn();
  return (appStatements() - before) / n;
}

/** pgbench -S (single-row read), or with write=true one single-row UPDATE per transaction. */
function pgbench(clients, seconds, write = false) {
  const prefix = path.join(WORK, `pgbench-${write ? 'w' : 'r'}${clients}`);
  let mode = ['-S'];
  if (write) {
    const script = path.join(WORK, 'update-one.sql');
    const rows = 100000 * num(env.BENCH_PGBENCH_SCALE, 10);
    fs.writeFileSync(script, `\\set aid random(1, ${rows})\nUPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = :aid;\n`);
    mode = ['-f', script];
  }
  const r = spawnSync(
    path.join(PG.bin, 'pgbench'),
    ['-h', PG.host, '-p', PG.port, '-U', PG.user, '-n', ...mode, '-M', 'prepared', '-c', String(clients), '-j', String(Math.min(2, clients)), '-T', String(seconds), '-l', `--log-prefix=${prefix}`, PG.benchDb],
    { encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`pgbench failed: ${r.stderr}`);
  const tps = Number((r.stdout.match(/tps = ([\d.]+) \(without initial connection time\)/) || [])[1]);
  const lat = [];
  for (const f of fs.readdirSync(WORK).filter((f) => f.startsWith(path.basename(prefix) + '.'))) {
    for (const line of fs.readFileSync(path.join(WORK, f), 'utf8').split('\n')) {
      const cols = line.split(' ');
      if (cols.length >= 3) lat.push(Number(cols[2]) / 1000);
    }
    fs.unlinkSync(path.join(WORK, f));
  }
  const s = summarize([{ lat, statuses: lat.map(() => 200), ms: seconds * 1000 }]);
  return { ...s, rps: tps };
}

// ---------------------------------------------------------------------------------- floors

async function floor(tool, conc, seconds = FLOOR_DURATION) {
  const key = `${tool}:${conc}`;
  if (results.floors[key]) return results.floors[key];
  let stats;
  if (tool === 'node') {
    const live = { url: `${MGMT}/q/health/live` };
    await driveRaw(Array(200).fill(live), conc);
    stats = await drive(Array(conc === 1 ? 1000 : 4000).fill(live), conc);
  } else if (tool === 'wrk') {
    stats = await wrk(MGMT, [{ path: '/q/health/live' }], conc, seconds);
  } else if (tool === 'pgbench') {
    stats = pgbench(conc, FLOOR_DURATION);
  } else if (tool === 'pgbench-w') {
    stats = pgbench(conc, FLOOR_DURATION, true);
  }
  const what = {
    pgbench: 'pgbench -S -M prepared: single-row read',
    'pgbench-w': 'pgbench -M prepared: single-row UPDATE, one commit each',
  }[tool] || 'GET /q/health/live (management port)';
  results.floors[key] = { tool, conc, what, ...stats };
  log(`floor ${key}: p50=${fmt(stats.p50)} p99=${fmt(stats.p99)} rps=${fmt(stats.rps)} err=${stats.errors}`);
  return results.floors[key];
}

async function measured(scenario, name, tool, conc, stats, seed = null, note = '') {
  await floor(tool === 'wrk' ? 'wrk' : 'node', conc);
  return addRun(scenario, name, tool, conc, stats, seed, note);
}

// --------------------------------------------------------------------------------- fixtures

const fx = {};

async function login(email) {
  const r = await call({ method: 'POST', url: `${API}/api/auth/login`, body: { email, password: PASSWORD } });
  return { email, id: r.user.id, token: r.token, role: r.user.role };
}

async function loginAll(emails, conc) {
  const out = new Array(emails.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: conc }, async () => {
      while (next < emails.length) {
        const i = next++;
        out[i] = await login(emails[i]);
      }
    }),
  );
  return out;
}

async function invalidate(cache) {
  await call({ method: 'POST', url: `${API}/api/admin/cache/invalidate`, token: fx.admin.token, body: { cache } });
}

async function setup() {
  const t0 = Date.now();
  fx.admin = await login('admin@demo.campus');
  const emails = [
    ...Array.from({ length: N_MENTORS }, (_, i) => `mentor${i + 1}@demo.campus`),
    ...Array.from({ length: N_STUDENTS }, (_, i) => `student${i + 1}@demo.campus`),
  ];
  const started = Date.now();
  const accounts = await loginAll(emails, 4);
  results.meta.loginSetup = { logins: emails.length + 1, concurrency: 4, seconds: (Date.now() - started) / 1000 };
  fx.mentors = accounts.filter((a) => a.role === 'MENTOR');
  fx.students = accounts.filter((a) => a.role === 'STUDENT');

  // Catalogue: every published course, through the public browse endpoint.
  fx.courses = [];
  let cursor = null;
  do {
    const page = await call({ url: `${API}/api/courses?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}` });
    fx.courses.push(...page.items);
    cursor = page.next;
  } while (cursor);

  // Each mentor's own students (for assessments) and each student's enrolled courses.
  for (const m of fx.mentors) {
    const page = await call({ url: `${API}/api/mentors/${m.id}/students?limit=100`, token: m.token });
    m.studentIds = page.items.map((s) => s.id);
  }
  for (const s of fx.students) {
    const page = await call({ url: `${API}/api/enrollments?limit=100`, token: s.token });
    s.courseIds = page.items.map((e) => e.course.id);
  }

  // Lessons not yet completed by the logged-in students (the API has no such listing).
  const ids = fx.students.map((s) => s.id).join(',');
  const rows = psql(
    `select e.user_id, l.id from enrollments e join lessons l on l.course_id = e.course_id
     left join lesson_progress p on p.user_id = e.user_id and p.lesson_id = l.id
     where e.user_id in (${ids}) and p.user_id is null order by l.position, e.user_id, l.id`,
  );
  const byId = new Map(fx.students.map((s) => [String(s.id), s]));
  fx.lessonPairs = rows
    ? rows.split('\n').map((line) => {
        const [user, lesson] = line.split('|');
        return { token: byId.get(user).token, lessonId: Number(lesson) };
      })
    : [];
  // Interleave users so consecutive completions belong to different students.
  fx.lessonPairs.sort((a, b) => (a.lessonId % 997) - (b.lessonId % 997));
  results.meta.fixtures = {
    mentors: fx.mentors.length,
    students: fx.students.length,
    courses: fx.courses.length,
    openLessons: fx.lessonPairs.length,
    setupSeconds: (Date.now() - t0) / 1000,
  };
  log('fixtures', JSON.stringify(results.meta.fixtures));
}

// Request lists shared by several scenarios.
const browseVariants = () => {
  const cats = [...new Set(fx.courses.map((c) => c.category))];
  const levels = ['BEGINNER', 'INTERMEDIATE', 'ADVANCED'];
  const v = ['', '?sort=title'];
  for (const c of cats) v.push(`?category=${c}`, `?category=${c}&sort=title`);
  for (const l of levels) v.push(`?level=${l}`);
  for (const c of cats) for (const l of levels) v.push(`?category=${c}&level=${l}`);
  return v.map((q) => `/api/courses${q}`);
};
const SEARCH_TERMS = ['java', 'postgresql', 'kubernetes', 'design', 'data science', 'security', 'frontend', 'product management', 'fundamentals', 'workshop', 'deep dive', 'essentials', 'practice', 'exercises', 'final project', 'java practice', 'kubernetes workshop', 'secure', 'learners', 'step'];
const searchPaths = () => SEARCH_TERMS.map((t) => `/api/courses/search?q=${encodeURIComponent(t)}`);
const detailPaths = () => fx.courses.map((c) => `/api/courses/${c.slug}`);
const eligibilityReqs = () =>
  fx.students.flatMap((s) => s.courseIds.slice(0, 5).map((c) => ({ path: `/api/certificates/eligibility?courseId=${c}`, token: s.token })));
const toUrl = (base) => (r) => ({ ...r, url: `${base}${r.path}` });
const repeat = (list, n) => Array.from({ length: n }, (_, i) => list[i % list.length]);

// --------------------------------------------------------------------------------- scenarios

async function warmup() {
  // JIT warm-up over every read path, so the first scenario is not measuring the compiler.
  const s0 = fx.students[0];
  const reqs = [
    ...browseVariants().map((p) => ({ path: p })),
    ...searchPaths().map((p) => ({ path: p })),
    ...detailPaths().map((p) => ({ path: p })),
    ...fx.students.map((s) => ({ path: '/api/dashboard', token: s.token })),
    ...fx.students.map((s) => ({ path: '/api/auth/me', token: s.token })),
    ...fx.mentors.map((m) => ({ path: `/api/mentors/${m.id}/students`, token: m.token })),
    ...eligibilityReqs(),
    { path: '/api/leaderboard', token: s0.token },
    { path: '/api/activity', token: s0.token },
    { path: '/api/enrollments', token: s0.token },
  ];
  await driveRaw(reqs.map(toUrl(API)), 4);
  await wrk(API, reqs, 16, num(env.BENCH_WARMUP_SECONDS, 8));
  await driveRaw(Array(500).fill({ url: `${MGMT}/q/health/live` }), 4);
  await wrk(MGMT, [{ path: '/q/health/ready' }, { path: '/q/health/live' }], 16, 2);
}

async function scenarioProbe() {
  const ready = { path: '/q/health/ready' };
  await measured('probe', 'readiness GET /q/health/ready', 'node', 1, await drive(repeat([ready], 1000).map(toUrl(MGMT)), 1), SEED.health);
  await measured('probe', 'readiness under load', 'wrk', CONC, await wrk(MGMT, [ready], CONC, DURATION), SEED.health);
}

async function scenarioAuth() {
  const base = 2000;
  const one = Array.from({ length: 20 }, (_, i) => ({ method: 'POST', url: `${API}/api/auth/login`, body: { email: `student${base + i}@demo.campus`, password: PASSWORD } }));
  await measured('auth', 'login (bcrypt cost 10)', 'node', 1, await drive(one, 1), SEED.auth);
  const many = Array.from({ length: 80 }, (_, i) => ({ method: 'POST', url: `${API}/api/auth/login`, body: { email: `student${base + 100 + i}@demo.campus`, password: PASSWORD } }));
  await measured('auth', 'login (bcrypt cost 10)', 'node', 4, await drive(many, 4), SEED.auth);
  const me = fx.students.map((s) => ({ path: '/api/auth/me', token: s.token }));
  await measured('auth', 'GET /api/auth/me (token)', 'node', 1, await drive(repeat(me, 1000).map(toUrl(API)), 1), SEED.auth);
  await measured('auth', 'GET /api/auth/me (token)', 'wrk', CONC, await wrk(API, me, CONC, DURATION), SEED.auth);
}

/** Cold rounds: invalidate the cache, then send requests for distinct keys. */
async function coldRounds(cache, specs, conc, rounds) {
  const parts = [];
  for (let r = 0; r < rounds; r++) {
    await invalidate(cache);
    parts.push(await driveRaw(specs, conc));
  }
  return summarize(parts);
}

async function scenarioBrowse() {
  const reqs = browseVariants().map((p) => ({ path: p }));
  const cold1 = await coldRounds('course-page', reqs.map(toUrl(API)), 1, 3);
  await measured('catalogue', 'browse GET /api/courses, cold', 'node', 1, cold1, SEED.browse, `${reqs.length} filter/sort variants, course-page cache invalidated before each pass`);
  const distinct = reqs.flatMap((r) => Array.from({ length: 100 }, (_, i) => ({ path: `${r.path}${r.path.includes('?') ? '&' : '?'}limit=${i + 1}` })));
  await measured('catalogue', 'browse GET /api/courses, cold', 'node', COLD_CONC, await coldRounds('course-page', distinct.map(toUrl(API)), COLD_CONC, 1), SEED.browse, `${distinct.length} distinct (filter, limit) keys after one invalidation`);
  await driveRaw(reqs.map(toUrl(API)), 4);
  const warm1 = await drive(repeat(reqs, 1000).map(toUrl(API)), 1);
  await measured('catalogue', 'browse GET /api/courses, warm', 'node', 1, warm1, SEED.browse);
  await measured('catalogue', 'browse GET /api/courses, warm', 'wrk', CONC, await wrk(API, reqs, CONC, DURATION), SEED.browse);
  coldWarm('catalogue', 'browse', cold1, warm1);
}

async function scenarioSearch() {
  // Search pages share the course-page cache with browse: cold passes invalidate it first.
  const reqs = searchPaths().map((p) => ({ path: p }));
  const cold1 = await coldRounds('course-page', reqs.map(toUrl(API)), 1, 5);
  await measured('catalogue', 'search GET /api/courses/search?q=, cold', 'node', 1, cold1, SEED.search, `${reqs.length} queries, course-page cache invalidated before each pass`);
  // Distinct page sizes make distinct cache keys: every request of the round is a miss.
  const distinct = SEARCH_TERMS.flatMap((t) => Array.from({ length: 100 }, (_, i) => ({ path: `/api/courses/search?q=${encodeURIComponent(t)}&limit=${i + 1}` })));
  await measured('catalogue', 'search GET /api/courses/search?q=, cold', 'node', COLD_CONC, await coldRounds('course-page', distinct.map(toUrl(API)), COLD_CONC, 1), SEED.search, `${distinct.length} distinct (query, limit) keys after one invalidation`);
  await driveRaw(reqs.map(toUrl(API)), 4);
  const warm1 = await drive(repeat(reqs, 1000).map(toUrl(API)), 1);
  await measured('catalogue', 'search GET /api/courses/search?q=, warm', 'node', 1, warm1, SEED.search);
  await measured('catalogue', 'search GET /api/courses/search?q=, warm', 'wrk', CONC, await wrk(API, reqs, CONC, DURATION), SEED.search);
  coldWarm('catalogue', 'search', cold1, warm1);
}

async function scenarioDetail(group = 'catalogue') {
  const reqs = detailPaths().map((p) => ({ path: p }));
  const cold1 = await coldRounds('course-detail', reqs.map(toUrl(API)), 1, 2);
  await measured(group, 'course detail, cold', 'node', 1, cold1, null, `${reqs.length} courses, course-detail cache invalidated before each pass`);
  const coldN = await coldRounds('course-detail', reqs.map(toUrl(API)), COLD_CONC, 4);
  await measured(group, 'course detail, cold', 'node', COLD_CONC, coldN);
  await driveRaw(reqs.map(toUrl(API)), 4);
  const warm1 = await drive(repeat(reqs, 1000).map(toUrl(API)), 1);
  await measured(group, 'course detail, warm', 'node', 1, warm1);
  await measured(group, 'course detail, warm', 'node', COLD_CONC, await drive(repeat(reqs, 4000).map(toUrl(API)), COLD_CONC));
  await measured(group, 'course detail, warm', 'wrk', CONC, await wrk(API, reqs, CONC, DURATION));
  coldWarm(group, 'course detail', cold1, warm1);
}

function coldWarm(scenario, what, cold, warm) {
  addFigure(scenario, `${what}: cold p50 ÷ warm p50 (c=1)`, cold.p50 / warm.p50, '×', null, `cold ${fmt(cold.p50)} ms, warm ${fmt(warm.p50)} ms`);
}

async function scenarioDashboard() {
  const reqs = fx.students.map((s) => ({ path: '/api/dashboard', token: s.token }));
  let cold1;
  const perCold = await statementsPer(reqs.length * 2, async () => {
    cold1 = await coldRounds('dashboard', reqs.map(toUrl(API)), 1, 2);
  });
  await measured('dashboard', 'GET /api/dashboard, cold', 'node', 1, cold1, SEED.dashboard, `${reqs.length} students, dashboard cache invalidated before each pass`);
  await measured('dashboard', 'GET /api/dashboard, cold', 'node', COLD_CONC, await coldRounds('dashboard', reqs.map(toUrl(API)), COLD_CONC, 5), SEED.dashboard);
  await driveRaw(reqs.map(toUrl(API)), 4);
  const warm1 = await drive(repeat(reqs, 1000).map(toUrl(API)), 1);
  await measured('dashboard', 'GET /api/dashboard, warm', 'node', 1, warm1, SEED.dashboard);
  await measured('dashboard', 'GET /api/dashboard, warm', 'node', COLD_CONC, await drive(repeat(reqs, 4000).map(toUrl(API)), COLD_CONC), SEED.dashboard);
  await measured('dashboard', 'GET /api/dashboard, warm', 'wrk', CONC, await wrk(API, reqs, CONC, DURATION), SEED.dashboard);
  addFigure('dashboard', 'SQL statements per cold dashboard', perCold, 'statements', null, 'pg_stat_statements, app role, background probe excluded');
  coldWarm('dashboard', 'dashboard', cold1, warm1);
}

async function scenarioMentor() {
  const own = fx.mentors.map((m) => ({ path: `/api/mentors/${m.id}/students`, token: m.token }));
  let cold1;
  const perCold = await statementsPer(own.length * 3, async () => {
    cold1 = await coldRounds('mentor-students', own.map(toUrl(API)), 1, 3);
  });
  await measured('mentor', 'GET /api/mentors/{id}/students, cold', 'node', 1, cold1, SEED.mentor, `${own.length} mentors (~19 students each), mentor-students cache invalidated before each pass`);
  // Distinct page sizes make distinct cache keys: every request of the round is a miss.
  const distinct = fx.mentors.flatMap((m) => Array.from({ length: 80 }, (_, i) => ({ path: `/api/mentors/${m.id}/students?limit=${21 + i}`, token: m.token })));
  await measured('mentor', 'GET /api/mentors/{id}/students, cold', 'node', COLD_CONC, await coldRounds('mentor-students', distinct.map(toUrl(API)), COLD_CONC, 1), SEED.mentor, `${distinct.length} distinct (mentor, limit) keys after one invalidation`);
  await driveRaw(own.map(toUrl(API)), 4);
  const warm1 = await drive(repeat(own, 1000).map(toUrl(API)), 1);
  await measured('mentor', 'GET /api/mentors/{id}/students, warm', 'node', 1, warm1, SEED.mentor);
  await measured('mentor', 'GET /api/mentors/{id}/students, warm', 'node', COLD_CONC, await drive(repeat(own, 4000).map(toUrl(API)), COLD_CONC), SEED.mentor);
  await measured('mentor', 'GET /api/mentors/{id}/students, warm', 'wrk', CONC, await wrk(API, own, CONC, DURATION), SEED.mentor);
  addFigure('mentor', 'SQL statements per cold mentor list', perCold, 'statements', { text: '1-2 after (3-4 before)', value: 1 }, 'pg_stat_statements, app role');
  coldWarm('mentor', 'mentor list', cold1, warm1);
}

async function scenarioEligibility() {
  const reqs = eligibilityReqs();
  let one;
  const per = await statementsPer(400, async () => {
    one = await drive(repeat(reqs, 400).map(toUrl(API)), 1);
  });
  await measured('eligibility', 'GET /api/certificates/eligibility (not cached)', 'node', 1, one, SEED.eligibility, `${reqs.length} (student, enrolled course) pairs`);
  await measured('eligibility', 'GET /api/certificates/eligibility (not cached)', 'wrk', CONC, await wrk(API, reqs, CONC, DURATION), SEED.eligibility);
  addFigure('eligibility', 'SQL statements per eligibility check', per, 'statements');
}

async function scenarioCompletion() {
  const pairs = fx.lessonPairs;
  const spec = (p) => ({ method: 'POST', url: `${API}/api/lessons/${p.lessonId}/complete`, token: p.token });
  const n1 = Math.min(200, Math.floor(pairs.length / 4));
  let one;
  const per = await statementsPer(n1, async () => {
    one = await drive(pairs.slice(0, n1).map(spec), 1);
  });
  await measured('completion', 'POST /api/lessons/{id}/complete (new lesson each)', 'node', 1, { ...one, write: true }, null, `${n1} distinct (student, lesson) pairs`);
  const rest = pairs.slice(n1, n1 + 3000);
  await measured('completion', 'POST /api/lessons/{id}/complete (new lesson each)', 'node', COLD_CONC, { ...(await drive(rest.map(spec), COLD_CONC)), write: true }, null, `${rest.length} distinct pairs`);
  addFigure('completion', 'SQL statements per lesson completion', per, 'statements');
}

/** Each logged-in student reads lessons of the courses they are enrolled in. */
function lessonReads() {
  const courses = new Map(fx.courses.map((c) => [c.id, c]));
  return fx.students.flatMap((s) =>
    s.courseIds
      .filter((id) => courses.has(id) && courses.get(id).lessonCount > 0)
      .slice(0, 5)
      .map((id) => {
        const c = courses.get(id);
        return { path: `/api/courses/${c.slug}/lessons/${1 + ((s.id + id) % c.lessonCount)}`, token: s.token };
      }),
  );
}

async function scenarioLesson() {
  const reads = lessonReads();
  if (reads.length === 0) throw new Error('no enrolled lesson to read');
  // Cold: one request per distinct (course, position) key after invalidating the lesson cache, so
  // each loads the content; the reader's own statement (progress, last opened) runs every time.
  const seen = new Set();
  const distinct = reads.filter((r) => (seen.has(r.path) ? false : seen.add(r.path)));
  let cold1;
  const perCold = await statementsPer(distinct.length, async () => {
    cold1 = await coldRounds('lesson', distinct.map(toUrl(API)), 1, 1);
  });
  await measured('lesson', 'GET /api/courses/{slug}/lessons/{n} (enrolled), cold', 'node', 1, { ...cold1, write: true }, null, `${distinct.length} distinct lessons, lesson cache invalidated first`);
  await measured('lesson', 'GET /api/courses/{slug}/lessons/{n} (enrolled), cold', 'node', COLD_CONC, { ...(await coldRounds('lesson', distinct.map(toUrl(API)), COLD_CONC, 2)), write: true });
  await driveRaw(reads.map(toUrl(API)), 4);
  let warm1;
  const perWarm = await statementsPer(1000, async () => {
    warm1 = await drive(repeat(reads, 1000).map(toUrl(API)), 1);
  });
  await measured('lesson', 'GET /api/courses/{slug}/lessons/{n} (enrolled), warm', 'node', 1, { ...warm1, write: true }, null, `${reads.length} (student, lesson) pairs; content cached, the reader's statement runs`);
  await measured('lesson', 'GET /api/courses/{slug}/lessons/{n} (enrolled), warm', 'wrk', CONC, { ...(await wrk(API, reads, CONC, DURATION)), write: true });
  addFigure('lesson', 'SQL statements per cold lesson read', perCold, 'statements', null, 'content + the reader\'s progress statement');
  addFigure('lesson', 'SQL statements per warm lesson read', perWarm, 'statements', null, 'the reader\'s progress statement only');
  coldWarm('lesson', 'lesson read', cold1, warm1);
}

async function scenarioAnalytics() {
  // The admin sees every course's analytics; the course itself comes from the course-detail cache.
  const reqs = fx.courses.map((c) => ({ path: `/api/courses/${c.slug}/analytics`, token: fx.admin.token }));
  let cold1;
  const perCold = await statementsPer(reqs.length * 2, async () => {
    cold1 = await coldRounds('course-analytics', reqs.map(toUrl(API)), 1, 2);
  });
  // The 20 ms p99 target is for warm requests; cold ones are reported against the floors only.
  await measured('analytics', 'GET /api/courses/{slug}/analytics, cold', 'node', 1, cold1, null, `${reqs.length} courses, course-analytics cache invalidated before each pass`);
  await measured('analytics', 'GET /api/courses/{slug}/analytics, cold', 'node', COLD_CONC, await coldRounds('course-analytics', reqs.map(toUrl(API)), COLD_CONC, 3));
  await driveRaw(reqs.map(toUrl(API)), 4);
  const warm1 = await drive(repeat(reqs, 1000).map(toUrl(API)), 1);
  await measured('analytics', 'GET /api/courses/{slug}/analytics, warm', 'node', 1, warm1, SEED.analytics);
  await measured('analytics', 'GET /api/courses/{slug}/analytics, warm', 'wrk', CONC, await wrk(API, reqs, CONC, DURATION), SEED.analytics);
  addFigure('analytics', 'SQL statements per cold analytics', perCold, 'statements', { text: 'at most 2', value: 2 }, 'pg_stat_statements, app role');
  coldWarm('analytics', 'analytics', cold1, warm1);
}

async function scenarioAssessments() {
  const mentor = fx.mentors.find((m) => m.studentIds.length > 0);
  if (!mentor) throw new Error('no mentor with students');
  // No courseId: an assessment against a course needs the student enrolled in it, which the
  // demo data does not arrange for a mentor's students; the rules cost the same statement either way.
  let seq = 0;
  const item = () => {
    const i = seq++;
    return {
      studentId: mentor.studentIds[i % mentor.studentIds.length],
      skill: `bench ${RUN_TAG} skill ${i}`,
      score: i % 101,
      feedback: 'Benchmark assessment',
    };
  };
  const bulk = (size) => ({ method: 'POST', url: `${API}/api/assessments/bulk`, token: mentor.token, body: { items: Array.from({ length: size }, item) } });
  const single = () => ({ method: 'POST', url: `${API}/api/assessments`, token: mentor.token, body: item() });
  const expectCreated = (s, label) => {
    if (s.errors > 0) throw new Error(`${label}: ${s.errors} errors ${JSON.stringify(s.codes)}`);
  };
  // The write path gets no traffic in the JIT warm-up: compile it before anything is timed.
  await driveRaw([...Array.from({ length: 100 }, () => bulk(1)), ...Array.from({ length: 100 }, single), ...Array.from({ length: 10 }, () => bulk(100)), bulk(1000)], 1);
  // Interleaved rounds, so every kind of submission sees the same conditions on a shared machine.
  const raw = { b1: [], b100: [], b1000: [], single: [], paired: [] };
  const rounds = [];
  for (let r = 0; r < 5; r++) {
    // A 1-item bulk and a single request alternate: any difference is the endpoint's own.
    const pairs = await driveRaw(Array.from({ length: 40 }, (_, i) => (i % 2 ? single() : bulk(1))), 1);
    const half = (odd) => ({ lat: pairs.lat.filter((_, i) => i % 2 === odd), statuses: pairs.statuses.filter((_, i) => i % 2 === odd), ms: pairs.ms / 2 });
    raw.b1.push(half(0));
    raw.paired.push(half(1));
    raw.b100.push(await driveRaw(Array.from({ length: 4 }, () => bulk(100)), 1));
    const s = await driveRaw(Array.from({ length: 100 }, single), 1);
    raw.single.push(s);
    rounds.push(s.ms);
    raw.b1000.push(await driveRaw(Array.from({ length: 2 }, () => bulk(1000)), 1));
  }
  const [b1, b100, b1000, singleReqs, paired] = [raw.b1, raw.b100, raw.b1000, raw.single, raw.paired].map(summarize);
  for (const [label, st] of [['bulk 1', b1], ['bulk 100', b100], ['bulk 1000', b1000], ['single', singleReqs]]) expectCreated(st, label);
  const singles = summarize([{ lat: rounds, statuses: rounds.map(() => 201), ms: rounds.reduce((a, b) => a + b, 0) }]);
  const perBulk = await statementsPer(5, () => driveRaw(Array.from({ length: 5 }, () => bulk(100)), 1));
  const perSingles = await statementsPer(1, () => driveRaw(Array.from({ length: 100 }, single), 1));

  const w = { write: true };
  await measured('assessments', 'POST /api/assessments/bulk, 1 item', 'node', 1, { ...b1, ...w }, null, 'alternating with single requests');
  await measured('assessments', 'POST /api/assessments (single)', 'node', 1, { ...paired, ...w }, null, 'alternating with 1-item bulks');
  await measured('assessments', 'POST /api/assessments/bulk, 100 items', 'node', 1, { ...b100, ...w }, SEED.bulk100);
  await measured('assessments', 'POST /api/assessments/bulk, 1000 items', 'node', 1, { ...b1000, ...w });
  await measured('assessments', 'POST /api/assessments (single), 5 × 100 in a row', 'node', 1, { ...singleReqs, ...w }, null, 'per request');
  const per100 = (s, size) => (s.p50 * 100) / size;
  addFigure('assessments', 'time per 100 items, bulk of 1', per100(b1, 1), 'ms', SEED.bulk100, 'p50 of a 1-item bulk × 100');
  addFigure('assessments', 'time per 100 items, bulk of 100', per100(b100, 100), 'ms', SEED.bulk100);
  addFigure('assessments', 'time per 100 items, bulk of 1000', per100(b1000, 1000), 'ms', SEED.bulk100, 'p50 of a 1000-item bulk ÷ 10');
  addFigure('assessments', 'time per 100 items, 100 singles', singles.p50, 'ms', SEED.bulk100, `median of ${rounds.length} rounds of 100 sequential requests`);
  addFigure('assessments', '100 singles ÷ one bulk of 100', singles.p50 / b100.p50, '×');
  addFigure('assessments', '1-item bulk ÷ single request (p50, alternating)', b1.p50 / paired.p50, '×');
  addFigure('assessments', 'SQL statements per bulk of 100', perBulk, 'statements', SEED.statements, 'pg_stat_statements, app role');
  addFigure('assessments', 'SQL statements per 100 singles', perSingles, 'statements', SEED.statements);
}

function mixedRequests() {
  const pick = (list, i) => list[i % list.length];
  const browse = browseVariants();
  const search = searchPaths();
  const detail = detailPaths();
  const elig = eligibilityReqs();
  const mentorsWithStudents = fx.mentors.filter((m) => m.studentIds.length);
  // Weights in percent: mostly reads, 5% writes.
  const mix = [
    [20, (i) => ({ path: pick(browse, i) })],
    [5, (i) => ({ path: pick(search, i) })],
    [15, (i) => ({ path: pick(detail, i) })],
    [15, (i) => ({ path: '/api/dashboard', token: pick(fx.students, i).token })],
    [10, (i) => ({ path: '/api/auth/me', token: pick(fx.students, i).token })],
    [8, (i) => ({ path: '/api/enrollments', token: pick(fx.students, i).token })],
    [5, (i) => pick(elig, i)],
    [5, (i) => {
      const m = pick(fx.mentors, i);
      return { path: `/api/mentors/${m.id}/students`, token: m.token };
    }],
    [5, (i) => ({ path: '/api/leaderboard', token: pick(fx.students, i).token })],
    [7, (i) => ({ path: '/api/activity', token: pick(fx.students, i).token })],
    [3, () => ({ completion: true })], // filled in below
    [2, (i) => {
      const m = pick(mentorsWithStudents, i);
      return {
        method: 'POST',
        path: '/api/assessments',
        token: m.token,
        body: `{"studentId":${pick(m.studentIds, i)},"skill":"mixed ${RUN_TAG} {{SEQ}}","score":${i % 101}}`,
      };
    }],
  ];
  const list = [];
  for (let i = 0; i < 2000; i++) {
    let r = (i * 37) % 100;
    for (const [w, make] of mix) {
      if (r < w) {
        list.push(make(i));
        break;
      }
      r -= w;
    }
  }
  // A slot and the one half the list later fall in the same band of the mix, so the completion
  // slots split evenly between the halves.
  const slots = list.flatMap((r, i) => (r.completion ? [i] : []));
  const pairs = Array.from({ length: slots.length / 2 }, (_, j) => pick(fx.lessonPairs, j));
  slots.forEach((pos, k) => (list[pos] = completeOrUndo(pairs, k)));
  return list;
}

/**
 * Slot k of a list of 2 × pairs.length completion requests. A repeated completion writes nothing,
 * so each pair is completed in the list's first half and undone in its second, the undos shifted
 * by half the pairs: wrk's threads start half the list apart, so every request finds its pair in
 * the state it changes (a write) unless the threads drift apart by more than half the list.
 */
function completeOrUndo(pairs, k) {
  const n = pairs.length;
  const undo = k >= n;
  const p = pairs[undo ? (k - n + (n >> 1)) % n : k];
  return { method: undo ? 'DELETE' : 'POST', path: `/api/lessons/${p.lessonId}/complete`, token: p.token };
}

async function scenarioMixed() {
  const reqs = mixedRequests();
  const before = await scrapeCache();
  results.mixedLevels = [];
  // Recovery: a cached read before the levels and again after the heaviest, in successive
  // windows, so the figures show whether throughput comes back and how soon.
  // The baseline is the median of three windows after a warm-up of three: this scenario comes
  // first, and a cached read is still being compiled during its first seconds.
  const probe = detailPaths().map((p) => ({ path: p }));
  for (let i = 0; i < RECOVERY_WARMUP; i++) await wrk(API, probe, CONC, RECOVERY_WINDOW);
  const baseline = { rps: median(await windowsOf(probe, 3)) };
  for (const c of MIXED_LEVELS) {
    // Floor first and as long: at thousands of connections setting them up takes seconds.
    if (c !== CONC) await floor('wrk', c, DURATION);
    const levelStart = await scrapeCache();
    const logStart = appLogErrors().total;
    // wrk reports one latency for answers and fast refusals together; at the heaviest level a
    // light open-loop probe (PROBE_RATE/s, started once wrk's connections are up) samples the
    // latency of successful answers under the same load.
    const heaviest = c === HEAVIEST_LEVEL && c > SERVED_LEVEL && DURATION > 4;
    const [s, sampled] = await Promise.all([
      wrk(API, reqs, c, DURATION, { codes: true }),
      heaviest ? delay(2000).then(() => openLoop(API, reqs, PROBE_RATE, DURATION - 4)) : null,
    ]);
    if (sampled) {
      addRun(
        'mixed',
        `successful answers, mix of 12 endpoints, ${c} connections`,
        'vertx',
        c,
        { ...sampled.ok, seconds: sampled.seconds, rps: sampled.rps, errors: sampled.errors, codes: sampled.codes },
        null,
        `target p99 ≤ 250 ms; ${PROBE_RATE} probe requests/s beside wrk's ${c} connections, percentiles of the ${sampled.ok.n} ` +
          `answered below 400 (all ${sampled.n}: p99 ${fmt(sampled.p99)} ms); ${sampled.codes?.['503'] || 0} 503s, ` +
          `${sampled.unavailableWithoutRetryAfter} without Retry-After`,
      );
    }
    const ready = (await send({ url: `${MGMT}/q/health/ready` })).status;
    const redisErrors = ((await scrapeCache())['#redisErrors'] || 0) - (levelStart['#redisErrors'] || 0);
    const logErrors = appLogErrors().total - logStart;
    results.mixedLevels.push({ connections: c, redisErrors, appLogErrors: logErrors, readinessAfter: ready });
    const unavailable = s.codes?.['503'] || 0;
    const bare = s.codes?.['503 without Retry-After'] || 0;
    const note = [
      ...Object.entries(s.errorDetails || {}).map(([k, v]) => `${v}× ${k}`),
      unavailable ? `${unavailable - bare} of the ${unavailable} 503s with Retry-After` : '',
    ].filter(Boolean).join('; ');
    const kinds = Object.entries(s.errorKinds || {}).filter(([k, v]) => k !== 'status' && v > 0).map(([k, v]) => `${v} ${k}`).join(', ');
    const app = `app: ${redisErrors} Redis errors, ${logErrors} ERROR log lines, readiness ${ready} just after`;
    addRun('mixed', `mix of 12 endpoints, ${c} connections`, 'wrk', c, s, SEED.p95, [note, kinds, app].filter(Boolean).join('; '));
    // Hit rates are read over the levels the app serves without shedding load: past that, failed
    // loads and an open Redis breaker say more about overload than about the cache.
    if (c <= SERVED_LEVEL) results.mixedCache = diffCache(before, await scrapeCache());
  }
  const windows = await windowsOf(probe, RECOVERY_WINDOWS);
  const ratios = windows.map((rps) => ratio(rps, baseline.rps) ?? 0);
  const after = ratios.map(fmtRatio).join(', ');
  const back = ratios.findIndex((r) => r >= 0.95);
  addFigure(
    'mixed',
    `cached detail after the heaviest level ÷ before, first ${RECOVERY_WINDOW} s`,
    ratios[0],
    '×',
    null,
    `target ≥ 0.95; before ${fmt(baseline.rps)} req/s at c=${CONC} (median of 3 windows); successive ${RECOVERY_WINDOW} s windows after: ${after}`,
  );
  addFigure(
    'mixed',
    'seconds after the heaviest level until the cached detail is back to ≥ 0.95× before',
    back < 0 ? null : back * RECOVERY_WINDOW,
    's',
    null,
    back < 0 ? `not back within ${RECOVERY_WINDOWS * RECOVERY_WINDOW} s` : `start of the first ${RECOVERY_WINDOW} s window at ≥ 0.95×`,
  );
}

/** Req/s of successive wrk windows of the cached read. */
async function windowsOf(requests, n) {
  const out = [];
  for (let i = 0; i < n; i++) out.push((await wrk(API, requests, CONC, RECOVERY_WINDOW)).rps);
  return out;
}

/** ERROR lines in the app's log so far, by message (numbers masked), to spot trouble under load. */
function appLogErrors() {
  const out = { total: 0, kinds: {} };
  if (!env.BENCH_APP_LOG || !fs.existsSync(env.BENCH_APP_LOG)) return out;
  for (const line of fs.readFileSync(env.BENCH_APP_LOG, 'utf8').split('\n')) {
    const m = line.match(/ (ERROR|WARN) +\[([^\]]*)\] \([^)]*\) (.*)$/);
    if (!m) continue;
    if (m[1] === 'ERROR') out.total++;
    const key = `${m[1]} [${m[2]}] ${m[3].slice(0, 160).replace(/\d+/g, 'N')}`;
    out.kinds[key] = (out.kinds[key] || 0) + 1;
  }
  return out;
}

/**
 * The job runs over every user with stats; the demo set has about 10k of them. Users are added
 * (straight into the database, with stats spread like real ones) until there are BENCH_JOB_USERS,
 * 100k by default. It runs after every other scenario so their figures keep the 10k data set.
 */
function topUpJobUsers() {
  const target = num(env.BENCH_JOB_USERS, 100000);
  const have = Number(psql('select count(*) from user_stats'));
  const add = Math.max(0, target - have);
  if (add > 0) {
    const t0 = Date.now();
    psql(`with u as (
        insert into users (email, display_name, role, password_hash)
        select 'bench-job-' || g || '@bench.campus', 'Bench job user ' || g, 'STUDENT',
               (select password_hash from users order by id limit 1)
        from generate_series(1, ${add}) g
        returning id)
      insert into user_stats (user_id, points, lessons_completed, courses_completed, enrollments,
                              assessments_received, current_streak, longest_streak, last_active_on)
      select id, (random() * 2000)::int, (random() * 120)::int, (random() * 6)::int,
             (random() * 10)::int, (random() * 15)::int, s, s + (random() * 10)::int,
             current_date - (random() * 30)::int
      from u, lateral (select (random() * 20)::int as s) st;
      analyze users; analyze user_stats;`);
    log(`job: added ${add} users with stats in ${Date.now() - t0} ms (now ${target})`);
  }
  return have + add;
}

async function scenarioJob() {
  const users = topUpJobUsers();
  const start = await send({ method: 'POST', url: `${API}/api/admin/jobs/achievements-recalculation/runs`, token: fx.admin.token });
  if (start.status === 404 || start.status === 405) {
    results.skipped.push({ scenario: 'job', reason: `POST /api/admin/jobs/achievements-recalculation/runs answered ${start.status}: the app does not expose the achievement recalculation job yet` });
    log('job: skipped, endpoint answered', start.status);
    return;
  }
  if (start.status !== 202) throw new Error(`job start -> ${start.status}: ${start.text.slice(0, 300)}`);
  const run = JSON.parse(start.text);
  const id = run.id ?? run.runId;
  const t0 = Date.now();
  let state;
  while (Date.now() - t0 < num(env.BENCH_JOB_TIMEOUT_SECONDS, 300) * 1000) {
    await new Promise((r) => setTimeout(r, 500));
    state = await call({ url: `${API}/api/admin/jobs/runs/${id}`, token: fx.admin.token });
    if (state.finishedAt) break;
  }
  if (!state || !state.finishedAt) {
    results.skipped.push({ scenario: 'job', reason: `run ${id} did not finish within the time limit (last state ${JSON.stringify(state)})` });
    return;
  }
  const seconds = (Date.parse(state.finishedAt) - Date.parse(state.startedAt)) / 1000;
  addFigure('job', `achievement recalculation over ${users} users: duration`, seconds, 's', null, `status ${state.status}, processed ${state.processed}, failed batches ${state.failedBatches}`);
  addFigure('job', 'achievement recalculation: time per 1000 users', (seconds * 1000) / Math.max(1, state.processed), 's', SEED.job);
  addFigure('job', 'achievement recalculation: users per second', state.processed / Math.max(0.001, seconds), 'users/s');
}

async function scrapeCache() {
  const r = await send({ url: `${MGMT}/q/metrics`, accept: 'text/plain' });
  if (r.status !== 200) throw new Error(`/q/metrics -> ${r.status}`);
  const out = {};
  const get = (cache) => (out[cache] ||= { l1hit: 0, l1miss: 0, l2hit: 0, l2miss: 0, loads: 0, loadSeconds: 0 });
  for (const line of r.text.split('\n')) {
    const m = line.match(/^(campus_cache_\w+)\{([^}]*)\}\s+([\d.eE+-]+)/) || line.match(/^(campus_cache_\w+)()\s+([\d.eE+-]+)/);
    if (!m) continue;
    const tags = Object.fromEntries([...m[2].matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    const v = Number(m[3]);
    if (m[1] === 'campus_cache_gets_total') get(tags.cache)[`${tags.layer}${tags.result}`] += v;
    else if (m[1] === 'campus_cache_loads_seconds_count') get(tags.cache).loads += v;
    else if (m[1] === 'campus_cache_loads_seconds_sum') get(tags.cache).loadSeconds += v;
    else if (m[1] === 'campus_cache_redis_errors_total') out['#redisErrors'] = v;
    else if (m[1] === 'campus_cache_redis_breaker_open') out['#breakerOpen'] = v;
  }
  return out;
}

function diffCache(a, b) {
  const out = {};
  for (const [k, v] of Object.entries(b)) {
    if (k.startsWith('#')) {
      out[k] = k === '#breakerOpen' ? v : v - (a[k] || 0);
      continue;
    }
    const p = a[k] || {};
    out[k] = Object.fromEntries(Object.keys(v).map((f) => [f, v[f] - (p[f] || 0)]));
  }
  return out;
}

function hitRates(counts) {
  return Object.entries(counts)
    .filter(([cache]) => !cache.startsWith('#'))
    .map(([cache, c]) => {
      const gets = c.l1hit + c.l1miss;
      return {
        cache,
        gets,
        l1: gets ? (100 * c.l1hit) / gets : null,
        overall: gets ? (100 * (c.l1hit + c.l2hit)) / gets : null,
        loads: c.loads,
        loadMs: c.loads ? (1000 * c.loadSeconds) / c.loads : null,
      };
    })
    .filter((h) => h.gets > 0)
    .sort((x, y) => y.gets - x.gets);
}

async function scenarioCache() {
  const now = await scrapeCache();
  const total = hitRates(now);
  results.cache = {
    wholeRun: total,
    mixed: results.mixedCache ? hitRates(results.mixedCache) : null,
    redisErrors: { wholeRun: now['#redisErrors'] ?? null, mixed: results.mixedCache?.['#redisErrors'] ?? null },
    breakerOpenAtEnd: now['#breakerOpen'] ?? null,
  };
  const describe = (h) => `${h.gets} gets, L1 ${fmt(h.l1)}%, ${h.loads} database loads averaging ${fmt(h.loadMs)} ms`;
  const scope = results.mixedCache ? `mixed, ≤${SERVED_LEVEL} connections` : 'whole run';
  for (const h of results.cache.mixed || total) addFigure('cache', `hit rate ${h.cache} (${scope})`, h.overall, '%', SEED.hitRate, describe(h));
  if (results.mixedCache) {
    for (const h of total) addFigure('cache', `hit rate ${h.cache} (whole run, incl. cold rounds)`, h.overall, '%', SEED.hitRate, describe(h));
    addFigure('cache', `Redis calls failed or timed out (mixed, ≤${SERVED_LEVEL} connections)`, results.cache.redisErrors.mixed, 'calls', null, 'campus_cache_redis_errors_total; each falls back to the next layer');
  }
  addFigure('cache', 'Redis calls failed or timed out (whole run)', results.cache.redisErrors.wholeRun, 'calls', null, `circuit breaker open at the end: ${results.cache.breakerOpenAtEnd ? 'yes' : 'no'}`);
}


// ------------------------------------------------------------- side by side with the floor server

const median = (xs) => {
  const v = xs.filter((x) => x != null).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

function side(runs) {
  const rps = runs.map((r) => r.rps);
  const codes = {};
  for (const r of runs) for (const [k, v] of Object.entries(r.codes || {})) codes[k] = (codes[k] || 0) + v;
  return {
    rps: median(rps),
    rpsMin: Math.min(...rps),
    rpsMax: Math.max(...rps),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((a, r) => a + r.errors, 0),
    unavailable: codes['503'] || 0,
    runs: runs.map((r) => ({ rps: r.rps, p50: r.p50, p99: r.p99, errors: r.errors })),
  };
}

/**
 * One Campus request list against one floor-server path, same wrk, same connections, runs
 * alternated (Campus, floor, Campus, floor, ...) so drift on a shared machine hits both sides;
 * medians of PAIR_REPS runs each, with the spread, after PAIR_WARMUP unmeasured seconds of each.
 */
async function pair(name, ours, floorPath, conc, target, note = '') {
  if (PAIR_ONLY.length && !PAIR_ONLY.some((p) => name.includes(p))) return null;
  const a = [];
  const b = [];
  if (PAIR_WARMUP > 0) {
    await wrk(API, ours, conc, PAIR_WARMUP);
    await wrk(FLOOR_SERVER, [{ path: floorPath }], conc, PAIR_WARMUP);
  }
  for (let i = 0; i < PAIR_REPS; i++) {
    a.push(await wrk(API, ours, conc, DURATION, { codes: true }));
    b.push(await wrk(FLOOR_SERVER, [{ path: floorPath }], conc, DURATION, { codes: true }));
  }
  const campus = side(a);
  const floorSide = side(b);
  const row = { name, conc, floorPath, campus, floor: floorSide, ratio: ratio(campus.rps, floorSide.rps), target, note };
  results.pairs.push(row);
  log(`pair | ${name} c=${conc}: campus ${fmt(campus.rps)} req/s (${fmt(campus.rpsMin)}-${fmt(campus.rpsMax)}, ${campus.errors} errors) vs floor ${floorPath} ${fmt(floorSide.rps)} (${fmt(floorSide.rpsMin)}-${fmt(floorSide.rpsMax)}) = ${fmtRatio(row.ratio)} (target ${target}×)`);
  return row;
}

function needFloorServer() {
  if (!FLOOR_SERVER) throw new Error('BENCH_FLOOR is not set: run through bench/run.sh, which starts the floor server');
}

async function scenarioPairs() {
  needFloorServer();
  const detail = detailPaths().map((p) => ({ path: p }));
  const me = fx.students.map((s) => ({ path: '/api/auth/me', token: s.token }));
  // Not cached: one indexed single-statement read per request (the caller's newest enrollment).
  const uncached = fx.students.map((s) => ({ path: '/api/enrollments?limit=1', token: s.token }));
  const cycle = fx.lessonPairs.slice(-2000);
  const complete = Array.from({ length: 2 * cycle.length }, (_, k) => completeOrUndo(cycle, k));
  await driveRaw(detail.map(toUrl(API)), 4); // the warm side must be warm
  for (const c of PAIR_CONC) {
    await pair('course detail, cached', detail, '/json', c, 0.6);
    await pair('GET /api/auth/me', me, '/json', c, 0.6);
    await pair('uncached single-row read (GET /api/enrollments?limit=1)', uncached, '/db', c, c <= CONC ? 0.7 : 0.5, 'target with 0 errors');
  }
  if (complete.length) {
    await pair('lesson completion', complete, '/update', CONC, 0.6, `${cycle.length} (student, lesson) pairs, each completed then undone (POST and DELETE /api/lessons/{id}/complete), both writes`);
  }
}

// ---------------------------------------------------------------------------- open loop

/**
 * Open loop: requests start on a fixed schedule (rate per second), whatever the server's answers,
 * and latency counts from the scheduled start, so a server that falls behind shows it as latency
 * instead of slowing the load down (no coordinated omission). The client is bench/lib/OpenLoop.java
 * (Vert.x, one event loop, on the app's own jars): a Node client saturated its one thread near
 * 5 000 requests/s on this machine and then measured itself instead of the server.
 */
let openLoopSeq = 0;
let openLoopClient = null;

/** The one OpenLoop.java process of this benchmark: started on first use, runs one rate at a time. */
function openLoopProcess() {
  if (openLoopClient) return openLoopClient;
  const classpath = path.join(LIB, '..', '..', 'target', 'quarkus-app', 'lib', 'main', '*');
  const child = spawn('java', ['-cp', classpath, path.join(LIB, 'OpenLoop.java')], { stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr.pipe(fs.createWriteStream(path.join(WORK, 'openloop.log')));
  const waiting = [];
  let buffered = '';
  child.stdout.on('data', (d) => {
    buffered += d;
    for (let i; (i = buffered.indexOf('\n')) >= 0; ) {
      const line = buffered.slice(0, i);
      buffered = buffered.slice(i + 1);
      waiting.shift()?.resolve(JSON.parse(line));
    }
  });
  child.on('close', (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`OpenLoop.java exited ${code}; see openloop.log in the work dir`));
    openLoopClient = null;
  });
  openLoopClient = { child, waiting };
  return openLoopClient;
}

function openLoop(base, specs, rate, seconds) {
  const id = ++openLoopSeq;
  const reqFile = path.join(WORK, `openloop-${id}.req`);
  fs.writeFileSync(reqFile, specs.map(requestLine).join('\n') + '\n');
  const client = openLoopProcess();
  return new Promise((resolve, reject) => {
    client.waiting.push({ resolve, reject });
    client.child.stdin.write([base, reqFile, rate, seconds, `${RUN_TAG}-o${id}`].join('\t') + '\n');
  });
}

/** Users who each send a request, wait for it, think 2-5 s, and start again (OpenLoop.java). */
const thinkingUsers = (base, specs, users, seconds) => openLoop(base, specs, `users=${users}`, seconds);

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

const clean = (s) => s.errors === 0 && s.p99 != null && s.p99 <= 100;

async function scenarioOpenLoop() {
  needFloorServer();
  const uncached = fx.students.map((s) => ({ path: '/api/enrollments?limit=1', token: s.token }));
  const targets = [
    ['floor /db', FLOOR_SERVER, [{ path: '/db' }]],
    ['Campus uncached single-row read', API, uncached],
    ['Campus mix of 12 endpoints', API, mixedRequests()],
  ];
  // The client's own JIT warms on the floor's constant before anything is timed.
  for (const rate of [2000, 4000, 4000]) {
    const w = await openLoop(FLOOR_SERVER, [{ path: '/json' }], rate, 5);
    log(`open loop | client warm-up, floor /json @ ${rate}/s: p50=${fmt(w.p50)} p99=${fmt(w.p99)} errors=${w.errors}`);
  }
  const best = {};
  const unclean = {};
  const tried = {};
  const attempt = async ([name, base, specs], rate) => {
    const s = await openLoop(base, specs, rate, OPEN_SECONDS);
    results.openLoop.push({ name, rate, ...s });
    log(`open loop | ${name} @ ${rate}/s: p50=${fmt(s.p50)} p99=${fmt(s.p99)} errors=${s.errors} achieved=${fmt(s.rps)}/s`);
    (tried[name] ||= []).push(rate);
    if (clean(s)) best[name] = Math.max(best[name] || 0, rate);
    else (unclean[name] ||= []).push(rate);
  };
  for (const rate of OPEN_RATES) {
    for (const target of targets) await attempt(target, rate);
  }
  // The steps above are coarse; halve the gap between each target's highest clean rate and its
  // lowest unclean one a few times (targets alternating), so the ratio is not an artefact of them.
  for (let step = 0; step < OPEN_REFINE; step++) {
    for (const target of targets) {
      const [name] = target;
      const lo = best[name] || 0;
      // Above the highest clean rate: a cold first rate may fail below it.
      const above = (unclean[name] || []).filter((r) => r > lo);
      if (!above.length) continue;
      const hi = Math.min(...above);
      if (hi - lo <= 2 * OPEN_GRAIN) continue;
      await attempt(target, Math.round((lo + hi) / 2 / OPEN_GRAIN) * OPEN_GRAIN);
    }
  }
  for (const [name] of targets) {
    addFigure('openloop', `highest clean rate (0 errors, p99 ≤ 100 ms): ${name}`, best[name] || 0, 'req/s', null, `rates tried: ${(tried[name] || []).join(', ')} for ${OPEN_SECONDS} s each`);
  }
  addFigure('openloop', 'Campus uncached read ÷ floor /db, highest clean rates', ratio(best['Campus uncached single-row read'] || 0, best['floor /db']) ?? 0, '×', null, 'target ≥ 0.8');
  // The same users on the floor's /db first: what the client and the machine give at best.
  const thinkSeconds = Math.max(20, OPEN_SECONDS * 2);
  const floorUsers = await thinkingUsers(FLOOR_SERVER, [{ path: '/db' }], OPEN_USERS, thinkSeconds);
  addRun('openloop', `floor /db, ${OPEN_USERS} users thinking 2-5 s`, 'vertx', OPEN_USERS, floorUsers, null, 'the same client and think times on the floor server');
  const mix = targets[2][2];
  const users = await thinkingUsers(API, mix, OPEN_USERS, thinkSeconds);
  results.openLoop.push({ name: `Campus mix, ${OPEN_USERS} users thinking 2-5 s`, rate: null, ...users });
  addRun('openloop', `mix, ${OPEN_USERS} users thinking 2-5 s`, 'vertx', OPEN_USERS, users, null, 'target: 0 errors, p99 ≤ 100 ms');
}

const SCENARIOS = {
  probe: scenarioProbe,
  auth: scenarioAuth,
  catalogue: async () => {
    await scenarioBrowse();
    await scenarioSearch();
    await scenarioDetail();
  },
  detail: () => scenarioDetail('detail'),
  dashboard: scenarioDashboard,
  mentor: scenarioMentor,
  eligibility: scenarioEligibility,
  assessments: scenarioAssessments,
  completion: scenarioCompletion,
  lesson: scenarioLesson,
  analytics: scenarioAnalytics,
  mixed: scenarioMixed,
  pairs: scenarioPairs,
  openloop: scenarioOpenLoop,
  job: scenarioJob,
  cache: scenarioCache,
};
export const ORDER = Object.keys(SCENARIOS);
// `detail` is the course-detail part of `catalogue`, for bench/cache.sh; not run twice by default.
const DEFAULT = ORDER.filter((s) => s !== 'detail');

// ----------------------------------------------------------------------------------- report

function fmt(v, digits) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (typeof v !== 'number') return String(v);
  const a = Math.abs(v);
  const d = digits ?? (a >= 1000 ? 0 : a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3);
  return v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: 0 });
}
const ratio = (a, b) => (a == null || b == null || !b ? null : a / b);
// Two significant digits below 1, so a tiny ratio does not print as 0×.
const fmtRatio = (r) => (r == null ? '—' : r > 0 && r < 1 ? `${Number(r.toPrecision(2))}×` : `${fmt(r, r >= 100 ? 0 : r >= 10 ? 1 : 2)}×`);

function decorate() {
  for (const r of results.runs) {
    const db = r.write ? 'pgbench-w' : 'pgbench';
    const db1 = results.floors[`${db}:1`];
    const dbN = results.floors[`${db}:${COLD_CONC}`];
    const f = results.floors[`${r.tool === 'wrk' ? 'wrk' : 'node'}:${r.conc}`];
    const on = r.seed?.on || 'p50';
    r.vsSeed = r.seed ? ratio(r[on], r.seed.value) : null;
    r.vsHttpFloor = { p50: ratio(r.p50, f?.p50), rps: r.conc > 1 && r.rps ? ratio(r.rps, f?.rps) : null };
    r.vsDbFloor = { p50: ratio(r.p50, db1?.p50), rps: r.conc > 1 && r.rps ? ratio(r.rps, dbN?.rps) : null };
  }
  for (const f of results.figures) f.vsSeed = f.seed ? ratio(f.value, f.seed.value) : null;
}

function markdown() {
  const m = results.meta;
  const L = [];
  L.push(`# Campus benchmark: ${m.startedAt}`);
  L.push('');
  L.push(`Commit \`${m.commit}\` · ${m.machine} · scenarios: ${m.scenarios.join(', ')} · run time ${fmt(m.runSeconds)} s (setup ${fmt(m.setupSeconds)} s, measuring ${fmt(m.measureSeconds)} s).`);
  L.push(`Data: ${m.data}; ${m.demoLoad?.line || ''}. App: prod profile, pool ${m.pool}, rate limits raised for the run. Tools: ${m.tools}.`);
  L.push(`Load average (1/5/15 min) when measuring began: ${(m.loadAverageAtStart || []).join(' / ')}; the load generators share the machine's cores with the app, PostgreSQL and Redis.`);
  L.push('');
  const cpu = m.cpu ? ` CPU over the whole measurement: ${fmt(m.cpu.ours)}% of the ${NCPU} cores used by the benchmark (app, PostgreSQL, Redis, load tools), ${fmt(m.cpu.others)}% by other processes.` : '';
  L.push(cpu.trim());
  L.push('');
  L.push('| Scenario | Seconds | Load average before | CPU: benchmark | CPU: other processes |');
  L.push('|---|---:|---:|---:|---:|');
  for (const [name, sc] of Object.entries(results.scenarios)) {
    const pct = (v) => (v == null ? '—' : `${fmt(v)}%`);
    L.push(`| ${name} | ${fmt(sc.seconds)} | ${(sc.loadBefore || []).slice(0, 1).join('')} | ${pct(sc.cpu?.ours)} | ${pct(sc.cpu?.others)} |`);
  }
  L.push('');
  L.push('## Floors (measured in this run)');
  L.push('');
  L.push('| Floor | Tool | Conc | n | p50 ms | p95 ms | p99 ms | req/s | Errors |');
  L.push('|---|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const f of Object.values(results.floors).sort((a, b) => a.tool.localeCompare(b.tool) || a.conc - b.conc)) {
    L.push(`| ${f.what} | ${f.tool} | ${f.conc} | ${fmt(f.n)} | ${fmt(f.p50)} | ${fmt(f.p95)} | ${fmt(f.p99)} | ${fmt(f.rps)} | ${f.errors} |`);
  }
  L.push('');
  L.push('## Requests');
  L.push('');
  L.push('Ratios: *÷ seed* divides the figure named in the seed column by the seed report\'s best claimed value (below 1 = faster than claimed). *÷ HTTP floor* and *÷ DB floor* give `p50` as a multiple of the floor\'s p50 at the same concurrency and tool (HTTP) or of one pgbench single-row read at c=1 (DB; for writes, marked *w*, one single-row UPDATE and commit), and for concurrent runs `req/s` as a fraction of the floor\'s throughput (HTTP: same tool and concurrency; DB: pgbench at c=' + COLD_CONC + ').');
  L.push('');
  L.push('| Scenario | Measurement | Tool | Conc | n | p50 ms | p95 ms | p99 ms | req/s | Errors | Seed claim | ÷ seed | ÷ HTTP floor | ÷ DB floor | Note |');
  L.push('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---|');
  const both = (x) => (x.rps == null ? `p50 ${fmtRatio(x.p50)}` : `p50 ${fmtRatio(x.p50)}, req/s ${fmtRatio(x.rps)}`);
  for (const r of results.runs) {
    const seed = r.seed ? `${r.seed.on || 'p50'} vs ${r.seed.text}` : '—';
    L.push(`| ${r.scenario} | ${r.name}${r.write ? ' *w*' : ''} | ${r.tool} | ${r.conc} | ${fmt(r.n)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${fmt(r.rps)} | ${r.errors} | ${seed} | ${fmtRatio(r.vsSeed)} | ${both(r.vsHttpFloor)} | ${both(r.vsDbFloor)} | ${r.note || ''} |`);
  }
  if (results.pairs.length) {
    L.push('');
    L.push('## Side by side with the floor server');
    L.push('');
    L.push(`Each pair: wrk against Campus, then the same wrk against the floor server (raw Vert.x HTTP, one pipelined PostgreSQL connection per event loop), ${PAIR_REPS} times alternated after ${PAIR_WARMUP} s of unmeasured load on each; medians with the range of the runs.`);
    L.push('');
    L.push('| Measurement | Conc | Campus req/s (range) | Campus p99 ms | Campus errors (503) | Floor | Floor req/s (range) | Floor p99 ms | Ratio | Target |');
    L.push('|---|---:|---:|---:|---:|---|---:|---:|---:|---:|');
    for (const p of results.pairs) {
      L.push(`| ${p.name} | ${p.conc} | ${fmt(p.campus.rps)} (${fmt(p.campus.rpsMin)}-${fmt(p.campus.rpsMax)}) | ${fmt(p.campus.p99)} | ${p.campus.errors} (${p.campus.unavailable}) | \`${p.floorPath}\` | ${fmt(p.floor.rps)} (${fmt(p.floor.rpsMin)}-${fmt(p.floor.rpsMax)}) | ${fmt(p.floor.p99)} | ${fmtRatio(p.ratio)} | ≥ ${p.target}× |`);
    }
  }
  if (results.openLoop.length) {
    L.push('');
    L.push('## Open loop (fixed arrival rate)');
    L.push('');
    L.push('| Target | Rate /s | Achieved /s | p50 ms | p99 ms | Errors |');
    L.push('|---|---:|---:|---:|---:|---:|');
    for (const o of results.openLoop) L.push(`| ${o.name} | ${o.rate ?? '—'} | ${fmt(o.rps)} | ${fmt(o.p50)} | ${fmt(o.p99)} | ${o.errors} |`);
  }
  if (results.figures.length) {
    L.push('');
    L.push('## Derived figures');
    L.push('');
    L.push('| Scenario | Figure | Value | Seed claim | ÷ seed | Note |');
    L.push('|---|---|---:|---|---:|---|');
    for (const f of results.figures) {
      L.push(`| ${f.scenario} | ${f.name} | ${fmt(f.value)} ${f.unit} | ${f.seed ? f.seed.text : '—'} | ${fmtRatio(f.vsSeed)} | ${f.note || ''} |`);
    }
  }
  const kinds = Object.entries(results.appLog?.kinds || {}).sort((a, b) => b[1] - a[1]);
  if (kinds.length) {
    L.push('');
    L.push('## App log: warnings and errors during the run');
    L.push('');
    L.push('| Count | Level, logger and message (numbers masked) |');
    L.push('|---:|---|');
    for (const [k, v] of kinds.slice(0, 12)) L.push(`| ${v} | \`${k.replace(/\|/g, '\\|').replace(/`/g, "'")}\` |`);
  }
  if (results.skipped.length || results.notes.length) {
    L.push('');
    L.push('## Skipped and notes');
    L.push('');
    for (const s of results.skipped) L.push(`- **${s.scenario}** skipped: ${s.reason}`);
    for (const n of results.notes) L.push(`- ${n}`);
  }
  L.push('');
  return L.join('\n');
}

// ------------------------------------------------------------------------------------- main

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--list') {
    console.log(ORDER.join(' '));
    return;
  }
  if (args[0] === '--render') {
    // Rewrites the Markdown of a stored run (e.g. after a change of layout), figures untouched.
    Object.assign(results, JSON.parse(fs.readFileSync(args[1], 'utf8')));
    fs.writeFileSync(args[1].replace(/\.json$/, '.md'), markdown());
    return;
  }
  const check = args[0] === '--check';
  const wanted = check ? args.slice(1) : args;
  const unknown = wanted.filter((s) => !SCENARIOS[s]);
  if (unknown.length) {
    console.error(`unknown scenario(s): ${unknown.join(', ')}; known: ${ORDER.join(' ')}`);
    process.exit(2);
  }
  if (check) return;
  // Always in the canonical order: writes come after the reads they would disturb.
  const scenarios = wanted.length ? ORDER.filter((s) => wanted.includes(s)) : DEFAULT;
  const meta = env.BENCH_META ? JSON.parse(fs.readFileSync(env.BENCH_META, 'utf8')) : {};
  Object.assign(results.meta, meta, { scenarios, concurrency: CONC, coldConcurrency: COLD_CONC, wrkSeconds: DURATION, floorSeconds: FLOOR_DURATION });
  const t0 = Date.now();
  // Other work on the machine skews every figure: the load average says whether there was any.
  results.meta.loadAverageAtStart = loadavg();
  const cpuStart = cpuSnapshot();
  await setup();
  await floor('pgbench', 1);
  await floor('pgbench', COLD_CONC);
  await floor('pgbench-w', 1);
  await floor('pgbench-w', COLD_CONC);
  if (env.BENCH_WARMUP !== '0') {
    log('JIT warm-up');
    await warmup();
  }
  psql('select pg_stat_statements_reset()');
  for (const s of scenarios) {
    const started = Date.now();
    const loadBefore = loadavg();
    const cpuBefore = cpuSnapshot();
    log(`scenario ${s}`);
    try {
      await SCENARIOS[s]();
    } catch (e) {
      log(`scenario ${s} failed: ${e.stack || e}`);
      results.skipped.push({ scenario: s, reason: `failed: ${String(e.message || e).slice(0, 300)}` });
    }
    results.scenarios[s] = { seconds: (Date.now() - started) / 1000, loadBefore, loadAfter: loadavg(), cpu: cpuShare(cpuBefore, cpuSnapshot()) };
    log(`scenario ${s}: ${fmt(results.scenarios[s].seconds)} s, CPU bench ${fmt(results.scenarios[s].cpu?.ours)}%, others ${fmt(results.scenarios[s].cpu?.others)}%`);
  }
  openLoopClient?.child.stdin.end();
  results.meta.measureSeconds = (Date.now() - t0) / 1000;
  results.appLog = appLogErrors();
  results.meta.cpu = cpuShare(cpuStart, cpuSnapshot());
  const runStart = Number(meta.runStartEpochMs || t0);
  results.meta.runSeconds = (Date.now() - runStart) / 1000;
  results.meta.setupSeconds = (t0 - runStart) / 1000;
  decorate();
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const md = markdown();
  fs.writeFileSync(path.join(OUT_DIR, `${NAME}.md`), md);
  fs.writeFileSync(path.join(OUT_DIR, `${NAME}.json`), JSON.stringify(results, null, 2) + '\n');
  console.log(md);
  const failed = results.skipped.filter((s) => s.reason.startsWith('failed'));
  process.exit(failed.length ? 1 : 0);
}

main().catch((e) => {
  log(e.stack || String(e));
  process.exit(1);
});
