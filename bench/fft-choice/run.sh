#!/usr/bin/env bash
# clFFT against VkFFT on the first OpenCL device (docs/opencl.md, "Choosing the FFT"): double-precision 2D real
# forward + inverse transforms of the PME mesh sizes. Needs gcc, libclfft-dev, libvkfft-dev, opencl-c-headers and
# ocl-icd-opencl-dev (not installed by CI: this choice is made once, by hand).  Usage: bench/fft-choice/run.sh [M …]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cc -O2 -w -o "$work/clfft" "$here/clfft.c" -lclFFT -lOpenCL -lm
cc -O2 -w -o "$work/vkfft" "$here/vkfft.c" -lOpenCL -lm
meshes=("$@")
[ ${#meshes[@]} -gt 0 ] || meshes=(1000 3200)
echo "$(date -u +%F), load $(cut -d' ' -f1-3 /proc/loadavg)"
for m in "${meshes[@]}"; do
    "$work/vkfft" "$m" 5
    "$work/clfft" "$m" 5
done
