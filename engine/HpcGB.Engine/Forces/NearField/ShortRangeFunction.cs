namespace HpcGB.Engine.Forces.NearField;

/// <summary>
/// One short-range function of the case table (<see cref="Cases.KernelCases"/>): its kind and how to build its
/// operator, bound to the generic pair loop.
/// </summary>
public sealed class ShortRangeFunction
{
    private readonly Func<double, double, double, BoundPairLoop> _bind;

    private ShortRangeFunction(ShortRangeKind kind, Func<double, double, double, BoundPairLoop> bind)
    {
        Kind = kind;
        _bind = bind;
    }

    public ShortRangeKind Kind { get; }

    /// <summary>The function of operator <typeparamref name="TOp"/>, built by <paramref name="create"/>(σ, δ, r_c).</summary>
    public static ShortRangeFunction Of<TOp>(ShortRangeKind kind, Func<double, double, double, TOp> create)
        where TOp : struct, IShortRangeOperator =>
        new(kind, (sigma, delta, cutoff) => new BoundPairLoop<TOp>(create(sigma, delta, cutoff)));

    /// <summary>The operator at split width σ, core δ and cut-off r_c (for direct scalar or vector evaluation).</summary>
    public IShortRangeOperator Create(double sigma, double delta, double cutoff) => Bind(sigma, delta, cutoff).Operator;

    internal BoundPairLoop Bind(double sigma, double delta, double cutoff) => _bind(sigma, delta, cutoff);
}
