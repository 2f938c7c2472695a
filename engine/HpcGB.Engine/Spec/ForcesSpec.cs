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

/// <summary>The spec's <c>forces</c> block; <see cref="Threads"/> 0 means all cores.</summary>
public sealed record ForcesSpec(ForceMethod Method, double Tolerance, SimdPath Simd = SimdPath.Auto, int Threads = 0)
{
    /// <summary>Below this many particles <c>auto</c> uses the reference evaluator (measured: at n = 250 the reference
    /// takes ≈ 4.5 ms per evaluation, PME at tolerance 1e-6 1.3 ms; below, the exact answer costs next to nothing).</summary>
    public const int AutoCrossover = 200;

    public static ForcesSpec Default { get; } = new(ForceMethod.Auto, 1e-6);

    /// <summary>The thread count to use: <see cref="Threads"/>, or all cores for 0.</summary>
    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;
}
