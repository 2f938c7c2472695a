#!/usr/bin/env bash
# The OpenCL tests and the OpenCL benchmark on a GPU machine, in one go.
#
#   bench/device-check.sh prepare          here: build Release and pack into .device/ what a bare GPU machine lacks
#                                          (the .NET runtime, the test runner, the build outputs, the OpenCL loader)
#   bench/device-check.sh run [n …]        there: unpack, find the GPU's OpenCL driver, run the OpenCL tests with
#                                          HPCGB_REQUIRE_OPENCL=1, then `bench -- opencl` (default n = 1e4 … 1e7)
#
# With the device tool: run `prepare` here, then one call with carry [".device"] and the command
# `bench/device-check.sh run 2>&1 | tee $OUT/device-check.log` (about 5–8 minutes; timeout_s 540).
# The pack is about 60 MB compressed (the tool carries at most 64 MiB with the working tree).
set -euo pipefail
cd "$(dirname "$0")/.."
pack=.device

prepare() {
    dotnet build HpcGB.sln -c Release
    rm -rf "$pack"
    mkdir -p "$pack"
    local root sdk
    root=$(dirname "$(readlink -f "$(command -v dotnet)")")
    sdk=$(ls -d "$root"/sdk/*/ | sort -V | tail -1)
    # The runtime (with ASP.NET: the benchmark references the host) and vstest.console with what it loads.
    tar -C "$root" -cf - dotnet host shared/Microsoft.NETCore.App shared/Microsoft.AspNetCore.App | xz -T0 -6 > "$pack/dotnet.tar.xz"
    (cd "$sdk" && tar -cf - vstest.console* testhost* Microsoft.TestPlatform.*.dll Microsoft.VisualStudio.TestPlatform.*.dll \
        Microsoft.Extensions.FileSystemGlobbing.dll Microsoft.Extensions.DependencyModel.dll Newtonsoft.Json.dll NuGet.Frameworks.dll \
        Extensions) | xz -T0 -6 > "$pack/vstest.tar.xz"
    # The build outputs (the VkFFT shim included; the benchmark without its plotting natives).
    tar -cf - --exclude=runtimes bench/HpcGB.Bench/bin/Release/net10.0 tests/HpcGB.Engine.Tests/bin/Release/net10.0 \
        tests/HpcGB.Interop.Tests/bin/Release/net10.0 | xz -T0 -6 > "$pack/build.tar.xz"
    # The OpenCL ICD loader, in case the GPU image has none.
    (cd "$pack" && apt-get download ocl-icd-libopencl1 >/dev/null)
    du -sh "$pack"
}

run() {
    local sizes=("$@")
    [ ${#sizes[@]} -gt 0 ] || sizes=(10000 30000 100000 300000 1000000 10000000)
    local work=/tmp/hpcgb-device
    mkdir -p "$work/dotnet" "$work/vstest"
    tar -C "$work/dotnet" -xJf "$pack/dotnet.tar.xz"
    tar -C "$work/vstest" -xJf "$pack/vstest.tar.xz"
    tar -xJf "$pack/build.tar.xz"
    export DOTNET_ROOT="$work/dotnet" PATH="$work/dotnet:$PATH" DOTNET_CLI_TELEMETRY_OPTOUT=1 HPCGB_REQUIRE_OPENCL=1

    # The loader: the system's, else the packed one.
    if ! ldconfig -p | grep -q 'libOpenCL.so.1'; then
        dpkg -x "$pack"/ocl-icd-libopencl1_*.deb "$work/ocl"
        export LD_LIBRARY_PATH="$work/ocl/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}"
    fi
    # The NVIDIA driver's OpenCL library, registered for the loader when the image has no .icd file for it.
    if ! ls /etc/OpenCL/vendors/*.icd >/dev/null 2>&1; then
        local library
        library=$(find /usr/local/nvidia /usr/lib /usr/lib64 -name 'libnvidia-opencl.so*' 2>/dev/null | head -1 || true)
        if [ -n "$library" ]; then
            mkdir -p "$work/vendors"
            echo "$library" > "$work/vendors/nvidia.icd"
            export OCL_ICD_VENDORS="$work/vendors"
        fi
    fi
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true

    local runner=(dotnet "$work/vstest/vstest.console.dll" --logger:"console;verbosity=normal")
    local status=0
    "${runner[@]}" tests/HpcGB.Interop.Tests/bin/Release/net10.0/HpcGB.Interop.Tests.dll --TestCaseFilter:"FullyQualifiedName~OpenCl" || status=1
    "${runner[@]}" tests/HpcGB.Engine.Tests/bin/Release/net10.0/HpcGB.Engine.Tests.dll \
        --TestCaseFilter:"DisplayName~opencl|FullyQualifiedName~OpenCl" || status=1
    dotnet bench/HpcGB.Bench/bin/Release/net10.0/HpcGB.Bench.dll opencl "${sizes[@]}" || status=1
    return $status
}

case "${1:-}" in
    prepare) prepare ;;
    run) shift; run "$@" ;;
    *) echo "usage: bench/device-check.sh prepare | run [n …]" >&2; exit 2 ;;
esac
