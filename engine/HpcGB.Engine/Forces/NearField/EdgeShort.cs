using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using HpcGB.Engine.Forces.NearField.Simd;
using HpcGB.Engine.Numerics;

namespace HpcGB.Engine.Forces.NearField;

/// <summary>
/// Short part of the edge kernel, regularisation none, d = 2, for the split factor (1 + a|k|²)e^{−a|k|²}
/// (docs/numerics.md §4), t = r²/2σ²: s(x) = ½E1(t) − e^{−t} x2²/r²;
/// ∂1 s = (x1 e^{−t}/r²)[x2²/σ² + (x2² − x1²)/r²], ∂2 s = (x2 e^{−t}/r²)[x2²/σ² + 2x2²/r² − 3].
/// Singular at r = 0.
/// </summary>
public readonly struct EdgeShort : IShortRangeOperator
{
    private readonly double _cutoffSquared;
    private readonly double _halfInverseSigmaSquared;
    private readonly double _inverseSigmaSquared;

    /// <param name="sigma">Ewald split width σ &gt; 0.</param>
    /// <param name="cutoff">Cut-off r_c &gt; 0.</param>
    public EdgeShort(double sigma, double cutoff)
    {
        OperatorArguments.RequirePositive(sigma, nameof(sigma));
        OperatorArguments.RequirePositive(cutoff, nameof(cutoff));
        Sigma = sigma;
        _cutoffSquared = cutoff * cutoff;
        _inverseSigmaSquared = 1.0 / (sigma * sigma);
        _halfInverseSigmaSquared = 0.5 * _inverseSigmaSquared;
    }

    public double Sigma { get; }

    public double CutoffSquared => _cutoffSquared;

    public bool IsSingularAtOrigin => true;

    public void Invoke(double x1, double x2, double r2, out double g1, out double g2)
    {
        if (!(r2 < _cutoffSquared))
        {
            g1 = g2 = 0.0;
            return;
        }
        double w = 1.0 / r2;
        double ew = Math.Exp(-r2 * _halfInverseSigmaSquared) * w;
        double p = x2 * x2;
        double common = p * _inverseSigmaSquared;
        g1 = x1 * ew * (common + (p - x1 * x1) * w);
        g2 = x2 * ew * (common + 2 * p * w - 3);
    }

    public double Potential(double x1, double x2, double r2)
    {
        if (!(r2 < _cutoffSquared))
        {
            return 0.0;
        }
        double t = r2 * _halfInverseSigmaSquared;
        return 0.5 * VectorE1.E1(t) - Math.Exp(-t) * (x2 * x2 / r2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Invoke(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2, out Vector256<double> g1, out Vector256<double> g2) =>
        Evaluate<ForcesOnly>(x1, x2, r2, out g1, out g2, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void InvokeWithPotential(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2,
        out Vector256<double> g1, out Vector256<double> g2, out Vector256<double> s) =>
        Evaluate<WithEnergy>(x1, x2, r2, out g1, out g2, out s);

    /// <summary>∇s, and with the energy s = ½E1(t) − e^{−t} x2²/r² from the same e^{−t} and 1/r².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Evaluate<TEnergy>(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2,
        out Vector256<double> g1, out Vector256<double> g2, out Vector256<double> s)
        where TEnergy : struct, IEnergyMode
    {
        var t = Vector256.Min(r2 * _halfInverseSigmaSquared, Vector256.Create(ShortRangeMath.MaxExponent));
        var w = Vector256<double>.One / r2;
        var e = VectorExp.ExpInDomain(-t); // −t ∈ [−MaxExponent, 0]: no clamps
        var inRange = Vector256.LessThan(r2, Vector256.Create(_cutoffSquared));
        var ew = e * w & inRange;
        var p = x2 * x2;
        var common = p * _inverseSigmaSquared;
        // [x2²/σ² + (x2² − x1²)/r²] and [x2²/σ² + 2x2²/r² − 3]
        var bracket1 = Vector256.FusedMultiplyAdd(p - x1 * x1, w, common);
        var bracket2 = Vector256.FusedMultiplyAdd(p + p, w, common - Vector256.Create(3.0));
        g1 = x1 * ew * bracket1;
        g2 = x2 * ew * bracket2;
        s = TEnergy.Enabled ? Vector256.FusedMultiplyAdd(Vector256.Create(0.5), VectorE1.E1(t, e), -ew * p) & inRange : default;
    }

    public Vector256<double> Potential(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2)
    {
        var t = Vector256.Min(r2 * _halfInverseSigmaSquared, Vector256.Create(ShortRangeMath.MaxExponent));
        var s = Vector256.Create(0.5) * VectorE1.E1(t) - VectorExp.Exp(-t) * (x2 * x2 / r2);
        return s & Vector256.LessThan(r2, Vector256.Create(_cutoffSquared));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Invoke(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2, out Vector512<double> g1, out Vector512<double> g2) =>
        Evaluate<ForcesOnly>(x1, x2, r2, out g1, out g2, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void InvokeWithPotential(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2,
        out Vector512<double> g1, out Vector512<double> g2, out Vector512<double> s) =>
        Evaluate<WithEnergy>(x1, x2, r2, out g1, out g2, out s);

    /// <summary>∇s, and with the energy s = ½E1(t) − e^{−t} x2²/r² from the same e^{−t} and 1/r².</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Evaluate<TEnergy>(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2,
        out Vector512<double> g1, out Vector512<double> g2, out Vector512<double> s)
        where TEnergy : struct, IEnergyMode
    {
        var t = Vector512.Min(r2 * _halfInverseSigmaSquared, Vector512.Create(ShortRangeMath.MaxExponent));
        var w = Vector512<double>.One / r2;
        var e = VectorExp.ExpInDomain(-t); // −t ∈ [−MaxExponent, 0]: no clamps
        var inRange = Vector512.LessThan(r2, Vector512.Create(_cutoffSquared));
        var ew = Vector512.ConditionalSelect(inRange, e * w, Vector512<double>.Zero);
        var p = x2 * x2;
        var common = p * _inverseSigmaSquared;
        // [x2²/σ² + (x2² − x1²)/r²] and [x2²/σ² + 2x2²/r² − 3]
        var bracket1 = Vector512.FusedMultiplyAdd(p - x1 * x1, w, common);
        var bracket2 = Vector512.FusedMultiplyAdd(p + p, w, common - Vector512.Create(3.0));
        g1 = x1 * ew * bracket1;
        g2 = x2 * ew * bracket2;
        s = TEnergy.Enabled
            ? Vector512.ConditionalSelect(inRange, Vector512.FusedMultiplyAdd(Vector512.Create(0.5), VectorE1.E1(t, e), -ew * p), Vector512<double>.Zero)
            : default;
    }

    public Vector512<double> Potential(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2)
    {
        var t = Vector512.Min(r2 * _halfInverseSigmaSquared, Vector512.Create(ShortRangeMath.MaxExponent));
        var s = Vector512.Create(0.5) * VectorE1.E1(t) - VectorExp.Exp(-t) * (x2 * x2 / r2);
        return s & Vector512.LessThan(r2, Vector512.Create(_cutoffSquared));
    }
}
