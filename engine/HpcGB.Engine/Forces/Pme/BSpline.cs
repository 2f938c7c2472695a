using System.Numerics;

namespace HpcGB.Engine.Forces.Pme;

/// <summary>
/// Cardinal B-splines M_p of order p (support [0, p]) for smooth PME (Essmann et al. 1995).
/// A particle at scaled coordinate u = M·x touches the mesh points m = ⌊u⌋ − j, j = 0 … p−1, with weight
/// M_p(frac + j), frac = u − ⌊u⌋.
/// </summary>
public static class BSpline
{
    public const int MinOrder = 3;
    public const int MaxOrder = 8;

    /// <summary>1/n for the recursion: a division per level is most of the cost of a weight.</summary>
    private static readonly double[] Reciprocals = Enumerable.Range(0, MaxOrder + 1).Select(n => n == 0 ? 0 : 1.0 / n).ToArray();

    /// <summary>
    /// w[j] = M_p(frac + j) and dw[j] = M_p'(frac + j) for j = 0 … p−1, by the recursion
    /// M_{n+1}(x) = [x M_n(x) + (n + 1 − x) M_n(x − 1)]/n and M_p'(x) = M_{p−1}(x) − M_{p−1}(x − 1).
    /// </summary>
    public static void Weights(double frac, int order, Span<double> w, Span<double> dw)
    {
        // Order 2: M_2(frac) = frac, M_2(frac + 1) = 1 − frac.
        w[0] = frac;
        w[1] = 1 - frac;
        for (int n = 2; n < order; n++)
        {
            if (n == order - 1)
            {
                dw[0] = w[0];
                for (int j = 1; j < order; j++)
                {
                    dw[j] = (j < n ? w[j] : 0) - w[j - 1];
                }
            }
            Raise(frac, n, w);
        }
    }

    /// <summary>w[j] = M_p(frac + j) only.</summary>
    public static void Weights(double frac, int order, Span<double> w)
    {
        w[0] = frac;
        w[1] = 1 - frac;
        for (int n = 2; n < order; n++)
        {
            Raise(frac, n, w);
        }
    }

    /// <summary>From M_n values at frac + j (j &lt; n) to M_{n+1} values at frac + j (j ≤ n).</summary>
    private static void Raise(double frac, int n, Span<double> w)
    {
        double inv = Reciprocals[n];
        w[n] = (n + 1 - frac - n) * w[n - 1] * inv; // x = frac + n: only the M_n(x − 1) term survives
        for (int j = n - 1; j >= 1; j--)
        {
            double x = frac + j;
            w[j] = (x * w[j] + (n + 1 - x) * w[j - 1]) * inv;
        }
        w[0] = frac * w[0] * inv;
    }

    /// <summary>
    /// The squared B-spline moduli |b(k)|² = 1/|Σ_{j=0}^{p−2} M_p(j+1) e^{2πikj/M}|² for k = 0 … M−1.
    /// For odd orders the denominator vanishes at the Nyquist frequency; there the neighbours' mean is used.
    /// </summary>
    public static double[] SquaredModuli(int mesh, int order)
    {
        Span<double> values = stackalloc double[order];
        Weights(0.0, order, values); // values[j] = M_p(j): M_p(j + 1) is values[j + 1]
        var moduli = new double[mesh];
        for (int k = 0; k < mesh; k++)
        {
            Complex sum = Complex.Zero;
            for (int j = 0; j <= order - 2; j++)
            {
                double phase = 2 * Math.PI * k * (double)j / mesh;
                sum += values[j + 1] * new Complex(Math.Cos(phase), Math.Sin(phase));
            }
            double den = sum.Real * sum.Real + sum.Imaginary * sum.Imaginary;
            moduli[k] = den < 1e-10 ? double.NaN : 1.0 / den;
        }
        for (int k = 0; k < mesh; k++)
        {
            if (double.IsNaN(moduli[k]))
            {
                moduli[k] = 0.5 * (moduli[(k + mesh - 1) % mesh] + moduli[(k + 1) % mesh]);
            }
        }
        return moduli;
    }
}
