#!/usr/bin/env bash
# Instructions of one fast-path stage, deterministic on a shared machine (wall times there are not):
#   bench/count.sh log|edge n full|near|mesh [dll [energy] [peer]]   (options as in InstructionCount.cs)
# runs the stage once and three times under callgrind (valgrind has no AVX-512: the AVX2 path runs) and prints
# (I(3) − I(1)) / 2, the instructions of one evaluation after the set-up.
#
# --smc-check=all is needed, not an option: CoreCLR patches machine code inside libcoreclr.so (the GC write barrier's
# card-table and generation bounds, rewritten when the GC heap changes), and valgrind's default all-non-file check
# never sees writes to code in file-backed mappings, so it goes on running the stale barrier. Old-to-young
# references then miss their card marks, a later GC moves young objects without updating those references, and the
# heap is corrupt: from n = 16384 on (CellList.ParallelThreshold: the near field runs on several threads, and the
# heap grows enough to have the barrier rewritten) runs aborted in FftwBuffer.Dispose at exit (status 134; the
# object read there had been moved), threw from a corrupt NearFieldEvaluator at the second evaluation, or died
# in the set-up (n = 50000). Not a bug of ours: without valgrind, and under valgrind with --smc-check=all, the same
# runs finish and give the same forces bit for bit. The check costs valgrind time, not counted instructions.
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
