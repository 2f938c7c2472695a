#!/usr/bin/env bash
# Instructions of one fast-path stage, deterministic on a shared machine (wall times there are not):
#   bench/count.sh log|edge n full|near|mesh [dll [energy] [peer]]   (options as in InstructionCount.cs)
# runs the stage once and three times under callgrind (valgrind has no AVX-512: the AVX2 path runs) and prints
# (I(3) − I(1)) / 2, the instructions of one evaluation after the set-up.
#
# --smc-check=all is needed, not an option. CoreCLR's executable memory is, with W^X (the default), a shared memfd
# mapping (/memfd:doublemapper in /proc/PID/maps), which valgrind counts as file-backed, and its default
# --smc-check=all-non-file never re-translates code written there after it first ran. The runtime patches such code
# (e.g. the copy of the GC write barrier, with the heap's bounds in it, when the heap grows), valgrind goes on running
# the stale version, references escape the GC's updates and the heap is corrupt. Seen from n = 16384 on
# (CellList.ParallelThreshold: the near field on several threads) as an abort in FftwBuffer.Dispose at exit (status
# 134: a NullReferenceException in an object whose reference had gone stale), a corrupt NearFieldEvaluator at the
# second evaluation, or a death in the set-up (n = 50000). Not a bug of ours: natively (also on the AVX2 path and with
# another thread forcing compacting GCs throughout), under valgrind with --smc-check=all, with
# DOTNET_EnableWriteXorExecute=0, with one processor or with a gen0 budget that avoids every GC, the same runs finish,
# and natively and under --smc-check=all with the same forces bit for bit. The check costs valgrind time (~20 %), not
# counted instructions (n = 4096 near: 26.70 and 26.67 M with it, 26.64 and 26.97 M without: run-to-run noise).
# A run that fails anyway is reported in one line (its log kept) instead of a silent exit.
set -euo pipefail
kernel=$1 n=$2 stage=$3
dll=${4:-bench/HpcGB.Bench/bin/Release/net10.0/HpcGB.Bench.dll}
options=("${@:5}")
out=$(mktemp -d)
count() {
  local log="$out/run$1.log" status=0
  DOTNET_TieredCompilation=0 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 \
    valgrind --tool=callgrind --smc-check=all --callgrind-out-file="$out/cg.%p" \
    dotnet "$dll" count "$kernel" "$n" "$stage" "$1" "${options[@]}" >"$log" 2>&1 || status=$?
  local collected
  collected=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$log")
  if [[ $status -ne 0 || -z $collected ]] || ! grep -q " × $1: " "$log"; then
    echo "count.sh: the run with $1 evaluation(s) failed under valgrind (status $status); its log: $log" >&2
    exit 1
  fi
  echo "$collected"
}
one=$(count 1)
three=$(count 3)
echo "$kernel n=$n $stage ${options[*]}: $(( (three - one) / 2 )) instructions per evaluation (I1=$one I3=$three)"
rm -rf "$out"
