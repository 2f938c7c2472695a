namespace HpcGB.Engine.Numerics;

/// <summary>Small elementary functions that .NET lacks.</summary>
public static class SpecialMath
{
    /// <summary>e^z − 1 without cancellation for small |z| (2 tanh(z/2)/(1 − tanh(z/2))).</summary>
    public static double ExpM1(double z)
    {
        if (Math.Abs(z) > 0.7)
        {
            return Math.Exp(z) - 1.0;
        }
        double t = Math.Tanh(z / 2);
        return 2 * t / (1 - t);
    }

    /// <summary>
    /// erfc(x) for x ≥ 0 to ~1e-16 relative: the continued fraction e^{−x²}/√π · 1/(x + ½/(x + 1/(x + 3/2/(x + …))))
    /// for x ≥ 2, and 1 − erf(x) with the Maclaurin series of erf below.
    /// </summary>
    public static double Erfc(double x)
    {
        if (x < 0)
        {
            return 2 - Erfc(-x);
        }
        if (x < 2)
        {
            // erf x = 2/√π Σ (−1)^k x^{2k+1}/(k!(2k+1))
            double term = x, sum = x, x2 = x * x;
            for (int k = 1; k < 60; k++)
            {
                term *= -x2 / k;
                double add = term / (2 * k + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum))
                {
                    break;
                }
            }
            return 1 - 2 / Math.Sqrt(Math.PI) * sum;
        }
        if (x > 27)
        {
            return 0;
        }
        // Backward evaluation of the continued fraction with a fixed depth (converges fast for x ≥ 2).
        double f = x;
        for (int k = 60; k >= 1; k--)
        {
            f = x + k / 2.0 / f;
        }
        return Math.Exp(-x * x) / (Math.Sqrt(Math.PI) * f);
    }
}
