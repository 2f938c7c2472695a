namespace HpcGB.Engine.Analysis.Transport;

/// <summary>Parameters of <see cref="Sinkhorn"/>.</summary>
/// <param name="Epsilon">Target regularisation ε, in units of squared distance on the unit torus (costs are ≤ d/4).</param>
/// <param name="Tolerance">Stop when the row marginals miss 1/n by less than this in ℓ¹ (the columns are then exact).</param>
/// <param name="MaxIterations">Cap on the iterations of all stages together.</param>
/// <param name="Relaxation">Largest over-relaxation ω ∈ [1, 2) (1: plain Sinkhorn): each potential moves ω times the plain
/// step, ω estimated from the observed contraction in every stage.</param>
/// <param name="Scaling">ε-scaling factor s in (0, 1): the stages use (d/4)·s, (d/4)·s², … down to <paramref name="Epsilon"/>.</param>
public sealed record SinkhornOptions(
    double Epsilon = 1e-3,
    double Tolerance = 1e-6,
    int MaxIterations = 20_000,
    double Relaxation = 1.95,
    double Scaling = 0.5)
{
    /// <summary>Marginal error at which an intermediate (larger-ε) stage hands over to the next.</summary>
    internal const double StageTolerance = 1e-2;

    internal void Validate()
    {
        if (!(Epsilon > 0) || !double.IsFinite(Epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(Epsilon), Epsilon, "epsilon must be positive and finite");
        }
        if (!(Tolerance > 0) || !double.IsFinite(Tolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "tolerance must be positive and finite");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxIterations, 1);
        if (!(Relaxation >= 1 && Relaxation < 2))
        {
            throw new ArgumentOutOfRangeException(nameof(Relaxation), Relaxation, "relaxation must lie in [1, 2)");
        }
        if (!(Scaling > 0 && Scaling < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Scaling), Scaling, "scaling must lie in (0, 1)");
        }
    }
}
