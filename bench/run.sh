#!/usr/bin/env bash
# Campus benchmark: starts a throwaway PostgreSQL and Redis on free ports, loads the demo data set,
# starts the app against them (prod profile), drives load from separate processes (wrk and
# bench/lib/bench.mjs) and writes bench/results/<name>.md and .json. Everything it starts is
# stopped on exit; the machine's own PostgreSQL and Redis are never touched.
#
#   bench/run.sh [--name NAME] [scenario ...]      (no scenario: all of them)
#
# Beside the app it starts the floor server (bench/floor/FloorServer.java: raw Vert.x HTTP and one
# pipelined PostgreSQL connection per event loop) that the `pairs` and `openloop` scenarios compare with.
#
# Knobs (environment): BENCH_DURATION (s per wrk run, 10), BENCH_FLOOR_DURATION (5), BENCH_CONC
# (wrk connections for steady runs, 32), BENCH_COLD_CONC (8), BENCH_MIXED_LEVELS (10,100,1000,10000),
# BENCH_MENTORS (40), BENCH_STUDENTS (300), BENCH_REBUILD=1 (package the app even if its package
# is newer than every source),
# BENCH_KEEP_WORK=1 (keep the temp dir with the logs and raw wrk output), BENCH_APP_WRAPPER (a
# command prefix for the measured app, e.g. "bench/lib/cgroup-limit.sh 1536M 2"),
# BENCH_PG_SYNCHRONOUS_COMMIT (on; off shows what durable commits cost the writes),
# BENCH_RECOVERY_SECONDS (5: each window of the cached read measured before and after the mix),
# BENCH_PAIR_CONC (32,256), BENCH_PAIR_REPS (3), BENCH_PAIR_WARMUP (3 s), BENCH_PAIRS (only the
# pairs whose name contains one of these comma-separated words, e.g. "completion"),
# BENCH_OPEN_TRACE (a directory: the open-loop client writes one TSV per run there, one line per
# answer: ms since the run began, status, latency ms, request; to see when the slow ones came).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/bench"
NAME=latest
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --name) NAME=$2; shift 2 ;;
    -h|--help)
      awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
      echo "scenarios: $(node "$BENCH/lib/bench.mjs" --list 2>/dev/null || echo '?')"
      exit 0 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done

RUN_START_MS=$(date +%s%3N)
say() { echo "[run.sh $(date +%H:%M:%S)] $*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# ------------------------------------------------------------------------------- tools
missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need wrk wrk
need node nodejs
need redis-server redis-server
need java openjdk-17-jdk-headless
need curl curl
PGBIN=$(pg_config --bindir 2>/dev/null || true)
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
fi
for t in initdb pg_ctl psql pgbench; do
  [ -n "$PGBIN" ] && [ -x "$PGBIN/$t" ] || { missing+=(postgresql); break; }
done
if [ ${#missing[@]} -gt 0 ]; then
  die "missing tools; install them with: apt-get install -y $(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')"
fi
if [ ${#ARGS[@]} -gt 0 ]; then
  node "$BENCH/lib/bench.mjs" --check "${ARGS[@]}" || exit 2
fi

# 10 000 connections need as many descriptors in wrk and in the app.
HARD=$(ulimit -Hn)
if [ "$HARD" = unlimited ] || [ "$HARD" -gt 65536 ]; then HARD=65536; fi
ulimit -n "$HARD" || true
say "open files limit $(ulimit -n)"

# ----------------------------------------------------------------------------- the app
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"
# A package older than any source would measure yesterday's code under today's commit id.
if [ ! -f "$JAR" ] || [ "${BENCH_REBUILD:-0}" = 1 ] ||
  [ -n "$(find "$ROOT/src/main" "$ROOT/pom.xml" -newer "$JAR" -print -quit)" ]; then
  say "packaging the app (./mvnw -B -q -DskipTests package)"
  (cd "$ROOT" && ./mvnw -B -q -DskipTests package) || die "build failed"
fi

# ------------------------------------------------------------------------ work dir, ports
WORK=$(mktemp -d /tmp/campus-bench.XXXXXX)
chmod 755 "$WORK"
APP_PID=""
FLOOR_PID=""
REDIS_PID=""
PG_STARTED=0
USED_PORTS=" "

as_pg() {
  # initdb refuses to run as root: run the server as the postgres account then.
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_app() {
  if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
  APP_PID=""
}

cleanup() {
  local rc=$?
  set +e
  stop_app
  if [ -n "$FLOOR_PID" ]; then
    kill -TERM "$FLOOR_PID" 2>/dev/null
    wait "$FLOOR_PID" 2>/dev/null
  fi
  if [ -n "$REDIS_PID" ]; then
    kill -TERM "$REDIS_PID" 2>/dev/null
    wait "$REDIS_PID" 2>/dev/null
  fi
  if [ "$PG_STARTED" = 1 ]; then
    as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null 2>&1
  fi
  mkdir -p "$BENCH/results/logs"
  cp "$WORK"/*.log "$WORK"/pg/*.log "$BENCH/results/logs/" 2>/dev/null
  if [ "${BENCH_KEEP_WORK:-0}" = 1 ]; then
    say "work dir kept: $WORK"
  else
    rm -rf "$WORK"
  fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Sets the named variable to a port nothing listens on (and not handed out before).
free_port() {
  local p
  for _ in $(seq 1 500); do
    p=$((20000 + RANDOM % 12000))
    case "$USED_PORTS" in *" $p "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      USED_PORTS="$USED_PORTS$p "
      printf -v "$1" '%s' "$p"
      return 0
    fi
  done
  die "no free port found"
}
free_port PG_PORT
free_port REDIS_PORT
free_port HTTP_PORT
free_port MGMT_PORT
free_port FLOOR_PORT
say "ports: postgres $PG_PORT, redis $REDIS_PORT, http $HTTP_PORT, management $MGMT_PORT, floor server $FLOOR_PORT; work dir $WORK"

# --------------------------------------------------------------------------- PostgreSQL
mkdir -p "$WORK/pg"
[ "$(id -u)" = 0 ] && chown postgres "$WORK/pg"
as_pg "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres -A trust -E UTF8 --no-locale >"$WORK/initdb.log" 2>&1 ||
  die "initdb failed: $(tail -5 "$WORK/initdb.log")"
# Durability stays at the defaults (fsync on, synchronous commit): write figures include a real
# commit, unless BENCH_PG_SYNCHRONOUS_COMMIT says otherwise (to see what the commits cost).
SYNC_COMMIT=${BENCH_PG_SYNCHRONOUS_COMMIT:-on}
case "$SYNC_COMMIT" in on | off | local | remote_write | remote_apply) ;; *) die "BENCH_PG_SYNCHRONOUS_COMMIT: on or off" ;; esac
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/postgres.log" -w -t 60 -o "-p $PG_PORT -k $WORK/pg \
  -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=1GB \
  -c synchronous_commit=$SYNC_COMMIT \
  -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=top" start >/dev/null ||
  die "PostgreSQL did not start: $(tail -5 "$WORK/pg/postgres.log")"
PG_STARTED=1
PSQL=("$PGBIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -XAtq -v ON_ERROR_STOP=1)
# The roles of a deployment (README, Deploy, step 5): Flyway migrates as the owner role, requests run
# as the application role.
"${PSQL[@]}" -d postgres -c "create database campus" -c "create database pgbench" >/dev/null
"${PSQL[@]}" -d campus -v database=campus -v app_role=campus_app -v app_password=bench \
  -v migrator_role=campus_migrator -v migrator_password=bench \
  -f "$ROOT/terraform/modules/database/bootstrap-roles.sql" >/dev/null
say "pgbench -i -s 10 (floor database)"
"$PGBIN/pgbench" -i -q -s 10 -h 127.0.0.1 -p "$PG_PORT" -U postgres pgbench >"$WORK/pgbench-init.log" 2>&1 ||
  die "pgbench -i failed: $(tail -5 "$WORK/pgbench-init.log")"
# The floor server's one-row-per-key table (the TechEmpower "world" shape).
"${PSQL[@]}" -d postgres -c "create database floor" >/dev/null
"${PSQL[@]}" -d floor -c "create table world (id integer primary key, randomnumber integer not null)" \
  -c "insert into world select i, 1 + (random() * 9999)::int from generate_series(1, 10000) i" -c "vacuum analyze world" >/dev/null

# -------------------------------------------------------------------------------- Redis
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --dir "$WORK" \
  --logfile "$WORK/redis.log" &
REDIS_PID=$!
for _ in $(seq 1 50); do
  (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null && break
  sleep 0.1
done

# ------------------------------------------------------------------------------ the app
export QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$PG_PORT/campus"
export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/campus"
export QUARKUS_DATASOURCE_USERNAME=campus_app
export QUARKUS_FLYWAY_USERNAME=campus_migrator
# Flyway takes its own login only with a password (the server trusts local connections anyway).
export QUARKUS_FLYWAY_PASSWORD=bench
export QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT"
export CAMPUS_DEMO_LOAD_ON_START=true
export CAMPUS_DEMO_USERS=${CAMPUS_DEMO_USERS:-10000}
export CAMPUS_DEMO_MENTORS=${CAMPUS_DEMO_MENTORS:-500}
export CAMPUS_DEMO_COURSES=${CAMPUS_DEMO_COURSES:-200}
export CAMPUS_DEMO_LESSONS_PER_COURSE=${CAMPUS_DEMO_LESSONS_PER_COURSE:-20}
export CAMPUS_DEMO_ENROLLMENTS=${CAMPUS_DEMO_ENROLLMENTS:-100000}
export CAMPUS_DEMO_LESSON_PROGRESS=${CAMPUS_DEMO_LESSON_PROGRESS:-1000000}
# The benchmark logs in, searches and writes from one address, hundreds of times per second.
export CAMPUS_OPS_RATE_LIMIT_AUTH_CAPACITY=1000000
export CAMPUS_OPS_RATE_LIMIT_AUTH_REFILL_PER_SECOND=1000000
export CAMPUS_OPS_RATE_LIMIT_WRITES_CAPACITY=1000000
export CAMPUS_OPS_RATE_LIMIT_WRITES_REFILL_PER_SECOND=1000000
export CAMPUS_OPS_RATE_LIMIT_SEARCH_CAPACITY=1000000
export CAMPUS_OPS_RATE_LIMIT_SEARCH_REFILL_PER_SECOND=1000000
JAVA_OPTS=(-Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$HTTP_PORT"
  -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$MGMT_PORT"
  -Dquarkus.shutdown.delay-enabled=false)

start_app() { # log file, extra java options...
  local logf=$1; shift
  # shellcheck disable=SC2086 # APP_WRAPPER is a command prefix (e.g. bench/lib/cgroup-limit.sh)
  (cd "$ROOT" && exec ${APP_WRAPPER:-} java "${JAVA_OPTS[@]}" "$@" -jar "$JAR") >"$logf" 2>&1 &
  APP_PID=$!
}

# Phase 1: load the demo data. Its largest insert outlasts the app's 5 s statement_timeout, so
# this start alone gets a longer one; the measured app below runs with the shipped default.
LOAD_START=$(date +%s%3N)
say "loading demo data (users $CAMPUS_DEMO_USERS, progress rows $CAMPUS_DEMO_LESSON_PROGRESS)"
CAMPUS_OPS_DB_STATEMENT_TIMEOUT=PT10M start_app "$WORK/app-load.log"
for _ in $(seq 1 1200); do
  grep -q "Demo data generated" "$WORK/app-load.log" && break
  grep -q -E "Demo data could not be loaded|Courses exist already" "$WORK/app-load.log" &&
    die "demo load failed: $(grep -E 'Demo data|Courses exist' "$WORK/app-load.log" | cut -c1-400)"
  kill -0 "$APP_PID" 2>/dev/null || die "app exited while loading: $(tail -20 "$WORK/app-load.log")"
  sleep 0.5
done
grep -q "Demo data generated" "$WORK/app-load.log" || die "demo data not generated within 10 minutes"
LOAD_MS=$(($(date +%s%3N) - LOAD_START))
DEMO_LINE=$(grep "Demo data generated" "$WORK/app-load.log" | sed 's/.*Demo data generated/Demo data generated/')
say "$DEMO_LINE"
stop_app

# Phase 2: the measured app, configured as shipped apart from ports and rate limits
# (BENCH_APP_WRAPPER, e.g. a cgroup limit, wraps this start only).
APP_WRAPPER=${BENCH_APP_WRAPPER:-} start_app "$WORK/app.log"
READY=0
for _ in $(seq 1 240); do
  if curl -fs -o /dev/null "http://127.0.0.1:$MGMT_PORT/q/health/ready"; then READY=1; break; fi
  kill -0 "$APP_PID" 2>/dev/null || die "app exited: $(tail -20 "$WORK/app.log")"
  sleep 0.5
done
[ "$READY" = 1 ] || die "app not ready after 120 s: $(tail -20 "$WORK/app.log")"
say "app ready (pid $APP_PID)"

# The floor server: raw Vert.x HTTP + one pipelined PostgreSQL connection per event loop, on the
# app's own Vert.x jars and the same JDK (bench/floor/FloorServer.java).
java -Xss512k -cp "$ROOT/target/quarkus-app/lib/main/*" "$BENCH/floor/FloorServer.java" \
  "$FLOOR_PORT" 127.0.0.1 "$PG_PORT" floor postgres >"$WORK/floor.log" 2>&1 &
FLOOR_PID=$!
for _ in $(seq 1 120); do
  curl -fs -o /dev/null "http://127.0.0.1:$FLOOR_PORT/json" && break
  kill -0 "$FLOOR_PID" 2>/dev/null || die "floor server exited: $(tail -20 "$WORK/floor.log")"
  sleep 0.5
done
curl -fs -o /dev/null "http://127.0.0.1:$FLOOR_PORT/db" || die "floor server not answering: $(tail -20 "$WORK/floor.log")"
say "floor server ready (pid $FLOOR_PID)"

# ------------------------------------------------------------------------------ measure
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$ROOT" diff --quiet HEAD -- src pom.xml 2>/dev/null || COMMIT="$COMMIT (+ local changes)"
MEM_GIB=$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)
CPU=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //' || echo '?')
export BENCH_META="$WORK/meta.json"
node -e '
  const [startMs, commit, cores, mem, cpu, demo, loadMs, pg, redis, wrk, java, name] = process.argv.slice(1);
  const e = process.env;
  require("fs").writeFileSync(e.BENCH_META, JSON.stringify({
    name, startedAt: new Date(Number(startMs)).toISOString().replace(/\.\d+Z$/, "Z"),
    runStartEpochMs: Number(startMs), commit,
    machine: `${cores} cores (${cpu}), ${mem} GiB`,
    data: `${e.CAMPUS_DEMO_USERS} users (${e.CAMPUS_DEMO_MENTORS} mentors), ${e.CAMPUS_DEMO_COURSES} courses × ${e.CAMPUS_DEMO_LESSONS_PER_COURSE} lessons, ${e.CAMPUS_DEMO_ENROLLMENTS} enrollments, ${e.CAMPUS_DEMO_LESSON_PROGRESS} progress rows`,
    demoLoad: { line: demo, wallSeconds: Number(loadMs) / 1000 },
    pool: `8 connections (wait queue 200, statement_timeout 5 s), pipelined reads 2 and writes 2; PostgreSQL synchronous_commit ${e.BENCH_PG_SYNCHRONOUS_COMMIT || "on"}`,
    tools: `wrk ${wrk}, node ${process.version}, ${pg}, redis ${redis}, ${java}`,
  }, null, 2));
' "$RUN_START_MS" "$COMMIT" "$(nproc)" "$MEM_GIB" "$CPU" "$DEMO_LINE" "$LOAD_MS" \
  "$("$PGBIN/postgres" --version | awk '{print "PostgreSQL " $3}')" \
  "$(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/')" \
  "$(wrk -v 2>&1 | head -1 | awk '{print $2}')" \
  "$(java -version 2>&1 | head -1 | tr -d '"')" "$NAME"

export BENCH_APP_LOG="$WORK/app.log" BENCH_APP_PID="$APP_PID" BENCH_REDIS_PID="$REDIS_PID" BENCH_PG_PID="$(head -1 "$WORK/pg/data/postmaster.pid")"
export BENCH_API="http://127.0.0.1:$HTTP_PORT" BENCH_MGMT="http://127.0.0.1:$MGMT_PORT"
export BENCH_FLOOR="http://127.0.0.1:$FLOOR_PORT" BENCH_FLOOR_PID="$FLOOR_PID"
export BENCH_WORK="$WORK" BENCH_OUT_DIR="$BENCH/results" BENCH_NAME="$NAME"
export BENCH_PGBIN="$PGBIN" BENCH_PG_HOST=127.0.0.1 BENCH_PG_PORT="$PG_PORT" BENCH_PG_SUPERUSER=postgres
export BENCH_PG_DB=campus BENCH_PG_APP_ROLE=campus_app BENCH_PGBENCH_DB=pgbench BENCH_PGBENCH_SCALE=10
set +e
timeout 1800 node "$BENCH/lib/bench.mjs" "${ARGS[@]}"
RC=$?
set -e
say "results: bench/results/$NAME.md and .json (exit $RC, $(( ($(date +%s%3N) - RUN_START_MS) / 1000 )) s)"
exit $RC
