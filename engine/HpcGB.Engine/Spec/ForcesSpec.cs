using HpcGB.Engine.Forces.NearField;

namespace HpcGB.Engine.Spec;

/// <summary>How forces are computed.</summary>
public enum ForceMethod
{
    /// <summary>The reference below <see cref="ForcesSpec.AutoCrossover"/> particles (and for 2D poisson), PME above.</summary>
    Auto,

    /// <summary>The exact O(n²) wall-sum evaluator (Fourier sums for 2D poisson).</summary>
    Reference,

    /// <summary>Near field on cell lists + smooth particle-mesh Ewald, O(n log n) at the given tolerance.</summary>
    Pme,
}

/// <summary>Where the fast path runs.</summary>
public enum ForceDevice
{
    /// <summary>The CPU: SIMD near field and FFTW.</summary>
    Cpu,

    /// <summary>An OpenCL device in double precision (<see cref="ForcesSpec.OpenCl"/>, default platform 0, device 0).</summary>
    OpenCl,

    /// <summary>The CPU unless an fp64 GPU is present and n ≥ <see cref="ForcesSpec.OpenClCrossover"/>.</summary>
    Auto,
}

/// <summary>The OpenCL device of <c>forces.opencl</c>: indices as <c>hpcgb info</c> lists them.</summary>
public sealed record OpenClChoice(int Platform, int Device);

/// <summary>
/// The spec's <c>forces</c> block; <see cref="Threads"/> 0 means all cores; <see cref="OpenCl"/> null means platform 0,
/// device 0 for <see cref="ForceDevice.OpenCl"/> and the first fp64 GPU for <see cref="ForceDevice.Auto"/>.
/// </summary>
public sealed record ForcesSpec(
    ForceMethod Method,
    double Tolerance,
    SimdPath Simd = SimdPath.Auto,
    int Threads = 0,
    ForceDevice Device = ForceDevice.Cpu,
    OpenClChoice? OpenCl = null)
{
    /// <summary>
    /// From this many particles <c>device: "auto"</c> uses an fp64 GPU. Not measured yet (no GPU was available; on PoCL,
    /// a CPU device, OpenCL never beats the CPU path, so auto never picks a CPU device): a placeholder for
    /// bench/device-check.sh to settle.
    /// </summary>
    public const int OpenClCrossover = 100_000;

    /// <summary>Below this many particles <c>auto</c> uses the reference evaluator (measured: at n = 250 the reference
    /// takes ≈ 4.5 ms per evaluation, PME at tolerance 1e-6 1.3 ms; below, the exact answer costs next to nothing).</summary>
    public const int AutoCrossover = 200;

    public static ForcesSpec Default { get; } = new(ForceMethod.Auto, 1e-6);

    /// <summary>The thread count to use: <see cref="Threads"/>, or all cores for 0.</summary>
    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;
}
