namespace HpcGB.Engine.Forces.Ewald;

/// <summary>The δ-derived widths of the splits, computed in this one place.</summary>
public static class SplitWidths
{
    /// <summary>S² = σ² + δ².</summary>
    public static double CombinedSquared(double sigma, double delta) => sigma * sigma + delta * delta;

    /// <summary>S = √(σ² + δ²).</summary>
    public static double Combined(double sigma, double delta) => Math.Sqrt(CombinedSquared(sigma, delta));

    /// <summary>σ = √(S² − δ²), the σ whose combined width is <paramref name="combined"/>.</summary>
    public static double SigmaForCombined(double combined, double delta) => Math.Sqrt(combined * combined - delta * delta);

    /// <summary>The rule of <see cref="SplitWidth.AboveCore"/>: σ &gt; δ.</summary>
    public static bool IsAboveCore(double sigma, double delta) => sigma > delta;

    /// <summary>
    /// The largest δ/w at which a split whose σ the core bounds (<see cref="EwaldSplitRule.CoreLimitsSigma"/>) is still
    /// used for decay width w; beyond it the whole kernel goes on the mesh.
    /// </summary>
    public const double MaxCoreFraction = 0.9;
}
