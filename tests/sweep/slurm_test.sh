#!/usr/bin/env bash
# A sweep submitted to a real single-node Slurm (slurmctld + slurmd + munge on this machine,
# configured here without systemd) as a job array of 4 tasks; its merged table must equal a local
# run's. Installs the Debian packages if missing. Exit 77 (ctest: skipped) only when Slurm cannot
# be installed or started here (not root, no package access), with the reason on stderr.
# Usage: slurm_test.sh <tiersim binary> <source dir>
set -uo pipefail
tiersim="$1"
src="$2"
skip() { echo "SKIP: $*" >&2; exit 77; }

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || \
   ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  [ "$(id -u)" -eq 0 ] || skip "Slurm is not installed and installing needs root"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends slurmctld slurmd \
        slurm-client munge; }; } > /dev/null 2>&1 || skip "cannot install slurmctld/slurmd/munge"
fi

work="$(mktemp -d)"
started_munge=""
cleanup() {
  [ -f "$work/slurmd.pid" ] && kill "$(cat "$work/slurmd.pid")" 2>/dev/null
  [ -f "$work/slurmctld.pid" ] && kill "$(cat "$work/slurmctld.pid")" 2>/dev/null
  [ -n "$started_munge" ] && kill "$started_munge" 2>/dev/null
  sleep 0.5
  if [ -n "${TIERSIM_KEEP_SLURM_TEST:-}" ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# munge: use a running daemon if there is one, else start one with a fresh key.
if ! munge -n </dev/null >/dev/null 2>&1; then
  [ "$(id -u)" -eq 0 ] || skip "munged is not running and starting it needs root"
  mkdir -p /etc/munge /run/munge /var/lib/munge /var/log/munge
  [ -f /etc/munge/munge.key ] || dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null
  chmod 400 /etc/munge/munge.key
  munged --force --pid-file="$work/munged.pid" 2>/dev/null || skip "munged does not start"
  sleep 0.5
  started_munge="$(cat "$work/munged.pid" 2>/dev/null)"
  munge -n </dev/null >/dev/null 2>&1 || skip "munge does not work here"
fi

host="$(hostname -s)"
port=$((20000 + RANDOM % 20000))
mkdir -p "$work/state" "$work/spool"
cat > "$work/slurm.conf" <<CONF
ClusterName=tiersimtest
SlurmctldHost=$host
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
AuthType=auth/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
SlurmctldPort=$port
SlurmdPort=$((port + 1))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$work/slurm.conf"
slurmctld -f "$SLURM_CONF" 2>"$work/ctld.err" || skip "slurmctld does not start: $(cat "$work/ctld.err")"
slurmd -f "$SLURM_CONF" 2>"$work/d.err" || skip "slurmd does not start: $(cat "$work/d.err")"
for _ in $(seq 1 40); do
  [ "$(sinfo -h -o %t 2>/dev/null)" = "idle" ] && break
  sleep 0.5
done
[ "$(sinfo -h -o %t 2>/dev/null)" = "idle" ] || skip "the Slurm node did not come up: $(tail -3 "$work/slurmd.log")"

set -e
cd "$work"
cat > sweep.yaml <<YAML
name: slurmtest
base: $src/configs/experiments/quickstart.yaml
output: $work/slurm_out
# Small workloads (about 1 s a point under ASan; the quickstart's own took 34 s and brought the
# sanitizer pass's run of this test to 253 s of its 300 s limit on a slow machine). What is
# tested is the job array and the merge, not the memory model.
set:
  - output.requests=false
  - "workloads=[{name: weights, type: synthetic, pattern: sequential, requests: 256, size: 4 KiB, footprint: 1 MiB, source: host, target: hbm, max_outstanding: 1}, {name: background, type: synthetic, pattern: random, requests: 2000, size: 64 B, read_fraction: 0.67, interval: 2 ns, footprint: 1 GiB, base_address: 4 GiB, source: host, target: hbm, max_outstanding: 4}]"
grid:
  workloads.0.max_outstanding: [1, 2, 4, 8]
  workloads.1.max_outstanding: [4, 16]
YAML
sed "s|output: $work/slurm_out|output: $work/local_out|" sweep.yaml > local.yaml
out="$("$tiersim" sweep sweep.yaml --backend slurm --chunk-size 2 --wait)"
echo "$out"
echo "$out" | grep -q "(4 tasks, 8 points)" || { echo "expected an array of 4 tasks"; exit 1; }
[ "$(ls slurm_out/slurm/*.log | wc -l)" -eq 4 ] || { echo "expected 4 task logs"; exit 1; }
"$tiersim" sweep local.yaml -j 2 -q > /dev/null
cmp slurm_out/summary.csv local_out/summary.csv || { echo "Slurm and local tables differ"; exit 1; }
[ "$(($(wc -l < slurm_out/summary.csv) - 1))" -eq 8 ] || { echo "expected 8 rows"; exit 1; }
echo "ok: Slurm job array of 4 tasks, merged table equals the local run's"
