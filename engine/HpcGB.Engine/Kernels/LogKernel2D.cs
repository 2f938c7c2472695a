namespace HpcGB.Engine.Kernels;

/// <summary>Unregularised periodic 2D log kernel (V̂_k = 1/(2π|k|²)), exact by wall sums.</summary>
public sealed class LogKernel2D : IPairKernel
{
    public double? SelfValue => null;

    public double Potential(double dx, double dy)
    {
        return WallSums.LogPotential(WallSums.Reduce(dx, dy));
    }

    public void Gradient(double dx, double dy, out double gx, out double gy)
    {
        (gx, gy) = WallSums.LogGradient(WallSums.Reduce(dx, dy));
    }
}
