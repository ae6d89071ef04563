#!/usr/bin/env bash
# Runs a command inside a cgroup limited to MEMORY (e.g. 1536M) and CPUS (e.g. 2 = two cores), the
# way a Kubernetes container limit does, so the JVM's ergonomics see the pod's limits.
#
#   bench/lib/cgroup-limit.sh MEMORY CPUS command [args...]
#
# Uses systemd-run --scope where systemd runs the machine, else a cgroup of its own (v2 or v1,
# needs root), removed again when the command ends.
set -euo pipefail
MEM=$1 CPUS=$2; shift 2
bytes() { numfmt --from=iec "$1"; }
if [ "$(ps -p 1 -o comm= 2>/dev/null)" = systemd ]; then
  exec systemd-run --scope --quiet -p MemoryMax="$MEM" -p CPUQuota="$((CPUS * 100))%" "$@"
fi
NAME=campus-bench-$$
PERIOD=100000
QUOTA=$((CPUS * PERIOD))
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  DIR=/sys/fs/cgroup/$NAME
  mkdir "$DIR"
  trap 'echo $$ >/sys/fs/cgroup/cgroup.procs; rmdir "$DIR" 2>/dev/null || true' EXIT
  echo "$(bytes "$MEM")" >"$DIR/memory.max"
  echo "$QUOTA $PERIOD" >"$DIR/cpu.max"
  echo $$ >"$DIR/cgroup.procs"
else
  MDIR=/sys/fs/cgroup/memory/$NAME CDIR=/sys/fs/cgroup/cpu/$NAME
  mkdir "$MDIR" "$CDIR"
  trap 'echo $$ >/sys/fs/cgroup/memory/cgroup.procs; echo $$ >/sys/fs/cgroup/cpu/cgroup.procs
    rmdir "$MDIR" "$CDIR" 2>/dev/null || true' EXIT
  echo "$(bytes "$MEM")" >"$MDIR/memory.limit_in_bytes"
  echo "$PERIOD" >"$CDIR/cpu.cfs_period_us"
  echo "$QUOTA" >"$CDIR/cpu.cfs_quota_us"
  echo $$ >"$MDIR/cgroup.procs"
  echo $$ >"$CDIR/cgroup.procs"
fi
# Not exec: the trap removes the cgroup once the command has ended. SIGTERM/SIGINT are passed on,
# so stopping this wrapper stops the command (e.g. the app's graceful shutdown).
"$@" &
CHILD=$!
trap 'kill -TERM "$CHILD" 2>/dev/null || true' TERM INT
RC=0
wait "$CHILD" || RC=$?
while kill -0 "$CHILD" 2>/dev/null; do wait "$CHILD" || RC=$?; done
exit "$RC"
