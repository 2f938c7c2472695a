using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using HpcGB.Engine.Forces.NearField.Simd;
using HpcGB.Engine.Numerics;

namespace HpcGB.Engine.Forces.NearField;

/// <summary>
/// Short part of the log kernel with the Gaussian regularisation δ, d = 2 (docs/numerics.md §4), S² = σ² + δ²,
/// a = r²/2S², b = r²/2δ²: s(x) = ½[E1(a) − E1(b)], finite at 0 (= ln(S/δ)), evaluated as
/// ½[Ein(a) − Ein(b)] + ln(S/δ) for b ≤ 1; ∇s(x) = −(e^{−a} − e^{−b}) x/r² = −e^{−a} κ φ(κr²) x with
/// κ = 1/2δ² − 1/2S² and φ(u) = (1 − e^{−u})/u, accurate and finite (→ 0) as r → 0.
/// </summary>
public readonly struct GaussianLogShort : IShortRangeOperator
{
    private readonly double _cutoffSquared;
    private readonly double _halfInverseS2;
    private readonly double _halfInverseDelta2;
    private readonly double _kappa;
    private readonly double _logSOverDelta;

    /// <param name="sigma">Ewald split width σ &gt; 0.</param>
    /// <param name="delta">Core width δ &gt; 0.</param>
    /// <param name="cutoff">Cut-off r_c &gt; 0.</param>
    public GaussianLogShort(double sigma, double delta, double cutoff)
    {
        OperatorArguments.RequirePositive(sigma, nameof(sigma));
        OperatorArguments.RequirePositive(delta, nameof(delta));
        OperatorArguments.RequirePositive(cutoff, nameof(cutoff));
        Sigma = sigma;
        Delta = delta;
        _cutoffSquared = cutoff * cutoff;
        double s2 = Ewald.SplitWidths.CombinedSquared(sigma, delta);
        _halfInverseS2 = 0.5 / s2;
        _halfInverseDelta2 = 0.5 / (delta * delta);
        // κ = 1/2δ² − 1/2S² = σ²/(2δ²S²), without cancellation.
        _kappa = sigma * sigma / (2 * delta * delta * s2);
        _logSOverDelta = 0.5 * Math.Log(s2 / (delta * delta));
    }

    public double Sigma { get; }

    public double Delta { get; }

    public double CutoffSquared => _cutoffSquared;

    public bool IsSingularAtOrigin => false;

    public void Invoke(double x1, double x2, double r2, out double g1, out double g2)
    {
        if (!(r2 < _cutoffSquared))
        {
            g1 = g2 = 0.0;
            return;
        }
        double coefficient = -Math.Exp(-r2 * _halfInverseS2) * _kappa * ShortRangeMath.Phi(r2 * _kappa, out _);
        g1 = coefficient * x1;
        g2 = coefficient * x2;
    }

    public double Potential(double x1, double x2, double r2) =>
        r2 < _cutoffSquared
            ? ShortRangeMath.HalfE1Difference(r2 * _halfInverseS2, r2 * _halfInverseDelta2, _logSOverDelta)
            : 0.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Invoke(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2, out Vector256<double> g1, out Vector256<double> g2) =>
        Evaluate<ForcesOnly>(x1, x2, r2, out g1, out g2, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void InvokeWithPotential(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2,
        out Vector256<double> g1, out Vector256<double> g2, out Vector256<double> s) =>
        Evaluate<WithEnergy>(x1, x2, r2, out g1, out g2, out s);

    /// <summary>
    /// ∇s, and with the energy s = ½[E1(a) − E1(b)]: where u = b − a ≥ <see cref="ShortRangeMath.NegligibleExponent"/>
    /// in every lane, E1(b) &lt; e^{−u}E1(a) is below a quarter ulp of E1(a) and s = ½E1(a) from the gradient's e^{−a}
    /// (the vectors without a pair inside ~9δ); else the full difference.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Evaluate<TEnergy>(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2,
        out Vector256<double> g1, out Vector256<double> g2, out Vector256<double> s)
        where TEnergy : struct, IEnergyMode
    {
        var a = Vector256.Min(r2 * _halfInverseS2, Vector256.Create(ShortRangeMath.MaxExponent));
        var u = r2 * _kappa;
        var e = VectorExp.ExpInDomain(-a);
        var inRange = Vector256.LessThan(r2, Vector256.Create(_cutoffSquared));
        // Where e^{−u} is negligible in every lane, κφ(u) = κ/u = 1/r² (one division, no multiplications).
        var coefficient = Vector256.GreaterThanOrEqualAll(u, Vector256.Create(ShortRangeMath.NegligibleExponent))
            ? -e / r2
            : -e * Vector256.Create(_kappa) * ShortRangeMath.Phi(u, out _);
        coefficient &= inRange;
        g1 = coefficient * x1;
        g2 = coefficient * x2;
        if (!TEnergy.Enabled)
        {
            s = default;
            return;
        }
        // Lanes out of range (padding, NaN) do not count.
        bool negligible = (Vector256.LessThan(u, Vector256.Create(ShortRangeMath.NegligibleExponent)) & inRange).ExtractMostSignificantBits() == 0;
        s = negligible
            ? Vector256.Create(0.5) * VectorE1.E1(a, e)
            : ShortRangeMath.HalfE1Difference(r2 * _halfInverseS2, r2 * _halfInverseDelta2, _logSOverDelta);
        s &= inRange;
    }

    public Vector256<double> Potential(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2)
    {
        var s = ShortRangeMath.HalfE1Difference(r2 * _halfInverseS2, r2 * _halfInverseDelta2, _logSOverDelta);
        return s & Vector256.LessThan(r2, Vector256.Create(_cutoffSquared));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Invoke(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2, out Vector512<double> g1, out Vector512<double> g2) =>
        Evaluate<ForcesOnly>(x1, x2, r2, out g1, out g2, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void InvokeWithPotential(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2,
        out Vector512<double> g1, out Vector512<double> g2, out Vector512<double> s) =>
        Evaluate<WithEnergy>(x1, x2, r2, out g1, out g2, out s);

    /// <summary>
    /// ∇s, and with the energy s = ½[E1(a) − E1(b)]: where u = b − a ≥ <see cref="ShortRangeMath.NegligibleExponent"/>
    /// in every lane, E1(b) &lt; e^{−u}E1(a) is below a quarter ulp of E1(a) and s = ½E1(a) from the gradient's e^{−a}
    /// (the vectors without a pair inside ~9δ); else the full difference.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Evaluate<TEnergy>(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2,
        out Vector512<double> g1, out Vector512<double> g2, out Vector512<double> s)
        where TEnergy : struct, IEnergyMode
    {
        var a = Vector512.Min(r2 * _halfInverseS2, Vector512.Create(ShortRangeMath.MaxExponent));
        var u = r2 * _kappa;
        var e = VectorExp.ExpInDomain(-a);
        var inRange = Vector512.LessThan(r2, Vector512.Create(_cutoffSquared));
        // Where e^{−u} is negligible in every lane, κφ(u) = κ/u = 1/r² (one division, no multiplications).
        var coefficient = Vector512.GreaterThanOrEqualAll(u, Vector512.Create(ShortRangeMath.NegligibleExponent))
            ? -e / r2
            : -e * Vector512.Create(_kappa) * ShortRangeMath.Phi(u, out _);
        coefficient = Vector512.ConditionalSelect(inRange, coefficient, Vector512<double>.Zero);
        g1 = coefficient * x1;
        g2 = coefficient * x2;
        if (!TEnergy.Enabled)
        {
            s = default;
            return;
        }
        // Lanes out of range (padding, NaN) do not count.
        bool negligible = (Vector512.LessThan(u, Vector512.Create(ShortRangeMath.NegligibleExponent)) & inRange).ExtractMostSignificantBits() == 0;
        s = negligible
            ? Vector512.Create(0.5) * VectorE1.E1(a, e)
            : ShortRangeMath.HalfE1Difference(r2 * _halfInverseS2, r2 * _halfInverseDelta2, _logSOverDelta);
        s &= inRange;
    }

    public Vector512<double> Potential(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2)
    {
        var s = ShortRangeMath.HalfE1Difference(r2 * _halfInverseS2, r2 * _halfInverseDelta2, _logSOverDelta);
        return s & Vector512.LessThan(r2, Vector512.Create(_cutoffSquared));
    }
}
