using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using HpcGB.Interop.OpenCl;

namespace HpcGB.Interop;

/// <summary>
/// What this machine offers the engine: SIMD instruction sets and vector widths the JIT accelerates,
/// the runtime and OS, the core count, the optional native libraries (FFTW, OpenCL) and the OpenCL devices.
/// Detected once with <see cref="Detect"/>; reported by <c>hpcgb info</c> and in every run's summary.
/// </summary>
public sealed record Capabilities(
    bool Avx2,
    bool Fma,
    bool Avx512F,
    bool Vector128Accelerated,
    bool Vector256Accelerated,
    bool Vector512Accelerated,
    string Runtime,
    string OperatingSystem,
    string Architecture,
    int ProcessorCount,
    IReadOnlyList<NativeLibraryStatus> NativeLibraries,
    OpenClReport OpenCl)
{
    /// <summary>The widest vector type the JIT accelerates here, in bits (0 when none).</summary>
    public int WidestVectorBits =>
        Vector512Accelerated ? 512 : Vector256Accelerated ? 256 : Vector128Accelerated ? 128 : 0;

    /// <summary>Reads the hardware and runtime flags and probes the native libraries.</summary>
    /// <remarks>
    /// The intrinsic flags honour the runtime switches (<c>DOTNET_EnableAVX2=0</c>, <c>DOTNET_EnableAVX512F=0</c>,
    /// <c>DOTNET_EnableHWIntrinsic=0</c>), so they describe what the JIT will actually use, not only the CPU.
    /// </remarks>
    public static Capabilities Detect() => new(
        Avx2: System.Runtime.Intrinsics.X86.Avx2.IsSupported,
        Fma: System.Runtime.Intrinsics.X86.Fma.IsSupported,
        Avx512F: System.Runtime.Intrinsics.X86.Avx512F.IsSupported,
        Vector128Accelerated: Vector128.IsHardwareAccelerated,
        Vector256Accelerated: Vector256.IsHardwareAccelerated,
        Vector512Accelerated: Vector512.IsHardwareAccelerated,
        Runtime: RuntimeInformation.FrameworkDescription,
        OperatingSystem: RuntimeInformation.OSDescription,
        Architecture: RuntimeInformation.ProcessArchitecture.ToString(),
        ProcessorCount: Environment.ProcessorCount,
        NativeLibraries: NativeLibraryProbe.ProbeAll(),
        OpenCl: OpenClReport.Detect());
}
