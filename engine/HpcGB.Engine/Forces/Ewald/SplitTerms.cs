namespace HpcGB.Engine.Forces.Ewald;

/// <summary>The long-range factors F and constants C of the splits (docs/numerics.md §4), a = 2π²σ².</summary>
public static class SplitTerms
{
    /// <summary>1D log: F = erfc(√2 πσ|k|) (the transform of ½E1(x²/2σ²) is erf(√2 πσ|k|)/(2|k|)).</summary>
    public static double Erfc1D(double sigma, double delta, double kk) =>
        MathNet.Numerics.SpecialFunctions.Erfc(Math.Sqrt(2) * Math.PI * sigma * Math.Sqrt(kk));

    /// <summary>2D log: F = e^{−a|k|²}.</summary>
    public static double Gaussian(double sigma, double delta, double kk) =>
        Math.Exp(-2 * Math.PI * Math.PI * sigma * sigma * kk);

    /// <summary>2D gaussian log: F = e^{−2π²S²|k|²}, S² = σ² + δ².</summary>
    public static double GaussianCombined(double sigma, double delta, double kk) =>
        Math.Exp(-2 * Math.PI * Math.PI * SplitWidths.CombinedSquared(sigma, delta) * kk);

    /// <summary>Edge (both regularisations): F = (1 + a|k|²)e^{−a|k|²}.</summary>
    public static double Edge(double sigma, double delta, double kk)
    {
        double a = 2 * Math.PI * Math.PI * sigma * sigma * kk;
        return (1 + a) * Math.Exp(-a);
    }

    /// <summary>1D log, none and gaussian: C = −√(2π) σ.</summary>
    public static double Log1D(double sigma, double delta) => -Math.Sqrt(2 * Math.PI) * sigma;

    /// <summary>1D poisson: C = −√(2π) σ + πδ (πδ = −∫h, h the free-space poisson regularisation).</summary>
    public static double PoissonLog1D(double sigma, double delta) => -Math.Sqrt(2 * Math.PI) * sigma + Math.PI * delta;

    /// <summary>2D log (none and gaussian): C = −πσ².</summary>
    public static double Log2D(double sigma, double delta) => -Math.PI * sigma * sigma;

    /// <summary>Edge: no constant.</summary>
    public static double None(double sigma, double delta) => 0.0;
}
