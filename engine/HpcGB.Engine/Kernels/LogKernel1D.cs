namespace HpcGB.Engine.Kernels;

/// <summary>Unregularised 1D periodic log kernel V(x) = −ln|2 sin πx| (V̂_k = 1/(2|k|)).</summary>
public sealed class LogKernel1D : IPairKernel
{
    public double? SelfValue => null;

    public double Potential(double dx, double dy) => -Math.Log(Math.Abs(2 * Math.Sin(Math.PI * Reduce(dx))));

    public void Gradient(double dx, double dy, out double gx, out double gy)
    {
        var (sin, cos) = Math.SinCos(Math.PI * Reduce(dx));
        gx = -Math.PI * cos / sin;
        gy = 0;
    }

    internal static double Reduce(double x) => x - Math.Round(x, MidpointRounding.ToEven);
}
