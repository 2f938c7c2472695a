namespace HpcGB.Engine.Continuum;

/// <summary>
/// The conservative finite-volume transport term −div(ρ v) of one sign, dimension by dimension: MUSCL
/// reconstruction with the monotonised-central limiter, then the upwind flux at each face (the face value from
/// the side the velocity comes from). Each face's flux leaves one cell and enters its neighbour, so the total mass
/// changes only by round-off. The limited face values lie between the neighbouring averages, which keeps a forward
/// Euler step positive under Σ_a Δt·max|v_a|/h_a ≤ ½ (and so SSP-RK3).
/// </summary>
internal static class MusclTransport
{
    /// <summary>
    /// Adds −Σ_a ∂_a(ρ v_a) to <paramref name="rate"/>, with v_a = <paramref name="velocitySign"/>·w_a and w_a given
    /// at the faces i+½ (index i = the cell left of the face) for each axis of <paramref name="drift"/>.
    /// </summary>
    public static void AddRate(
        ContinuumGrid grid, ReadOnlySpan<double> density, double[][] drift, double velocitySign, Span<double> rate)
    {
        int largest = grid.Shape.Max();
        double[] lineValues = new double[largest];
        double[] fluxes = new double[largest];
        for (int axis = 0; axis < drift.Length; axis++)
        {
            int m = grid.Shape[axis];
            int stride = grid.Stride(axis);
            double inverseWidth = grid.Shape[axis];
            double[] w = drift[axis];
            for (int l = 0; l < grid.LineCount(axis); l++)
            {
                int start = grid.LineStart(axis, l);
                for (int i = 0; i < m; i++)
                {
                    lineValues[i] = density[start + i * stride];
                }
                LineFluxes(lineValues.AsSpan(0, m), w, start, stride, velocitySign, fluxes.AsSpan(0, m));
                for (int i = 0; i < m; i++)
                {
                    double left = fluxes[i == 0 ? m - 1 : i - 1];
                    rate[start + i * stride] -= (fluxes[i] - left) * inverseWidth;
                }
            }
        }
    }

    /// <summary>Upwind fluxes ρ v at the faces i+½ of one periodic line from limited linear reconstructions.</summary>
    private static void LineFluxes(
        ReadOnlySpan<double> values, double[] drift, int start, int stride, double velocitySign, Span<double> fluxes)
    {
        int m = values.Length;
        double previousSlope = Slope(values[m - 1], values[0], values[1]);
        double firstSlope = previousSlope;
        for (int i = 0; i < m; i++)
        {
            int right = i + 1 == m ? 0 : i + 1;
            double rightSlope = right == 0
                ? firstSlope
                : Slope(values[i], values[right], values[right + 1 == m ? 0 : right + 1]);
            double velocity = velocitySign * drift[start + i * stride];
            fluxes[i] = velocity >= 0
                ? velocity * (values[i] + 0.5 * previousSlope)
                : velocity * (values[right] - 0.5 * rightSlope);
            previousSlope = rightSlope;
        }
    }

    /// <summary>The monotonised-central slope (per cell) of the middle value: minmod(2a, (a+b)/2, 2b).</summary>
    internal static double Slope(double left, double centre, double right)
    {
        double a = centre - left;
        double b = right - centre;
        if (a * b <= 0)
        {
            return 0.0;
        }
        double magnitude = Math.Min(Math.Min(2 * Math.Abs(a), 2 * Math.Abs(b)), 0.5 * Math.Abs(a + b));
        return a > 0 ? magnitude : -magnitude;
    }
}
