using System.Runtime.Intrinsics;
using HpcGB.Engine.Numerics;

namespace HpcGB.Engine.Forces.NearField;

/// <summary>
/// Short part of the 1D log kernel with the Gaussian regularisation δ (see <see cref="Ewald.EwaldSplit"/>):
/// s(x) = ½E1(t) + h(x), t = x²/2σ², h(x) = ln|x| − ln δ − ℓ(x/δ) the free-space regularisation (ℓ from
/// <see cref="GaussianLog"/>), so s = ½Ein(t) + ½(ln 2σ² − γ) − ln δ − ℓ(u), u = x/δ, finite at 0 (= ln(2σ/δ)),
/// and s'(x) = x[φ(t)/2σ² − λ(u)/δ²], λ(u) = ℓ'(u)/u, φ(t) = (1 − e^{−t})/t.
/// <para>
/// For u ≥ 25 (every pair but tight dipoles) ℓ follows its asymptotic series in w = 1/u² (nine terms reach
/// 1e-17): h = Σ_{m≥1} (2m−1)!!/(2m) w^m and λ(u)/δ² = (1/x²) Σ_{m≥0} (2m−1)!! w^m; then s = ½E1(t) + h for
/// t &gt; 1 and ½[Ein(t) − γ − ln(x²/2σ²)] + h for t ≤ 1, free of cancellation.
/// The vector overloads compute that form and hand lanes with u &lt; 25 to the scalar series. h decays like
/// δ²/2x²: beyond r_c that tail is dropped, which the parameter chooser allows only where δ²/r_c² is far below the
/// tolerance. The overloads take (x1, x2 = 0, r2 = x1²).
/// </para>
/// </summary>
public readonly struct GaussianLogShort1D : IShortRangeOperator
{
    /// <summary>u² from which the asymptotic form is used (u = 25).</summary>
    internal const double AsymptoticFromSquared = 625.0;

    private readonly double _cutoffSquared;
    private readonly double _halfInverseSigmaSquared;
    private readonly double _inverseDeltaSquared;
    private readonly double _halfLogTwoSigmaSquaredMinusGamma;
    private readonly double _constant;

    /// <param name="sigma">Ewald split width σ &gt; 0.</param>
    /// <param name="delta">Core width δ &gt; 0.</param>
    /// <param name="cutoff">Cut-off r_c &gt; 0.</param>
    public GaussianLogShort1D(double sigma, double delta, double cutoff)
    {
        OperatorArguments.RequirePositive(sigma, nameof(sigma));
        OperatorArguments.RequirePositive(delta, nameof(delta));
        OperatorArguments.RequirePositive(cutoff, nameof(cutoff));
        Sigma = sigma;
        Delta = delta;
        _cutoffSquared = cutoff * cutoff;
        _halfInverseSigmaSquared = 0.5 / (sigma * sigma);
        _inverseDeltaSquared = 1.0 / (delta * delta);
        _halfLogTwoSigmaSquaredMinusGamma = 0.5 * (Math.Log(2 * sigma * sigma) - ExponentialIntegral.EulerGamma);
        _constant = _halfLogTwoSigmaSquaredMinusGamma - Math.Log(delta);
    }

    public double Sigma { get; }

    public double Delta { get; }

    public double CutoffSquared => _cutoffSquared;

    public bool IsSingularAtOrigin => false;

    /// <summary>s(0) = ln(2σ/δ).</summary>
    public double AtZero => Math.Log(2 * Sigma / Delta);

    /// <summary>(2m−1)!!, m = 8 … 0, for Horner: Σ_m (2m−1)!! w^m.</summary>
    internal static ReadOnlySpan<double> SlopeSeries => [2027025.0, 135135.0, 10395.0, 945.0, 105.0, 15.0, 3.0, 1.0, 1.0];

    /// <summary>(2m−1)!!/(2m), m = 9 … 1, for Horner: Σ_{m≥1} (2m−1)!!/(2m) w^m = w·(…).</summary>
    internal static ReadOnlySpan<double> ValueSeries =>
        [34459425.0 / 18, 2027025.0 / 16, 135135.0 / 14, 10395.0 / 12, 945.0 / 10, 105.0 / 8, 15.0 / 6, 3.0 / 4, 1.0 / 2];

    public void Invoke(double x1, double x2, double r2, out double g1, out double g2)
    {
        if (!(r2 < _cutoffSquared))
        {
            g1 = g2 = 0.0;
            return;
        }
        double coefficient = Coefficient(r2);
        g1 = coefficient * x1;
        g2 = coefficient * x2;
    }

    public double Potential(double x1, double x2, double r2)
    {
        if (!(r2 < _cutoffSquared))
        {
            return 0.0;
        }
        double u2 = r2 * _inverseDeltaSquared;
        double t = r2 * _halfInverseSigmaSquared;
        if (u2 < AsymptoticFromSquared)
        {
            double u = Math.Sqrt(u2);
            return t <= 1.0
                ? 0.5 * VectorE1.Ein(t) + _constant - GaussianLog.Value(u)
                : 0.5 * VectorE1.E1(t) + (Math.Log(u) - GaussianLog.Value(u));
        }
        double w = 1.0 / u2;
        double h = w * Horner(w, ValueSeries);
        return t <= 1.0
            ? 0.5 * (VectorE1.Ein(t) - Math.Log(r2)) + _halfLogTwoSigmaSquaredMinusGamma + h
            : 0.5 * VectorE1.E1(t) + h;
    }

    public void Invoke(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2, out Vector256<double> g1, out Vector256<double> g2)
    {
        var inRange = Vector256.LessThan(r2, Vector256.Create(_cutoffSquared));
        var t = Vector256.Min(r2 * _halfInverseSigmaSquared, Vector256.Create(ShortRangeMath.MaxExponent));
        var phi = ShortRangeMath.Phi(t, out _);
        var u2 = r2 * _inverseDeltaSquared;
        var w = Vector256<double>.One / u2;
        var coefficient = phi * _halfInverseSigmaSquared - Horner(w, SlopeSeries) / r2;
        uint near = (Vector256.LessThan(u2, Vector256.Create(AsymptoticFromSquared)) & inRange).ExtractMostSignificantBits();
        for (int lane = 0; near != 0; lane++, near >>= 1)
        {
            if ((near & 1) != 0)
            {
                coefficient = coefficient.WithElement(lane, Coefficient(r2[lane]));
            }
        }
        coefficient &= inRange;
        g1 = coefficient * x1;
        g2 = coefficient * x2;
    }

    public Vector256<double> Potential(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2)
    {
        var inRange = Vector256.LessThan(r2, Vector256.Create(_cutoffSquared));
        var one = Vector256<double>.One;
        var half = Vector256.Create(0.5);
        var bounded = Vector256.Min(r2, Vector256.Create(_cutoffSquared));
        var t = bounded * _halfInverseSigmaSquared;
        var w = one / (bounded * _inverseDeltaSquared);
        var h = w * Horner(w, ValueSeries);
        var small = Vector256.LessThanOrEqual(t, one);
        var bits = small.ExtractMostSignificantBits();
        Vector256<double> nearOrigin = default, far = default;
        if (bits != 0)
        {
            nearOrigin = Vector256.FusedMultiplyAdd(half, VectorE1.Ein(Vector256.Min(t, one)) - Vector256.Log(bounded),
                Vector256.Create(_halfLogTwoSigmaSquaredMinusGamma));
        }
        if (bits != (1u << Vector256<double>.Count) - 1)
        {
            far = half * VectorE1.E1(Vector256.Max(t, one));
        }
        var s = Vector256.ConditionalSelect(small, nearOrigin, far) + h;
        uint near = (Vector256.LessThan(r2 * _inverseDeltaSquared, Vector256.Create(AsymptoticFromSquared)) & inRange).ExtractMostSignificantBits();
        for (int lane = 0; near != 0; lane++, near >>= 1)
        {
            if ((near & 1) != 0)
            {
                s = s.WithElement(lane, Potential(x1[lane], x2[lane], r2[lane]));
            }
        }
        return s & inRange;
    }

    public void Invoke(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2, out Vector512<double> g1, out Vector512<double> g2)
    {
        var inRange = Vector512.LessThan(r2, Vector512.Create(_cutoffSquared));
        var t = Vector512.Min(r2 * _halfInverseSigmaSquared, Vector512.Create(ShortRangeMath.MaxExponent));
        var phi = ShortRangeMath.Phi(t, out _);
        var u2 = r2 * _inverseDeltaSquared;
        var w = Vector512<double>.One / u2;
        var coefficient = phi * _halfInverseSigmaSquared - Horner(w, SlopeSeries) / r2;
        ulong near = (Vector512.LessThan(u2, Vector512.Create(AsymptoticFromSquared)) & inRange).ExtractMostSignificantBits();
        for (int lane = 0; near != 0; lane++, near >>= 1)
        {
            if ((near & 1) != 0)
            {
                coefficient = coefficient.WithElement(lane, Coefficient(r2[lane]));
            }
        }
        coefficient &= inRange;
        g1 = coefficient * x1;
        g2 = coefficient * x2;
    }

    public Vector512<double> Potential(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2)
    {
        var inRange = Vector512.LessThan(r2, Vector512.Create(_cutoffSquared));
        var one = Vector512<double>.One;
        var half = Vector512.Create(0.5);
        var bounded = Vector512.Min(r2, Vector512.Create(_cutoffSquared));
        var t = bounded * _halfInverseSigmaSquared;
        var w = one / (bounded * _inverseDeltaSquared);
        var h = w * Horner(w, ValueSeries);
        var small = Vector512.LessThanOrEqual(t, one);
        var bits = small.ExtractMostSignificantBits();
        Vector512<double> nearOrigin = default, far = default;
        if (bits != 0)
        {
            nearOrigin = Vector512.FusedMultiplyAdd(half, VectorE1.Ein(Vector512.Min(t, one)) - Vector512.Log(bounded),
                Vector512.Create(_halfLogTwoSigmaSquaredMinusGamma));
        }
        if (bits != (1u << Vector512<double>.Count) - 1)
        {
            far = half * VectorE1.E1(Vector512.Max(t, one));
        }
        var s = Vector512.ConditionalSelect(small, nearOrigin, far) + h;
        ulong near = (Vector512.LessThan(r2 * _inverseDeltaSquared, Vector512.Create(AsymptoticFromSquared)) & inRange).ExtractMostSignificantBits();
        for (int lane = 0; near != 0; lane++, near >>= 1)
        {
            if ((near & 1) != 0)
            {
                s = s.WithElement(lane, Potential(x1[lane], x2[lane], r2[lane]));
            }
        }
        return s & inRange;
    }

    /// <summary>s'(x)/x for 0 ≤ r2 &lt; r_c² (the scalar reference; the vector overloads use it for u &lt; 25).</summary>
    private double Coefficient(double r2)
    {
        double u2 = r2 * _inverseDeltaSquared;
        double phiTerm = ShortRangeMath.Phi(r2 * _halfInverseSigmaSquared, out _) * _halfInverseSigmaSquared;
        return u2 < AsymptoticFromSquared
            ? phiTerm - GaussianLog.DerivativeOverArgument(Math.Sqrt(u2)) * _inverseDeltaSquared
            : phiTerm - Horner(1.0 / u2, SlopeSeries) / r2;
    }

    private static double Horner(double w, ReadOnlySpan<double> coefficients)
    {
        double p = coefficients[0];
        for (int k = 1; k < coefficients.Length; k++)
        {
            p = Math.FusedMultiplyAdd(p, w, coefficients[k]);
        }
        return p;
    }

    private static Vector256<double> Horner(Vector256<double> w, ReadOnlySpan<double> coefficients)
    {
        var p = Vector256.Create(coefficients[0]);
        for (int k = 1; k < coefficients.Length; k++)
        {
            p = Vector256.FusedMultiplyAdd(p, w, Vector256.Create(coefficients[k]));
        }
        return p;
    }

    private static Vector512<double> Horner(Vector512<double> w, ReadOnlySpan<double> coefficients)
    {
        var p = Vector512.Create(coefficients[0]);
        for (int k = 1; k < coefficients.Length; k++)
        {
            p = Vector512.FusedMultiplyAdd(p, w, Vector512.Create(coefficients[k]));
        }
        return p;
    }

    public void InvokeWithPotential(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2,
        out Vector256<double> g1, out Vector256<double> g2, out Vector256<double> s)
    {
        Invoke(x1, x2, r2, out g1, out g2);
        s = Potential(x1, x2, r2);
    }

    public void InvokeWithPotential(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2,
        out Vector512<double> g1, out Vector512<double> g2, out Vector512<double> s)
    {
        Invoke(x1, x2, r2, out g1, out g2);
        s = Potential(x1, x2, r2);
    }
}
