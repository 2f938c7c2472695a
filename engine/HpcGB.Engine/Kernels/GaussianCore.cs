namespace HpcGB.Engine.Kernels;

/// <summary>
/// The periodic images of a difference that lie within reach of a Gaussian core of width δ
/// (|y|²/2δ² &lt; <see cref="MaxExponent"/>; beyond, e^{−t} &lt; 2e-22 is below double precision of the kernel).
/// </summary>
internal static class GaussianCore
{
    public const double MaxExponent = 50.0;

    /// <summary>Calls <paramref name="visit"/>(y1, y2, t) for every image other than the nearest one.</summary>
    public static void ForFarImages<TState>(WallSums.Reduced x, double delta, ref TState state, ImageVisitor<TState> visit)
    {
        double reach = delta * Math.Sqrt(2 * MaxExponent);
        // Every other image is at least 1 − |x_a| away along some axis.
        if (1 - Math.Abs(x.X1) >= reach && 1 - Math.Abs(x.X2) >= reach)
        {
            return;
        }
        int m = (int)Math.Ceiling(reach + 0.5);
        for (int i = -m; i <= m; i++)
        {
            double y1 = x.X1 + i;
            if (Math.Abs(y1) >= reach)
            {
                continue;
            }
            for (int j = -m; j <= m; j++)
            {
                if (i == 0 && j == 0)
                {
                    continue;
                }
                double y2 = x.X2 + j;
                double t = (y1 * y1 + y2 * y2) / (2 * delta * delta);
                if (t < MaxExponent)
                {
                    visit(y1, y2, t, ref state);
                }
            }
        }
    }

    public delegate void ImageVisitor<TState>(double y1, double y2, double t, ref TState state);
}
