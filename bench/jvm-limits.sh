#!/usr/bin/env bash
# The cached read (course detail, warm) under the prod pod's limits, once per GC: the one the JVM
# picks by itself there (SerialGC: under 1792 MB), ParallelGC (the image's choice) and G1. Same
# app, same data, each in a cgroup limited like the container (bench/lib/cgroup-limit.sh), with the
# pod's sizing options. Writes bench/results/jvm-limits.md.
#
#   bench/jvm-limits.sh                  (BENCH_DURATION, CAMPUS_DEMO_* as for bench/run.sh)
#
# Knobs: LIMIT_MEMORY (1536M, the prod request = limit), LIMIT_CPUS (2),
# GCS ("SerialGC ParallelGC G1GC").
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LIMIT_MEMORY=${LIMIT_MEMORY:-1536M}
LIMIT_CPUS=${LIMIT_CPUS:-2}
GCS=${GCS:-SerialGC ParallelGC G1GC}
OUT="$ROOT/bench/results/jvm-limits.md"

# What the JVM picks by itself inside these limits.
DEFAULT_GC=$("$ROOT/bench/lib/cgroup-limit.sh" "$LIMIT_MEMORY" "$LIMIT_CPUS" \
  java -XX:MaxRAMPercentage=50 -XX:ActiveProcessorCount="$LIMIT_CPUS" -XX:+PrintFlagsFinal -version 2>/dev/null |
  awk '$2 ~ /^Use(Serial|Parallel|G1|Z|Shenandoah)GC$/ && $4 == "true" {print $2}')
HEAP=$("$ROOT/bench/lib/cgroup-limit.sh" "$LIMIT_MEMORY" "$LIMIT_CPUS" \
  java -XX:MaxRAMPercentage=50 -XX:+PrintFlagsFinal -version 2>/dev/null | awk '$2 == "MaxHeapSize" {print $4}')

{
  echo "# Course detail (cached) under the pod's limits: $LIMIT_MEMORY, $LIMIT_CPUS CPUs"
  echo
  echo "Run $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$ROOT" rev-parse --short HEAD)."
  echo "Inside these limits the JVM picks $DEFAULT_GC by itself; max heap $((HEAP / 1048576)) MiB"
  echo "(-XX:MaxRAMPercentage=50). wrk with ${BENCH_CONC:-32} connections for ${BENCH_DURATION:-10} s."
  echo
  echo "| GC | p50 ms | p99 ms | max ms | req/s |"
  echo "|---|---:|---:|---:|---:|"
} >"$OUT"
for gc in $GCS; do
  name="jvm-limits-$(echo "$gc" | tr '[:upper:]' '[:lower:]')"
  JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=50 -XX:ActiveProcessorCount=$LIMIT_CPUS -XX:+Use$gc" \
    BENCH_APP_WRAPPER="$ROOT/bench/lib/cgroup-limit.sh $LIMIT_MEMORY $LIMIT_CPUS" \
    "$ROOT/bench/run.sh" --name "$name" detail
  node -e '
    const r = require(process.argv[1]).runs.find((x) => x.name === "course detail, warm" && x.tool === "wrk");
    console.log(`| ${process.argv[2]} | ${r.p50} | ${r.p99} | ${r.max} | ${Math.round(r.rps)} |`);
  ' "$ROOT/bench/results/$name.json" "$gc" >>"$OUT"
done
cat "$OUT"
