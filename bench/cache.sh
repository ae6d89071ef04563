#!/usr/bin/env bash
# Cache effect in one run: cold vs warm p50/p99 and throughput for course detail, the mentor student
# list and the dashboard, then hit rates per cache from the app's /q/metrics.
# Writes bench/results/cache.md and .json.
BENCH_STUDENTS=${BENCH_STUDENTS:-120} exec "$(dirname "$0")/run.sh" --name cache detail mentor dashboard cache "$@"
