namespace HpcGB.Engine.Numerics;

/// <summary>Hurwitz zeta ζ(s, q) = Σ_{k≥0} (q + k)^{−s} for integer s ≥ 2 and q &gt; 0 (Euler–Maclaurin).</summary>
public static class HurwitzZeta
{
    private const int DirectTerms = 12;

    // B_{2j}/(2j)! for j = 1 … 8.
    private static readonly double[] BernoulliOverFactorial =
    [
        1.0 / 12, -1.0 / 720, 1.0 / 30240, -1.0 / 1209600, 1.0 / 47900160,
        -691.0 / 1307674368000, 1.0 / 74724249600, -3617.0 / 10670622842880000,
    ];

    public static double Value(int s, double q)
    {
        double sum = 0.0;
        for (int k = 0; k < DirectTerms; k++)
        {
            sum += Math.Pow(q + k, -s);
        }
        double a = q + DirectTerms;
        // Tail ∫ + ½ f(a) − Σ_j B_{2j}/(2j)! f^{(2j−1)}(a), f(x) = x^{−s}.
        sum += Math.Pow(a, 1 - s) / (s - 1) + 0.5 * Math.Pow(a, -s);
        double rising = s; // s (s+1) … (s+2j−2)
        double power = Math.Pow(a, -s - 1);
        for (int j = 0; j < BernoulliOverFactorial.Length; j++)
        {
            sum += BernoulliOverFactorial[j] * rising * power;
            rising *= (s + 2 * j + 1) * (double)(s + 2 * j + 2);
            power /= a * a;
        }
        return sum;
    }

    /// <summary>Σ_{n≠0} (x + n)^{−p} for |x| ≤ ½: the periodic images of a power law without the n = 0 term.</summary>
    public static double ImageSum(int p, double x)
    {
        double plus = Value(p, 1 + x), minus = Value(p, 1 - x);
        return (p % 2 == 0) ? plus + minus : plus - minus;
    }
}
