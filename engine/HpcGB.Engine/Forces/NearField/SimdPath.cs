using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HpcGB.Engine.Forces.NearField;

/// <summary>Instruction set of the fast path's vector loops: the near-field pair loop and the PME stencils.</summary>
public enum SimdPath
{
    /// <summary>The widest accelerated path: <see cref="Avx512"/>, else <see cref="Avx2"/>, else <see cref="Scalar"/>.</summary>
    Auto,

    /// <summary>Eight lanes (<c>Vector512&lt;double&gt;</c>); needs <c>Vector512.IsHardwareAccelerated</c>.</summary>
    Avx512,

    /// <summary>Four lanes (<c>Vector256&lt;double&gt;</c>) with FMA; needs <c>Vector256.IsHardwareAccelerated</c> and FMA.</summary>
    Avx2,

    /// <summary>One lane, plain double arithmetic: the reference; always available.</summary>
    Scalar,
}

/// <summary>
/// The one place where the SIMD path is decided: <c>forces.simd</c> (or <see cref="SimdPath.Auto"/>) is resolved
/// here once, and the near field (<see cref="NearFieldEvaluator"/>) and the mesh
/// (<see cref="Pme.ParticleMeshEwald"/>) both run at the resolved path, so tests can force each path in either. The
/// runtime switches DOTNET_EnableAVX512 = 0, DOTNET_EnableAVX2 = 0 and DOTNET_EnableHWIntrinsic = 0 turn the paths
/// off, and <see cref="SimdPath.Auto"/> follows them.
/// </summary>
public static class SimdPaths
{
    /// <summary>What <see cref="SimdPath.Auto"/> resolves to on this machine and runtime.</summary>
    public static SimdPath Best { get; } =
        Vector512.IsHardwareAccelerated ? SimdPath.Avx512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? SimdPath.Avx2
        : SimdPath.Scalar;

    /// <summary>True when <paramref name="path"/> can run accelerated here (<see cref="SimdPath.Auto"/> and <see cref="SimdPath.Scalar"/> always can).</summary>
    public static bool IsSupported(SimdPath path) => path switch
    {
        SimdPath.Auto or SimdPath.Scalar => true,
        SimdPath.Avx512 => Vector512.IsHardwareAccelerated,
        SimdPath.Avx2 => Vector256.IsHardwareAccelerated && Fma.IsSupported,
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, "unknown SIMD path"),
    };

    /// <summary>
    /// Resolves <see cref="SimdPath.Auto"/> to <see cref="Best"/> and returns a forced path unchanged when this
    /// machine supports it.
    /// </summary>
    /// <exception cref="NotSupportedException">A forced path the hardware or the runtime settings do not support.</exception>
    public static SimdPath Resolve(SimdPath requested)
    {
        if (requested == SimdPath.Auto)
        {
            return Best;
        }
        if (!IsSupported(requested))
        {
            throw new NotSupportedException(
                $"SIMD path {requested} is not supported here (Vector512 accelerated: {Vector512.IsHardwareAccelerated}, " +
                $"Vector256 accelerated: {Vector256.IsHardwareAccelerated}, FMA: {Fma.IsSupported}); " +
                $"use {nameof(SimdPath)}.{nameof(SimdPath.Auto)} (here {Best}) or a supported path.");
        }
        return requested;
    }
}
