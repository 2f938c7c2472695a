namespace HpcGB.Engine.Numerics;

/// <summary>The exponential integral E1 and its entire part Ein(t) = E1(t) + γ + ln t, to ~1e-16 relative.</summary>
public static class ExponentialIntegral
{
    public const double EulerGamma = 0.57721566490153286061;

    private const double SeriesUpTo = 1.0;

    /// <summary>E1(t) = ∫_t^∞ e^{−s}/s ds for t &gt; 0.</summary>
    public static double E1(double t)
    {
        if (t <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(t), t, "E1 needs t > 0");
        }
        // Series below 1 (beyond, its alternating terms cancel); the continued fraction above (≤ 500 terms near 1).
        if (t <= SeriesUpTo)
        {
            return Ein(t) - EulerGamma - Math.Log(t);
        }
        if (t > 745)
        {
            return 0.0;
        }
        // Continued fraction E1(t) = e^{−t} / (t + 1/(1 + 1/(t + 2/(1 + …)))), evaluated by modified Lentz.
        const double tiny = 1e-300;
        double b = t + 1.0;
        double c = 1.0 / tiny;
        double d = 1.0 / b;
        double h = d;
        for (int i = 1; i < 500; i++)
        {
            double a = -(double)i * i;
            b += 2.0;
            d = 1.0 / (a * d + b);
            c = b + a / c;
            double delta = c * d;
            h *= delta;
            if (Math.Abs(delta - 1.0) < 1e-16)
            {
                break;
            }
        }
        return h * Math.Exp(-t);
    }

    /// <summary>Ein(t) = Σ_{k≥1} (−1)^{k+1} t^k / (k·k!): finite at 0, no cancellation for small t.</summary>
    public static double Ein(double t)
    {
        if (t > SeriesUpTo)
        {
            return E1(t) + EulerGamma + Math.Log(t);
        }
        double term = 1.0, sum = 0.0;
        for (int k = 1; k < 60; k++)
        {
            term *= -t / k;
            double add = -term / k;
            sum += add;
            if (Math.Abs(add) < 1e-18 * Math.Abs(sum))
            {
                break;
            }
        }
        return sum;
    }
}
