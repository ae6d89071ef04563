#!/usr/bin/env bash
# Learning paths in one run: bulk of 100 assessments vs 100 single submissions (time per 100, ratio,
# SQL statements), the mentor student list and the dashboard (cold and warm p50/p99), each with its
# ratio to the seed reports and to the floors. Writes bench/results/learning.md and .json.
BENCH_STUDENTS=${BENCH_STUDENTS:-120} exec "$(dirname "$0")/run.sh" --name learning mentor dashboard assessments "$@"
