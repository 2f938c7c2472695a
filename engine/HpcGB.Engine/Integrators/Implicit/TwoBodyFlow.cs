namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// The separation w of an opposite pair of the log kernel under its own attraction and a frozen background:
/// ẇ = −a·w/|w|² + Δv (a = 2/n, Δv the relative velocity the rest of the system gives the members), integrated by
/// classical RK4 with substeps of a twentieth of the time |w|² would take to close at the current rate (the
/// approach to capture is resolved however close it gets).
/// </summary>
internal static class TwoBodyFlow
{
    private const double SubstepFraction = 0.05;
    private const int MaxSubsteps = 100_000;

    /// <summary>
    /// From w = (<paramref name="w1"/>, <paramref name="w2"/>) at time 0: whether |w|² falls to <paramref name="capture"/>
    /// within <paramref name="span"/> (the pair reaches its core: captured), and w at <paramref name="span"/> (where
    /// not captured).
    /// </summary>
    public static (bool Captured, double W1, double W2) Run(
        double w1, double w2, double dv1, double dv2, double attraction, double capture, double span)
    {
        double t = 0;
        double background = Math.Sqrt(dv1 * dv1 + dv2 * dv2);
        for (int k = 0; k < MaxSubsteps && t < span; k++)
        {
            double r2 = w1 * w1 + w2 * w2;
            if (r2 <= capture)
            {
                return (true, w1, w2);
            }
            double h = Math.Min(span - t, SubstepFraction * r2 / (2 * attraction + 2 * Math.Sqrt(r2) * background));
            var (k11, k12) = Rate(w1, w2);
            var (k21, k22) = Rate(w1 + 0.5 * h * k11, w2 + 0.5 * h * k12);
            var (k31, k32) = Rate(w1 + 0.5 * h * k21, w2 + 0.5 * h * k22);
            var (k41, k42) = Rate(w1 + h * k31, w2 + h * k32);
            w1 += h / 6 * (k11 + 2 * k21 + 2 * k31 + k41);
            w2 += h / 6 * (k12 + 2 * k22 + 2 * k32 + k42);
            t = t + h >= span ? span : t + h;
        }
        return (w1 * w1 + w2 * w2 <= capture, w1, w2);

        (double, double) Rate(double u1, double u2)
        {
            double pull = attraction / (u1 * u1 + u2 * u2);
            return (dv1 - pull * u1, dv2 - pull * u2);
        }
    }
}
