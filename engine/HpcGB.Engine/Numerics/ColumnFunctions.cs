using System.Numerics;

namespace HpcGB.Engine.Numerics;

/// <summary>
/// Regular parts of the sums over a column of images (x1 fixed, x2 + m for all m), written with the complex
/// variable u = π(x1 + i x2): coth u − 1/u, its derivative, and ln|sinh u / u|. Series near 0 (where the
/// subtraction would cancel), closed forms elsewhere.
/// </summary>
public static class ColumnFunctions
{
    private const double SeriesBelow = 0.25;

    // coth u − 1/u = Σ_k a_k u^{2k−1}, a_k = 2^{2k} B_{2k}/(2k)!.
    private static readonly double[] CothCoefficients =
    [
        1.0 / 3, -1.0 / 45, 2.0 / 945, -1.0 / 4725, 2.0 / 93555, -1382.0 / 638512875, 4.0 / 18243225,
        -3617.0 / 162820783125,
    ];

    /// <summary>coth u − 1/u.</summary>
    public static Complex CothRegular(Complex u)
    {
        if (u.Magnitude < SeriesBelow)
        {
            Complex u2 = u * u, power = u, sum = Complex.Zero;
            foreach (double a in CothCoefficients)
            {
                sum += a * power;
                power *= u2;
            }
            return sum;
        }
        return Complex.Cosh(u) / Complex.Sinh(u) - 1.0 / u;
    }

    /// <summary>d/du (coth u − 1/u) = 1/u² − 1/sinh² u.</summary>
    public static Complex CothRegularDerivative(Complex u)
    {
        if (u.Magnitude < SeriesBelow)
        {
            Complex u2 = u * u, power = Complex.One, sum = Complex.Zero;
            for (int k = 0; k < CothCoefficients.Length; k++)
            {
                sum += CothCoefficients[k] * (2 * k + 1) * power;
                power *= u2;
            }
            return sum;
        }
        Complex s = Complex.Sinh(u);
        return 1.0 / (u * u) - 1.0 / (s * s);
    }

    /// <summary>ln |sinh u / u|.</summary>
    public static double LogSinhc(Complex u)
    {
        if (u.Magnitude < SeriesBelow)
        {
            // ln(sinh u/u) = Σ_k a_k u^{2k}/(2k); the real part of the series is the log of the modulus.
            Complex u2 = u * u, power = u2, sum = Complex.Zero;
            for (int k = 0; k < CothCoefficients.Length; k++)
            {
                sum += CothCoefficients[k] / (2 * (k + 1)) * power;
                power *= u2;
            }
            return sum.Real;
        }
        return Math.Log((Complex.Sinh(u) / u).Magnitude);
    }
}
