namespace HpcGB.Engine.Analysis.Transport;

/// <summary>How a Wasserstein-2 distance was computed.</summary>
public enum TransportMethod
{
    /// <summary>Exact on the circle: sorted points and the optimal cyclic shift (<see cref="CircleW2"/>).</summary>
    Circle,

    /// <summary>Exact on the circle against a piecewise-constant density (<see cref="CircleDensityMatching"/>).</summary>
    CircleDensity,

    /// <summary>Exact optimal assignment on torus squared distances (<see cref="TorusAssignment"/>).</summary>
    Assignment,

    /// <summary>Entropic approximation (<see cref="Sinkhorn"/>); the regularisation is in <see cref="W2Result.Epsilon"/>.</summary>
    Sinkhorn,
}

/// <summary>
/// A Wasserstein-2 distance between two probability measures on the flat unit torus (each measure normalised to
/// mass 1). <paramref name="Value"/> is W₂ itself, not its square.
/// </summary>
/// <param name="Value">W₂ (for <see cref="TransportMethod.Sinkhorn"/>: √⟨P_ε, C⟩ of the entropic plan, which lies in
/// [W₂, √(W₂² + ε ln n)] once the marginals are met).</param>
/// <param name="Method">The algorithm used.</param>
/// <param name="Epsilon">The entropic regularisation ε (in units of squared distance) when entropic, else null.</param>
public sealed record W2Result(double Value, TransportMethod Method, double? Epsilon = null)
{
    /// <summary>W₂².</summary>
    public double Squared => Value * Value;

    /// <summary>True when <see cref="Value"/> is exact up to round-off (no regularisation).</summary>
    public bool IsExact => Epsilon is null;
}
