#!/usr/bin/env bash
# Instructions of one fast-path stage, deterministic on a shared machine (wall times there are not):
#   bench/count.sh log|edge n full|near|mesh [dll [energy] [peer]]   (options as in InstructionCount.cs)
# runs the stage once and three times under callgrind (valgrind has no AVX-512: the AVX2 path runs) and prints
# (I(3) − I(1)) / 2, the instructions of one evaluation after the set-up.
set -euo pipefail
kernel=$1 n=$2 stage=$3
dll=${4:-bench/HpcGB.Bench/bin/Release/net10.0/HpcGB.Bench.dll}
options=("${@:5}")
out=$(mktemp -d)
count() {
  DOTNET_TieredCompilation=0 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 \
    valgrind --tool=callgrind --callgrind-out-file="$out/cg.%p" dotnet "$dll" count "$kernel" "$n" "$stage" "$1" "${options[@]}" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
one=$(count 1)
three=$(count 3)
echo "$kernel n=$n $stage ${options[*]}: $(( (three - one) / 2 )) instructions per evaluation (I1=$one I3=$three)"
rm -rf "$out"
