namespace HpcGB.Engine.Model;

/// <summary>How the kernel's singularity is smoothed at the core length δ (NUMERICS.md §2).</summary>
public enum RegularizationType
{
    /// <summary>Gaussian smoothing (modified Gaussian for edge); the default.</summary>
    Gaussian,

    /// <summary>Poisson-kernel smoothing V̂_k e^{−2πδ|k|} (paper Remark 2.1).</summary>
    Poisson,

    /// <summary>The unregularised kernel; the self term is excluded and a collision is an error.</summary>
    None,
}

/// <summary>A regularisation and its core length δ (δ &gt; 0; for <see cref="RegularizationType.None"/>
/// δ only sets the bound-dipole distance 3δ and the dipole initial data).</summary>
public sealed record Regularization(RegularizationType Type, double Delta)
{
    /// <summary>The documented default: gaussian with δ = 0.01.</summary>
    public static Regularization Default { get; } = new(RegularizationType.Gaussian, 0.01);
}
