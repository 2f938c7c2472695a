namespace HpcGB.Engine.Kernels;

/// <summary>Unregularised periodic 2D log kernel (V̂_k = 1/(2π|k|²)), exact by wall sums.</summary>
public sealed class LogKernel2D : IPairKernel
{
    public double? SelfValue => null;

    public double Potential(double dx, double dy)
    {
        var x = WallSums.Reduce(dx, dy);
        return WallSums.LogRegularPotential(x) - 0.5 * Math.Log(x.R2);
    }

    public void Gradient(double dx, double dy, out double gx, out double gy)
    {
        var x = WallSums.Reduce(dx, dy);
        var (g1, g2) = WallSums.LogRegularGradient(x);
        double r2 = x.R2;
        gx = g1 - x.X1 / r2;
        gy = g2 - x.X2 / r2;
    }
}
