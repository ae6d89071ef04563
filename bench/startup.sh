#!/usr/bin/env bash
# Startup benchmark, all modes measured in the same run, alternating:
#   - Campus on JDK 25, plain JVM vs JVM + AOT cache (app.aot);
#   - Campus on JDK 17 (plain JVM) vs the floor server (bench/floor/FloorServer.java: raw Vert.x
#     HTTP + one PostgreSQL connection per event loop, on the app's own jars) on the same JDK 17.
#
# For each mode it launches the process, takes the time from process start to the first
# successful response (Campus: GET /api/courses; floor: GET /db, one row by key), sends 100 more
# requests and reads the resident set size. Modes alternate for ROUNDS rounds; medians are printed
# side by side, with the Campus/floor ratios for the JDK 17 pair. The floor server is compiled
# once with javac, so the source launcher's compile is not counted in its start-up.
#
# It starts its own embedded PostgreSQL and Redis (the dev-mode stand-ins) on free ports and stops
# them at the end; it never touches servers already running on the machine.
#
#   bench/startup.sh                 # build with -Paot (trains the cache), then measure
#   SKIP_BUILD=1 bench/startup.sh    # measure the existing target/quarkus-app (must hold app.aot)
#   ROUNDS=7 bench/startup.sh
#   JAVA17=/path/to/jdk17/bin/java bench/startup.sh   # JDK 17 for the Campus/floor pair (default: java)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
JAVA25_HOME=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA25_HOME/bin/java"
JAVA17=${JAVA17:-java}
JAVAC17=${JAVAC17:-$(dirname "$(readlink -f "$(command -v "$JAVA17")")")/javac}
ROUNDS=${ROUNDS:-5}
REQUESTS=100
WORK=$(mktemp -d /tmp/campus-bench.XXXXXX)
APP="$ROOT/target/quarkus-app"
PIDS=()

cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

"$JAVA" -version 2>&1 | grep -q 'version "2[5-9]' || {
  echo "JDK 25 or later needed at $JAVA25_HOME (set JAVA25_HOME)" >&2
  exit 1
}

"$JAVA17" -version 2>&1 | grep -q 'version "17' || {
  echo "JDK 17 needed as $JAVA17 (set JAVA17)" >&2
  exit 1
}
command -v psql > /dev/null || { echo "psql needed (creates the floor server's table)" >&2; exit 1; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

echo "== stand-in PostgreSQL and Redis"
JAVA_HOME="$JAVA25_HOME" ./mvnw -B -q compile dependency:build-classpath \
  -Dspotless.apply.skip=true -Dmdep.outputFile="$WORK/classpath.txt" > "$WORK/classpath.log" 2>&1 || {
  cat "$WORK/classpath.log" >&2
  exit 1
}
"$JAVA" -cp "$ROOT/target/classes:$(cat "$WORK/classpath.txt")" bench/StandIns.java "$WORK/ports" \
  > "$WORK/standins.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 600); do
  [[ -s "$WORK/ports" ]] && break
  sleep 0.1
done
[[ -s "$WORK/ports" ]] || { cat "$WORK/standins.log" >&2; exit 1; }
read -r PG_PORT REDIS_PORT < "$WORK/ports"
echo "   PostgreSQL on $PG_PORT, Redis on $REDIS_PORT"
export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/postgres"
export QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://127.0.0.1:$PG_PORT/postgres"
export QUARKUS_DATASOURCE_USERNAME=postgres
export QUARKUS_REDIS_HOSTS="redis://127.0.0.1:$REDIS_PORT"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "== build with the AOT cache (JDK 25, trained by the integration tests)"
  JAVA_HOME="$JAVA25_HOME" ./mvnw -B verify -Paot -Dtest=NoSuchTest \
    -Dsurefire.failIfNoSpecifiedTests=false > "$WORK/build.log" 2>&1 || {
    tail -50 "$WORK/build.log" >&2
    exit 1
  }
fi
[[ -f "$APP/app.aot" ]] || { echo "no $APP/app.aot: build with -Paot first" >&2; exit 1; }

# The floor server's one-row-per-key table (as in bench/run.sh), on the stand-in PostgreSQL.
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres)
"${PSQL[@]}" -d postgres -c "create database floor" > /dev/null
"${PSQL[@]}" -d floor -c "create table world (id integer primary key, randomnumber integer not null)" \
  -c "insert into world select i, 1 + (random() * 9999)::int from generate_series(1, 10000) i" \
  -c "vacuum analyze world" > /dev/null
mkdir -p "$WORK/floor-classes"
"$JAVAC17" -nowarn -d "$WORK/floor-classes" -cp "$APP/lib/main/*" bench/floor/FloorServer.java

# Modes: jvm, aot (Campus on JDK 25), jvm17 (Campus on JDK 17), floor17 (floor server on JDK 17).

# One unmeasured start applies the migrations and loads a small demo catalogue.
run_app() { # mode log; sets APP_PID
  local mode=$1 log=$2 flags=() java=$JAVA
  [[ $mode == aot ]] && flags=(-XX:AOTCache=app.aot -XX:AOTMode=on)
  [[ $mode == jvm17 ]] && java=$JAVA17
  if [[ $mode == floor17 ]]; then
    "$JAVA17" -cp "$WORK/floor-classes:$APP/lib/main/*" FloorServer \
      "$HTTP_PORT" 127.0.0.1 "$PG_PORT" floor postgres > "$log" 2>&1 &
    APP_PID=$!
    PIDS+=("$APP_PID")
    return
  fi
  (cd "$APP" && exec env \
    QUARKUS_HTTP_PORT="$HTTP_PORT" QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_MANAGEMENT_PORT="$MANAGEMENT_PORT" QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
    QUARKUS_SHUTDOWN_DELAY_ENABLED=false CAMPUS_OPS_RATE_LIMIT_ENABLED=false \
    CAMPUS_DEMO_LOAD_ON_START="${DEMO:-false}" CAMPUS_DEMO_USERS=200 CAMPUS_DEMO_MENTORS=10 \
    CAMPUS_DEMO_COURSES=50 CAMPUS_DEMO_ENROLLMENTS=500 CAMPUS_DEMO_LESSON_PROGRESS=1000 \
    "$java" "${flags[@]}" -jar quarkus-run.jar > "$log" 2>&1) &
  APP_PID=$!
  PIDS+=("$APP_PID")
}

now_ms() { date +%s%3N; }

# CPU time (user + system) the process has used, in ms: unlike wall time, it barely depends on
# what else the machine is running.
cpu_ms() {
  awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"
}

measure() { # mode round; sets RESULT="startup_ms rss_mb cpu_ms"
  local mode=$1 log="$WORK/$1-$2.log" start pid code=000 elapsed rss cpu url
  HTTP_PORT=$(free_port)
  MANAGEMENT_PORT=$(free_port)
  start=$(now_ms)
  run_app "$mode" "$log"
  pid=$APP_PID
  url="http://127.0.0.1:$HTTP_PORT/api/courses"
  [[ $mode == floor17 ]] && url="http://127.0.0.1:$HTTP_PORT/db"
  until [[ $code == 200 ]]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the $mode run exited early:" >&2
      tail -20 "$log" >&2
      exit 1
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)
    [[ $code == 200 ]] || sleep 0.01
    if (($(now_ms) - start > 120000)); then echo "no answer after 120 s" >&2; exit 1; fi
  done
  elapsed=$(($(now_ms) - start))
  cpu=$(cpu_ms "$pid")
  local urls=()
  for _ in $(seq 1 "$REQUESTS"); do urls+=("$url"); done
  curl -s "${urls[@]}" > /dev/null
  rss=$(($(ps -o rss= -p "$pid") / 1024))
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  RESULT="$elapsed $rss $cpu"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)) }'; }

echo "== warm-up starts (migrations, demo data, file cache of both JDKs; not measured)"
DEMO=true measure jvm warmup
measure jvm17 warmup
measure floor17 warmup

MODES=(jvm aot jvm17 floor17)
echo "== $ROUNDS rounds, alternating ${MODES[*]}"
for mode in "${MODES[@]}"; do : > "$WORK/$mode.txt"; done
for round in $(seq 1 "$ROUNDS"); do
  for mode in "${MODES[@]}"; do
    measure "$mode" "$round"
    echo "$RESULT" >> "$WORK/$mode.txt"
    printf '   round %d %-7s start %5d ms  rss %4d MB  cpu %5d ms\n' "$round" "$mode" $RESULT
  done
done

# stat mode column: median of that column over the rounds
stat() { cut -d' ' -f"$2" "$WORK/$1.txt" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
jvm_start=$(stat jvm 1) aot_start=$(stat aot 1) j17_start=$(stat jvm17 1) floor_start=$(stat floor17 1)
jvm_rss=$(stat jvm 2) aot_rss=$(stat aot 2) j17_rss=$(stat jvm17 2) floor_rss=$(stat floor17 2)
jvm_cpu=$(stat jvm 3) aot_cpu=$(stat aot 3) j17_cpu=$(stat jvm17 3) floor_cpu=$(stat floor17 3)
echo
echo "$(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), median of $ROUNDS"
echo "$("$JAVA" -version 2>&1 | sed -n 2p)"
printf '%-34s %12s %18s\n' "" "JVM" "JVM + AOT cache"
printf '%-34s %9d ms %15d ms\n' "start to first GET /api/courses" "$jvm_start" "$aot_start"
printf '%-34s %9d ms %15d ms\n' "CPU time until then (user+sys)" "$jvm_cpu" "$aot_cpu"
printf '%-34s %9d MB %15d MB\n' "RSS after $REQUESTS requests" "$jvm_rss" "$aot_rss"
printf '%-34s %12s %17s\n' "start-up time saved" "" \
  "$(awk -v a="$jvm_start" -v b="$aot_start" 'BEGIN { printf "%.0f%%", 100 * (a - b) / a }')"
echo
echo "$("$JAVA17" -version 2>&1 | sed -n 2p)"
printf '%-34s %12s %18s %14s\n' "" "Campus JVM" "floor server" "Campus/floor"
printf '%-34s %9d ms %15d ms %14s\n' "start to first response" "$j17_start" "$floor_start" \
  "$(ratio "$j17_start" "$floor_start")"
printf '%-34s %9d ms %15d ms %14s\n' "CPU time until then (user+sys)" "$j17_cpu" "$floor_cpu" \
  "$(ratio "$j17_cpu" "$floor_cpu")"
printf '%-34s %9d MB %15d MB %14s\n' "RSS after $REQUESTS requests" "$j17_rss" "$floor_rss" \
  "$(ratio "$j17_rss" "$floor_rss")"
echo "(Campus: GET /api/courses; floor: GET /db. RSS of JDK 25 + AOT / JDK 17 Campus:" \
  "$(ratio "$aot_rss" "$j17_rss"))"
