namespace HpcGB.Engine.Kernels;

/// <summary>Unregularised periodic edge kernel −ln|x| + x1²/|x|² (V̂_k = k2²/(π|k|⁴)), exact by wall sums.</summary>
public sealed class EdgeKernel : IPairKernel
{
    public double? SelfValue => null;

    public double Potential(double dx, double dy)
    {
        var x = WallSums.Reduce(dx, dy);
        double r2 = x.R2;
        return WallSums.EdgeRegularPotential(x) - 0.5 * Math.Log(r2) + x.X1 * x.X1 / r2;
    }

    public void Gradient(double dx, double dy, out double gx, out double gy)
    {
        var x = WallSums.Reduce(dx, dy);
        var (g1, g2) = WallSums.EdgeRegularGradient(x);
        double r2 = x.R2, r4 = r2 * r2;
        double x1 = x.X1, x2 = x.X2;
        // ∇(−ln r + x1²/r²) = (x1(x2² − x1²), −x2(3x1² + x2²))/r⁴
        gx = g1 + x1 * (x2 * x2 - x1 * x1) / r4;
        gy = g2 - x2 * (3 * x1 * x1 + x2 * x2) / r4;
    }
}
