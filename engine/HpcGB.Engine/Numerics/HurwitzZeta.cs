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

    /// <summary>
    /// Σ_{n≠0} (x + n)^{−p} for every p = 2 … <paramref name="sums"/>.Length + 1 at once (sums[p − 2]), |x| ≤ ½:
    /// images |n| ≤ N directly and both tails by Euler–Maclaurin, all with running powers (no Math.Pow per term).
    /// </summary>
    public static void ImageSums(double x, Span<double> sums)
    {
        sums.Clear();
        for (int n = 1; n <= DirectTerms; n++)
        {
            double right = 1 / (n + x), left = 1 / (x - n);
            double pr = right * right, pl = left * left;
            for (int k = 0; k < sums.Length; k++)
            {
                sums[k] += pr + pl;
                pr *= right;
                pl *= left;
            }
        }
        AddTails(DirectTerms + 1 + x, 1.0, sums);
        AddTails(DirectTerms + 1 - x, -1.0, sums);
    }

    /// <summary>Adds sign^p Σ_{k≥0} (a + k)^{−p} for p = 2 … to sums[p − 2].</summary>
    private static void AddTails(double a, double sign, Span<double> sums)
    {
        double inv = 1 / a, inv2 = inv * inv;
        double power = inv2; // a^{−p}
        double signPower = 1; // sign^p, p = 2
        for (int k = 0; k < sums.Length; k++)
        {
            int p = k + 2;
            // ∫_a^∞ + ½ f(a) − Σ_j B_{2j}/(2j)! f^{(2j−1)}(a), f = x^{−p}
            double tail = power * a / (p - 1) + 0.5 * power;
            double rising = p, term = power * inv;
            for (int j = 0; j < BernoulliOverFactorial.Length; j++)
            {
                tail += BernoulliOverFactorial[j] * rising * term;
                rising *= (p + 2 * j + 1) * (double)(p + 2 * j + 2);
                term *= inv2;
            }
            sums[k] += signPower * tail;
            power *= inv;
            signPower *= sign;
        }
    }

    /// <summary>Σ_{n≠0} (x + n)^{−p} for |x| ≤ ½: the periodic images of a power law without the n = 0 term.</summary>
    public static double ImageSum(int p, double x)
    {
        double plus = Value(p, 1 + x), minus = Value(p, 1 - x);
        return (p % 2 == 0) ? plus + minus : plus - minus;
    }
}
