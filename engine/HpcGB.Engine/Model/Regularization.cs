namespace HpcGB.Engine.Model;

/// <summary>How the kernel's singularity is smoothed at the core length δ (docs/numerics.md §2).</summary>
public enum RegularizationType
{
    /// <summary>Gaussian smoothing V̂_k e^{−2π²δ²|k|²} (modified Gaussian (1 + 2π²δ²|k|²)e^{−2π²δ²|k|²} for edge); the default.</summary>
    Gaussian,

    /// <summary>Poisson-kernel smoothing V̂_k e^{−2πδ|k|} (the paper's Remark 2.1 with δ' = 2πδ).</summary>
    Poisson,

    /// <summary>The unregularised kernel; the self term is excluded and a collision is an error.</summary>
    None,
}

/// <summary>
/// A regularisation and its core length δ &gt; 0. Under <see cref="RegularizationType.None"/> the kernel and the
/// bound-dipole distance ignore δ; only the implicit integrator's smallest pair radius (3δ) still reads it.
/// </summary>
public sealed record Regularization(RegularizationType Type, double Delta)
{
    /// <summary>The documented default: gaussian with δ = 0.01.</summary>
    public static Regularization Default { get; } = new(RegularizationType.Gaussian, 0.01);
}
