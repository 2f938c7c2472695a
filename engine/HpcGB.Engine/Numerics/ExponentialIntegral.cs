namespace HpcGB.Engine.Numerics;

/// <summary>
/// The exponential integral E1 and its entire part Ein(t) = E1(t) + γ + ln t with their arguments checked: the
/// scalar form of <see cref="VectorE1"/> (2.5e-16 relative against mpmath, docs/numerics.md §8).
/// </summary>
public static class ExponentialIntegral
{
    public const double EulerGamma = 0.57721566490153286061;

    /// <summary>E1(t) = ∫_t^∞ e^{−s}/s ds for t &gt; 0.</summary>
    public static double E1(double t) => t > 0
        ? VectorE1.E1(t)
        : throw new ArgumentOutOfRangeException(nameof(t), t, "E1 needs t > 0");

    /// <summary>Ein(t) = Σ_{k≥1} (−1)^{k+1} t^k / (k·k!) for t ≥ 0: finite at 0, no cancellation for small t.</summary>
    public static double Ein(double t) => t >= 0
        ? VectorE1.Ein(t)
        : throw new ArgumentOutOfRangeException(nameof(t), t, "Ein is used for t ≥ 0");
}
