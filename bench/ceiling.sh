#!/usr/bin/env bash
# The fixed stack's ceiling: how close to the floor server (raw Vert.x, bench/floor/FloorServer.java)
# can anything built on Quarkus REST get on this machine? bench/ceiling/ is a one-endpoint Quarkus
# app answering the floor's constant GET /json with nothing of Campus, in three variants:
# (a) quarkus-rest only, (b) plus Micrometer/Prometheus with HTTP server metrics, as Campus ships,
# (c) "stack": Campus's whole fixed stack (Jackson, Hibernate Reactive Panache with one entity,
# reactive PostgreSQL + Redis clients, health, fault tolerance, metrics, OpenAPI, validator,
# security, Flyway migrating over JDBC at start), connected to a throwaway PostgreSQL and Redis.
# Campus's own figures can then be read against (b)/floor and (c)/floor rather than against 1.0.
#
#   bench/ceiling.sh > bench/results/ceiling.md     (Markdown on stdout, progress on stderr)
#
# Knobs (environment): CEILING_DURATION (s per wrk run, 10), CEILING_REPS (3), CEILING_CONNS ("32 256").
# Only servers it starts itself are touched (a throwaway PostgreSQL, because the floor server
# connects at start even though /json never queries, and a throwaway redis-server for the stack
# variant); all are stopped on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DUR=${CEILING_DURATION:-10}
REPS=${CEILING_REPS:-3}
CONNS=${CEILING_CONNS:-"32 256"}
say() { echo "[ceiling $(date +%H:%M:%S)] $*" >&2; }
die() { say "ERROR: $*"; exit 1; }
for t in wrk curl java javac redis-server; do command -v $t >/dev/null || die "missing $t"; done
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$PGBIN/initdb" ] || die "missing PostgreSQL server binaries (apt-get install postgresql)"

STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# ------------------------------------------------------------------------------- builds
# The floor runs on Campus's own Vert.x jars, as in bench/run.sh.
LIB="$ROOT/target/quarkus-app/lib/main"
if [ ! -d "$LIB" ]; then
  say "packaging Campus for its jars"
  (cd "$ROOT" && ./mvnw -B -q -DskipTests package) || die "Campus build failed"
fi
CEIL="$ROOT/bench/ceiling"
build_ceiling() { # target dir, maven args...
  local dir=$1; shift
  if [ ! -f "$CEIL/$dir/quarkus-app/quarkus-run.jar" ] ||
    [ -n "$(find "$CEIL/src" "$CEIL/pom.xml" -newer "$CEIL/$dir/quarkus-app/quarkus-run.jar" -print -quit)" ]; then
    say "packaging bench/ceiling $*"
    "$ROOT/mvnw" -B -q -f "$CEIL/pom.xml" package -DskipTests "$@" || die "ceiling build failed"
  fi
}
build_ceiling target
build_ceiling target-metrics -Pmetrics
build_ceiling target-stack -Pstack

WORK=$(mktemp -d /tmp/campus-ceiling.XXXXXX)
chmod 755 "$WORK"
# Only the jars the floor uses: with all of Campus's (230+) on the class path, Vert.x's service
# lookups open every one of them and add seconds to its start-up that no real deployment pays.
FLOOR_CP=$(find "$LIB" -name '*.jar' | grep -E '/(io\.vertx\.vertx-(core|sql-client|pg-client)-|io\.netty\.|com\.fasterxml\.jackson\.core\.jackson-core-|com\.ongres\.)' | sort | paste -sd:)
# Compiled once here so the floor's start-up time is not the source launcher's compile time.
javac -nowarn -cp "$FLOOR_CP" -d "$WORK/floor" "$ROOT/bench/floor/FloorServer.java" 2>"$WORK/javac.log" ||
  die "javac: $(tail -5 "$WORK/javac.log")"

# ------------------------------------------------------------------------ processes, ports
PIDS=()
PG_STARTED=0
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  local rc=$?
  set +e
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
  [ "$PG_STARTED" = 1 ] && as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m fast -w stop >/dev/null 2>&1
  if [ "${CEILING_KEEP_WORK:-0}" = 1 ]; then say "work dir kept: $WORK"; else rm -rf "$WORK"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

USED=" "
free_port() { # variable name
  local p
  for _ in $(seq 1 500); do
    p=$((20000 + RANDOM % 12000))
    case "$USED" in *" $p "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then USED="$USED$p "; printf -v "$1" %s "$p"; return; fi
  done
  die "no free port"
}

free_port PG_PORT
mkdir -p "$WORK/pg"
[ "$(id -u)" = 0 ] && chown postgres "$WORK/pg"
as_pg "$PGBIN/initdb" -D "$WORK/pg/data" -U postgres -A trust --no-locale >"$WORK/initdb.log" 2>&1 || die "initdb failed"
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/pg.log" -w -t 60 \
  -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1" start >/dev/null || die "PostgreSQL did not start"
PG_STARTED=1

# The stack variant's Redis: in the work dir, no persistence; stopped with the servers on exit.
free_port REDIS_PORT
mkdir -p "$WORK/redis"
(cd "$WORK/redis" && exec redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
  --dir "$WORK/redis" >"$WORK/redis/redis.log" 2>&1) &
PIDS+=("$!")
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null && break; sleep 0.05; done
(exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null || die "redis-server did not start: $(tail -3 "$WORK/redis/redis.log")"

# Starts one server in the background (pid in $PID; the java process itself, for /proc reads).
start() { # name port mgmt-port log
  case "$1" in
    floor) java -Xss512k -cp "$WORK/floor:$FLOOR_CP" FloorServer "$2" 127.0.0.1 "$PG_PORT" postgres postgres >"$4" 2>&1 & ;;
    rest) java -Dquarkus.http.port="$2" -Dquarkus.management.port="$3" -jar "$CEIL/target/quarkus-app/quarkus-run.jar" >"$4" 2>&1 & ;;
    rest+metrics) java -Dquarkus.http.port="$2" -Dquarkus.management.port="$3" \
      -jar "$CEIL/target-metrics/quarkus-app/quarkus-run.jar" >"$4" 2>&1 & ;;
    # Its first launch applies the Flyway migration (one small table); later ones find it applied,
    # as a redeployed app does.
    stack) java -Dquarkus.http.port="$2" -Dquarkus.management.port="$3" \
      -Dquarkus.datasource.reactive.url="postgresql://127.0.0.1:$PG_PORT/postgres" \
      -Dquarkus.datasource.jdbc.url="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres" \
      -Dquarkus.redis.hosts="redis://127.0.0.1:$REDIS_PORT" \
      -jar "$CEIL/target-stack/quarkus-app/quarkus-run.jar" >"$4" 2>&1 & ;;
  esac
  PID=$!
  PIDS+=("$PID")
}
stop() { # pid; dropped from PIDS so the exit trap never signals a recycled pid
  kill -TERM "$1" 2>/dev/null
  wait "$1" 2>/dev/null || true
  local keep=() p
  for p in "${PIDS[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
SERVERS=(floor rest rest+metrics stack)

# ---------------------------------------------------------------- start-up time and memory
# Alternated (floor, rest, rest+metrics, stack, floor, ...) so machine noise lands on all alike.
# Time: from just before the java launch to the first 200 on GET /json (polled every ~20 ms).
for r in $(seq 1 "$REPS"); do
  for s in "${SERVERS[@]}"; do
    free_port P; free_port M
    t0=$(date +%s%3N)
    start "$s" "$P" "$M" "$WORK/start-$s-$r.log"
    until curl -fs -o /dev/null "http://127.0.0.1:$P/json"; do
      kill -0 "$PID" 2>/dev/null || die "$s exited: $(tail -5 "$WORK/start-$s-$r.log")"
      [ $(($(date +%s%3N) - t0)) -lt 60000 ] || die "$s not up after 60 s"
      sleep 0.02
    done
    echo $(($(date +%s%3N) - t0)) >>"$WORK/start-$s"
    for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$P/json"; done
    awk '/VmRSS/ {print $2 / 1024}' "/proc/$PID/status" >>"$WORK/rss-$s"
    if [ "$s" = stack ] && [ "$r" = 1 ]; then # (after the RSS reading) the stack really works
      grep -q 'Successfully applied 1 migration' "$WORK/start-$s-$r.log" || die "stack: no Flyway migration: $(tail -5 "$WORK/start-$s-$r.log")"
      curl -fs -o /dev/null "http://127.0.0.1:$P/world/1" || die "stack: GET /world/1 failed: $(tail -5 "$WORK/start-$s-$r.log")"
      curl -fs -o /dev/null "http://127.0.0.1:$M/q/health/ready" || die "stack: health not ready"
      curl -fs -o /dev/null "http://127.0.0.1:$M/q/metrics" || die "stack: no metrics"
      curl -fs -o /dev/null "http://127.0.0.1:$M/q/openapi" || die "stack: no OpenAPI document" # management port
    fi
    stop "$PID"
    say "start-up $s #$r: $(tail -1 "$WORK/start-$s") ms, RSS $(tail -1 "$WORK/rss-$s") MiB"
  done
done

# ------------------------------------------------------------------------------ throughput
declare -A URL
for s in "${SERVERS[@]}"; do
  free_port P; free_port M
  start "$s" "$P" "$M" "$WORK/$s.log"
  for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$P/json" && break; sleep 0.1; done
  curl -fs -o /dev/null "http://127.0.0.1:$P/json" || die "$s not answering: $(tail -5 "$WORK/$s.log")"
  URL[$s]="http://127.0.0.1:$P/json"
done
# The JIT's first seconds would otherwise fall on the first repetition only.
for s in "${SERVERS[@]}"; do wrk -t2 -c32 -d5s "${URL[$s]}" >/dev/null; done

# wrk as in bench/lib/bench.mjs: two threads (the machine has two cores, shared with the server).
for c in $CONNS; do
  for r in $(seq 1 "$REPS"); do
    for s in "${SERVERS[@]}"; do
      out=$(wrk -t2 -c"$c" -d"${DUR}s" --timeout 5s --latency "${URL[$s]}")
      bad=$(echo "$out" | awk '/Non-2xx|Socket errors/' | tr '\n' ' ')
      rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
      p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
      echo "$rps" >>"$WORK/rps-$s-$c"
      echo "$p99" >>"$WORK/p99-$s-$c"
      say "wrk c=$c $s #$r: $rps req/s, p99 $p99 ${bad}"
      [ -z "$bad" ] || echo "$s c=$c #$r: $bad" >>"$WORK/errors"
    done
  done
done

# ---------------------------------------------------------------------------------- report
ms() { # p99 as wrk prints it (us/ms/s) -> ms
  awk '{v = $1; if (v ~ /us$/) v = v / 1000; else if (v ~ /ms$/) v = v + 0; else if (v ~ /s$/) v = v * 1000; print v}'
}
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
git -C "$ROOT" diff --quiet HEAD -- bench 2>/dev/null || COMMIT="$COMMIT (+ local changes)"
echo "# Quarkus REST ceiling vs floor server (bench/ceiling.sh)"
echo
echo "$STARTED, commit $COMMIT, $(nproc) cores, $(java -version 2>&1 | head -1 | tr -d '"'), wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}')."
echo "Load average (1/5/15 min) before: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg) (a shared machine: read ratios, not absolutes)."
echo
echo "| wrk (-t2, ${DUR} s, median of $REPS) | conns | req/s (min-max) | p99 ms | ÷ floor |"
echo "|---|---|---|---|---|"
for c in $CONNS; do
  floor=$(median <"$WORK/rps-floor-$c")
  for s in "${SERVERS[@]}"; do
    m=$(median <"$WORK/rps-$s-$c")
    range=$(sort -n "$WORK/rps-$s-$c" | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.0f-%.0f", lo, hi}')
    p99=$(ms <"$WORK/p99-$s-$c" | median)
    echo "| $s GET /json | $c | $(printf %.0f "$m") ($range) | $p99 | $(awk -v a="$m" -v b="$floor" 'BEGIN {printf "%.2f", a / b}') |"
  done
done
echo
echo "| JDK 17, median of $REPS | start to first GET /json 200 (ms) | ÷ floor | RSS after 100 requests (MiB) | ÷ floor |"
echo "|---|---|---|---|---|"
fstart=$(median <"$WORK/start-floor")
frss=$(median <"$WORK/rss-floor")
for s in "${SERVERS[@]}"; do
  st=$(median <"$WORK/start-$s")
  rss=$(median <"$WORK/rss-$s")
  range=$(sort -n "$WORK/start-$s" | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%d-%d", lo, hi}')
  echo "| $s | $st ($range) | $(awk -v a="$st" -v b="$fstart" 'BEGIN {printf "%.2f", a / b}') |" \
    "$(printf %.0f "$rss") | $(awk -v a="$rss" -v b="$frss" 'BEGIN {printf "%.2f", a / b}') |"
done
echo
[ -f "$WORK/errors" ] && { echo "wrk errors:"; sed 's/^/- /' "$WORK/errors"; } || echo "wrk errors: none"
