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

    /// <summary>Throws unless <paramref name="kind"/> exists in <paramref name="dimension"/> and δ is given where needed.</summary>
    public static void RequireValid(int dimension, ShortRangeKind kind, double delta)
    {
        if (dimension is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "dimension must be 1 or 2");
        }
        if (dimension == 1 && kind != ShortRangeKind.Log)
        {
            throw new ArgumentException($"the {kind} short-range function exists only in 2D; 1D has {ShortRangeKind.Log}", nameof(kind));
        }
        if (kind is ShortRangeKind.GaussianLog or ShortRangeKind.GaussianEdge)
        {
            RequirePositive(delta, nameof(delta));
        }
    }
}
