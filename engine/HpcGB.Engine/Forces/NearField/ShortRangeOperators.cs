namespace HpcGB.Engine.Forces.NearField;

/// <summary>Argument checks shared by the operators and the evaluator.</summary>
internal static class ShortRangeOperators
{
    public static void RequirePositive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "must be finite and > 0");
        }
    }

    /// <summary>The kinds with a core width δ.</summary>
    public static bool IsRegularised(ShortRangeKind kind) => kind is not (ShortRangeKind.Log or ShortRangeKind.Edge);

    /// <summary>Throws unless <paramref name="kind"/> exists in <paramref name="dimension"/> and δ is given where needed.</summary>
    public static void RequireValid(int dimension, ShortRangeKind kind, double delta)
    {
        if (dimension is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "dimension must be 1 or 2");
        }
        bool oneDimensional = kind is ShortRangeKind.GaussianLog1D or ShortRangeKind.PoissonLog1D;
        if (dimension == 1 && !(oneDimensional || kind == ShortRangeKind.Log))
        {
            throw new ArgumentException($"the {kind} short-range function exists only in 2D", nameof(kind));
        }
        if (dimension == 2 && oneDimensional)
        {
            throw new ArgumentException($"the {kind} short-range function exists only in 1D", nameof(kind));
        }
        if (IsRegularised(kind))
        {
            RequirePositive(delta, nameof(delta));
        }
    }
}
