#!/usr/bin/env bash
# Startup benchmark: plain JVM vs JVM + JDK 25 AOT cache, measured in the same run.
#
# For each mode it launches the packaged application (target/quarkus-app), takes the time from
# process start to the first successful GET /api/courses, sends 100 more requests and reads the
# resident set size. Modes alternate for ROUNDS rounds; medians are printed side by side.
#
# It starts its own embedded PostgreSQL and Redis (the dev-mode stand-ins) on free ports and stops
# them at the end; it never touches servers already running on the machine.
#
#   bench/startup.sh                 # build with -Paot (trains the cache), then measure
#   SKIP_BUILD=1 bench/startup.sh    # measure the existing target/quarkus-app (must hold app.aot)
#   ROUNDS=7 bench/startup.sh
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
JAVA25_HOME=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAVA="$JAVA25_HOME/bin/java"
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

# One unmeasured start applies the migrations and loads a small demo catalogue.
run_app() { # mode log; sets APP_PID
  local mode=$1 log=$2 flags=()
  [[ $mode == aot ]] && flags=(-XX:AOTCache=app.aot -XX:AOTMode=on)
  (cd "$APP" && exec env \
    QUARKUS_HTTP_PORT="$HTTP_PORT" QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_MANAGEMENT_PORT="$MANAGEMENT_PORT" QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
    QUARKUS_SHUTDOWN_DELAY_ENABLED=false CAMPUS_OPS_RATE_LIMIT_ENABLED=false \
    CAMPUS_DEMO_LOAD_ON_START="${DEMO:-false}" CAMPUS_DEMO_USERS=200 CAMPUS_DEMO_MENTORS=10 \
    CAMPUS_DEMO_COURSES=50 CAMPUS_DEMO_ENROLLMENTS=500 CAMPUS_DEMO_LESSON_PROGRESS=1000 \
    "$JAVA" "${flags[@]}" -jar quarkus-run.jar > "$log" 2>&1) &
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
  local mode=$1 log="$WORK/$1-$2.log" start pid code=000 elapsed rss cpu
  HTTP_PORT=$(free_port)
  MANAGEMENT_PORT=$(free_port)
  start=$(now_ms)
  run_app "$mode" "$log"
  pid=$APP_PID
  until [[ $code == 200 ]]; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the $mode run exited early:" >&2
      tail -20 "$log" >&2
      exit 1
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/api/courses" || true)
    [[ $code == 200 ]] || sleep 0.01
    if (($(now_ms) - start > 120000)); then echo "no answer after 120 s" >&2; exit 1; fi
  done
  elapsed=$(($(now_ms) - start))
  cpu=$(cpu_ms "$pid")
  local urls=()
  for _ in $(seq 1 "$REQUESTS"); do urls+=("http://127.0.0.1:$HTTP_PORT/api/courses"); done
  curl -s "${urls[@]}" > /dev/null
  rss=$(($(ps -o rss= -p "$pid") / 1024))
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  RESULT="$elapsed $rss $cpu"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)) }'; }

echo "== warm-up start (migrations, demo data; not measured)"
DEMO=true measure jvm warmup

echo "== $ROUNDS rounds, alternating"
: > "$WORK/jvm.txt"
: > "$WORK/aot.txt"
for round in $(seq 1 "$ROUNDS"); do
  for mode in jvm aot; do
    measure "$mode" "$round"
    echo "$RESULT" >> "$WORK/$mode.txt"
    printf '   round %d %-4s start %5d ms  rss %4d MB  cpu %5d ms\n' "$round" "$mode" $RESULT
  done
done

jvm_start=$(cut -d' ' -f1 "$WORK/jvm.txt" | median)
aot_start=$(cut -d' ' -f1 "$WORK/aot.txt" | median)
jvm_rss=$(cut -d' ' -f2 "$WORK/jvm.txt" | median)
aot_rss=$(cut -d' ' -f2 "$WORK/aot.txt" | median)
jvm_cpu=$(cut -d' ' -f3 "$WORK/jvm.txt" | median)
aot_cpu=$(cut -d' ' -f3 "$WORK/aot.txt" | median)
echo
echo "$("$JAVA" -version 2>&1 | sed -n 2p), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg), median of $ROUNDS"
printf '%-34s %12s %18s\n' "" "JVM" "JVM + AOT cache"
printf '%-34s %9d ms %15d ms\n' "start to first GET /api/courses" "$jvm_start" "$aot_start"
printf '%-34s %9d ms %15d ms\n' "CPU time until then (user+sys)" "$jvm_cpu" "$aot_cpu"
printf '%-34s %9d MB %15d MB\n' "RSS after $REQUESTS requests" "$jvm_rss" "$aot_rss"
printf '%-34s %12s %17s\n' "start-up time saved" "" \
  "$(awk -v a="$jvm_start" -v b="$aot_start" 'BEGIN { printf "%.0f%%", 100 * (a - b) / a }')"
