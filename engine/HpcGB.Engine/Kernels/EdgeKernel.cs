namespace HpcGB.Engine.Kernels;

/// <summary>Unregularised periodic edge kernel −ln|x| + x1²/|x|² (V̂_k = k2²/(π|k|⁴)), exact by wall sums.</summary>
public sealed class EdgeKernel : IPairKernel
{
    public double? SelfValue => null;

    public double Potential(double dx, double dy)
    {
        return WallSums.EdgePotential(WallSums.Reduce(dx, dy));
    }

    public void Gradient(double dx, double dy, out double gx, out double gy)
    {
        (gx, gy) = WallSums.EdgeGradient(WallSums.Reduce(dx, dy));
    }
}
