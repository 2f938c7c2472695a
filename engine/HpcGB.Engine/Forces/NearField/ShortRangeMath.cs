using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using HpcGB.Engine.Forces.NearField.Simd;
using HpcGB.Engine.Numerics;

namespace HpcGB.Engine.Forces.NearField;

/// <summary>
/// Pieces shared by the regularised operators, scalar and per vector width (the widths are the same code).
/// </summary>
internal static class ShortRangeMath
{
    /// <summary>Exponent clamp for the vector operators: keeps masked lanes finite.</summary>
    public const double MaxExponent = 700.0;

    /// <summary>
    /// From this u on e^{−u} &lt; 2^{−57}: 1 − e^{−u} rounds to exactly 1, so φ(u) = 1/u to the bit (the operators skip
    /// the exponential of u where every lane is there).
    /// </summary>
    internal const double NegligibleExponent = 40.0;

    /// <summary>Below this u, φ(u) comes from its series (1 − e^{−u} would lose up to a factor 1/u).</summary>
    internal const double SeriesLimit = 0.5;

    /// <summary>(−1)^k/(k+1)!, k = 15 … 0: φ(u) = Σ_k (−u)^k/(k+1)!, truncation &lt; 2e-18 for u ≤ ½.</summary>
    internal static ReadOnlySpan<double> PhiSeries =>
    [
        -4.779477332387385e-14, 7.647163731819816e-13, -1.1470745597729725e-11, 1.6059043836821613e-10,
        -2.08767569878681e-09, 2.505210838544172e-08, -2.755731922398589e-07, 2.7557319223985893e-06,
        -2.48015873015873e-05, 0.0001984126984126984, -0.001388888888888889, 0.008333333333333333,
        -0.041666666666666664, 0.16666666666666666, -0.5, 1.0,
    ];

    /// <summary>φ(u) = (1 − e^{−u})/u (φ(0) = 1) and e^{−u}, both accurate for every u ≥ 0.</summary>
    public static double Phi(double u, out double expMinusU)
    {
        if (u < SeriesLimit)
        {
            double p = PhiSeries[0];
            for (int k = 1; k < PhiSeries.Length; k++)
            {
                p = p * u + PhiSeries[k];
            }
            expMinusU = 1.0 - u * p;
            return p;
        }
        expMinusU = Math.Exp(-u);
        return (1.0 - expMinusU) / u;
    }

    /// <summary>ln(1 + y) for y ≥ 0, accurate for tiny y: ln(u)·y/(u − 1) with u = 1 + y rounded (Goldberg).</summary>
    public static double LogOnePlus(double y)
    {
        double u = 1.0 + y;
        return u == 1.0 ? y : Math.Log(u) * (y / (u - 1.0));
    }

    /// <summary>ln(1 + y) in every lane (see the scalar overload).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> LogOnePlus(Vector256<double> y)
    {
        var u = Vector256<double>.One + y;
        var log = Vector256.Log(u) * (y / (u - Vector256<double>.One));
        return Vector256.ConditionalSelect(Vector256.Equals(u, Vector256<double>.One), y, log);
    }

    /// <summary>ln(1 + y) in every lane (see the scalar overload).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> LogOnePlus(Vector512<double> y)
    {
        var u = Vector512<double>.One + y;
        var log = Vector512.Log(u) * (y / (u - Vector512<double>.One));
        return Vector512.ConditionalSelect(Vector512.Equals(u, Vector512<double>.One), y, log);
    }

    /// <summary>
    /// ½[E1(a) − E1(b)] for 0 ≤ a &lt; b, with <paramref name="halfLogRatio"/> = ½ln(b/a) (a constant for the
    /// two Gaussian widths): for b ≤ 1 the cancellation-free ½[Ein(a) − Ein(b)] + ½ln(b/a), finite at 0.
    /// </summary>
    public static double HalfE1Difference(double a, double b, double halfLogRatio) =>
        b <= 1.0
            ? 0.5 * (VectorE1.Series(a) - VectorE1.Series(b)) + halfLogRatio
            : 0.5 * (VectorE1.E1(a) - VectorE1.E1(b));

    /// <summary>φ(u) and e^{−u} in every lane; the series runs only when some lane has u &lt; ½.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Phi(Vector256<double> u, out Vector256<double> expMinusU)
    {
        var one = Vector256<double>.One;
        var q = VectorExp.ExpInDomain(-Vector256.Min(u, Vector256.Create(MaxExponent)));
        var phi = (one - q) / u;
        var small = Vector256.LessThan(u, Vector256.Create(SeriesLimit));
        if (small.ExtractMostSignificantBits() != 0)
        {
            var us = Vector256.Min(u, Vector256.Create(SeriesLimit));
            var p = Vector256.Create(PhiSeries[0]);
            for (int k = 1; k < PhiSeries.Length; k++)
            {
                p = Vector256.FusedMultiplyAdd(p, us, Vector256.Create(PhiSeries[k]));
            }
            phi = Vector256.ConditionalSelect(small, p, phi);
            q = Vector256.ConditionalSelect(small, one - us * p, q);
        }
        expMinusU = q;
        return phi;
    }

    /// <summary>½[E1(a) − E1(b)] in every lane (the small-b form runs only when some lane needs it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> HalfE1Difference(Vector256<double> a, Vector256<double> b, double halfLogRatio)
    {
        var one = Vector256<double>.One;
        var half = Vector256.Create(0.5);
        var small = Vector256.LessThanOrEqual(b, one);
        var bits = small.ExtractMostSignificantBits();
        Vector256<double> near = default, far = default;
        if (bits != 0)
        {
            var difference = VectorE1.Series(Vector256.Min(a, one)) - VectorE1.Series(Vector256.Min(b, one));
            near = Vector256.FusedMultiplyAdd(difference, half, Vector256.Create(halfLogRatio));
        }
        if (bits != (1u << Vector256<double>.Count) - 1)
        {
            var limit = Vector256.Create(MaxExponent);
            far = half * (VectorE1.E1(Vector256.Min(a, limit)) - VectorE1.E1(Vector256.Min(b, limit)));
        }
        return Vector256.ConditionalSelect(small, near, far);
    }

    /// <summary>φ(u) and e^{−u} in every lane; the series runs only when some lane has u &lt; ½.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Phi(Vector512<double> u, out Vector512<double> expMinusU)
    {
        var one = Vector512<double>.One;
        var q = VectorExp.ExpInDomain(-Vector512.Min(u, Vector512.Create(MaxExponent)));
        var phi = (one - q) / u;
        var small = Vector512.LessThan(u, Vector512.Create(SeriesLimit));
        if (small.ExtractMostSignificantBits() != 0)
        {
            var us = Vector512.Min(u, Vector512.Create(SeriesLimit));
            var p = Vector512.Create(PhiSeries[0]);
            for (int k = 1; k < PhiSeries.Length; k++)
            {
                p = Vector512.FusedMultiplyAdd(p, us, Vector512.Create(PhiSeries[k]));
            }
            phi = Vector512.ConditionalSelect(small, p, phi);
            q = Vector512.ConditionalSelect(small, one - us * p, q);
        }
        expMinusU = q;
        return phi;
    }

    /// <summary>½[E1(a) − E1(b)] in every lane (the small-b form runs only when some lane needs it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> HalfE1Difference(Vector512<double> a, Vector512<double> b, double halfLogRatio)
    {
        var one = Vector512<double>.One;
        var half = Vector512.Create(0.5);
        var small = Vector512.LessThanOrEqual(b, one);
        var bits = small.ExtractMostSignificantBits();
        Vector512<double> near = default, far = default;
        if (bits != 0)
        {
            var difference = VectorE1.Series(Vector512.Min(a, one)) - VectorE1.Series(Vector512.Min(b, one));
            near = Vector512.FusedMultiplyAdd(difference, half, Vector512.Create(halfLogRatio));
        }
        if (bits != (1u << Vector512<double>.Count) - 1)
        {
            var limit = Vector512.Create(MaxExponent);
            far = half * (VectorE1.E1(Vector512.Min(a, limit)) - VectorE1.E1(Vector512.Min(b, limit)));
        }
        return Vector512.ConditionalSelect(small, near, far);
    }
}
