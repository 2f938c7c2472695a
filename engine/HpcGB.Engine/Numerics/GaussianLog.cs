namespace HpcGB.Engine.Numerics;

/// <summary>
/// ℓ(u) = E[log|u + Z|] for a standard normal Z (the 1D logarithm smoothed by a unit Gaussian) and its
/// derivative ℓ'(u) = √2·F(u/√2) with F Dawson's function. Series of positive terms (no cancellation) for
/// |u| ≤ 12, the asymptotic expansion beyond. Accuracy ~1e-15.
/// </summary>
public static class GaussianLog
{
    internal const double AsymptoticFrom = 12.0;

    /// <summary>ℓ(0) = −(γ + ln 2)/2.</summary>
    public static readonly double AtZero = -(ExponentialIntegral.EulerGamma + Math.Log(2.0)) / 2.0;

    public static double Value(double u)
    {
        u = Math.Abs(u);
        if (u > AsymptoticFrom)
        {
            // ℓ(u) = ln u − Σ_m (2m−1)!!/(2m u^{2m})
            double inv2 = 1.0 / (u * u), power = 1.0, doubleFactorial = 1.0, sum = 0.0;
            for (int m = 1; m <= 24; m++)
            {
                power *= inv2;
                doubleFactorial *= 2 * m - 1;
                sum += doubleFactorial * power / (2 * m);
            }
            return Math.Log(u) - sum;
        }
        // ℓ(u) = ℓ(0) + 2 ∫_0^{u/√2} F = ℓ(0) + Σ_m P(m+1, x)/(2m+1), x = u²/2, P the regularised
        // incomplete gamma function (a Poisson tail probability).
        double x = u * u / 2.0;
        var pmf = PoissonProbabilities(x, out int top);
        double tail = 0.0, sum2 = 0.0;
        for (int m = top - 1; m >= 0; m--)
        {
            tail += pmf[m + 1];
            sum2 += tail / (2 * m + 1);
        }
        return AtZero + sum2;
    }

    public static double Derivative(double u)
    {
        double a = Math.Abs(u);
        double result;
        if (a > AsymptoticFrom)
        {
            // ℓ'(u) = 1/u + Σ_m (2m−1)!!/u^{2m+1}
            double inv2 = 1.0 / (a * a), power = 1.0 / a, doubleFactorial = 1.0, sum = power;
            for (int m = 1; m <= 24; m++)
            {
                power *= inv2;
                doubleFactorial *= 2 * m - 1;
                sum += doubleFactorial * power;
            }
            result = sum;
        }
        else
        {
            // √2 F(v) = √2 v Σ_m p_m/(2m+1), v = u/√2, p_m the Poisson(v²) probabilities.
            result = a * DerivativeOverArgument(a);
        }
        return u < 0 ? -result : result;
    }

    /// <summary>
    /// ℓ'(u)/u, even and finite at 0 (= 1): the Poisson series below 12, the asymptotic Σ_m (2m−1)!!/u^{2m+2} beyond.
    /// The 1D gaussian near field needs it as r → 0, where ℓ'(u) alone would give 0/0.
    /// </summary>
    public static double DerivativeOverArgument(double u)
    {
        double a = Math.Abs(u);
        if (a > AsymptoticFrom)
        {
            return Derivative(a) / a;
        }
        double x = a * a / 2.0;
        var pmf = PoissonProbabilities(x, out int top);
        double sum = 0.0;
        for (int m = top; m >= 0; m--)
        {
            sum += pmf[m] / (2 * m + 1);
        }
        return sum;
    }

    /// <summary>e^{−x} x^j / j! for j = 0 … top, with top far enough into the tail to be negligible.</summary>
    private static double[] PoissonProbabilities(double x, out int top)
    {
        top = (int)(x + 12 * Math.Sqrt(x) + 40);
        var p = new double[top + 1];
        p[0] = Math.Exp(-x);
        for (int j = 1; j <= top; j++)
        {
            p[j] = p[j - 1] * x / j;
        }
        return p;
    }
}
