using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using HpcGB.Engine.Forces.NearField.Simd;
using HpcGB.Engine.Numerics;

namespace HpcGB.Engine.Forces.NearField;

/// <summary>
/// Short part of the log kernel, regularisation none, d = 1 or 2 (docs/numerics.md §4), t = r²/2σ²:
/// s(x) = ½E1(t), ∇s(x) = −e^{−t} x/r² (in 1D the same with r² = x1²). Singular at r = 0.
/// </summary>
public readonly struct LogShort : IShortRangeOperator
{
    private readonly double _cutoffSquared;
    private readonly double _halfInverseSigmaSquared;

    /// <param name="sigma">Ewald split width σ &gt; 0.</param>
    /// <param name="cutoff">Cut-off r_c &gt; 0.</param>
    public LogShort(double sigma, double cutoff)
    {
        OperatorArguments.RequirePositive(sigma, nameof(sigma));
        OperatorArguments.RequirePositive(cutoff, nameof(cutoff));
        Sigma = sigma;
        _cutoffSquared = cutoff * cutoff;
        _halfInverseSigmaSquared = 0.5 / (sigma * sigma);
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
        double coefficient = -Math.Exp(-r2 * _halfInverseSigmaSquared) / r2;
        g1 = coefficient * x1;
        g2 = coefficient * x2;
    }

    public double Potential(double x1, double x2, double r2) =>
        r2 < _cutoffSquared ? 0.5 * VectorE1.E1(r2 * _halfInverseSigmaSquared) : 0.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Invoke(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2, out Vector256<double> g1, out Vector256<double> g2) =>
        Evaluate<ForcesOnly>(x1, x2, r2, out g1, out g2, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void InvokeWithPotential(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2,
        out Vector256<double> g1, out Vector256<double> g2, out Vector256<double> s) =>
        Evaluate<WithEnergy>(x1, x2, r2, out g1, out g2, out s);

    /// <summary>∇s, and with the energy s = ½E1(t) from the same e^{−t}.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Evaluate<TEnergy>(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2,
        out Vector256<double> g1, out Vector256<double> g2, out Vector256<double> s)
        where TEnergy : struct, IEnergyMode
    {
        var t = Vector256.Min(r2 * _halfInverseSigmaSquared, Vector256.Create(ShortRangeMath.MaxExponent));
        var e = VectorExp.ExpInDomain(-t); // −t ∈ [−MaxExponent, 0]: no clamps
        var inRange = Vector256.LessThan(r2, Vector256.Create(_cutoffSquared));
        var coefficient = -e / r2;
        coefficient &= inRange;
        g1 = coefficient * x1;
        g2 = coefficient * x2;
        s = TEnergy.Enabled ? Vector256.Create(0.5) * VectorE1.E1(t, e) & inRange : default;
    }

    public Vector256<double> Potential(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2)
    {
        var t = Vector256.Min(r2 * _halfInverseSigmaSquared, Vector256.Create(ShortRangeMath.MaxExponent));
        return Vector256.Create(0.5) * VectorE1.E1(t) & Vector256.LessThan(r2, Vector256.Create(_cutoffSquared));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Invoke(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2, out Vector512<double> g1, out Vector512<double> g2) =>
        Evaluate<ForcesOnly>(x1, x2, r2, out g1, out g2, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void InvokeWithPotential(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2,
        out Vector512<double> g1, out Vector512<double> g2, out Vector512<double> s) =>
        Evaluate<WithEnergy>(x1, x2, r2, out g1, out g2, out s);

    /// <summary>∇s, and with the energy s = ½E1(t) from the same e^{−t}.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Evaluate<TEnergy>(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2,
        out Vector512<double> g1, out Vector512<double> g2, out Vector512<double> s)
        where TEnergy : struct, IEnergyMode
    {
        var t = Vector512.Min(r2 * _halfInverseSigmaSquared, Vector512.Create(ShortRangeMath.MaxExponent));
        var e = VectorExp.ExpInDomain(-t); // −t ∈ [−MaxExponent, 0]: no clamps
        var inRange = Vector512.LessThan(r2, Vector512.Create(_cutoffSquared));
        var coefficient = Vector512.ConditionalSelect(inRange, -e / r2, Vector512<double>.Zero);
        g1 = coefficient * x1;
        g2 = coefficient * x2;
        s = TEnergy.Enabled ? Vector512.ConditionalSelect(inRange, Vector512.Create(0.5) * VectorE1.E1(t, e), Vector512<double>.Zero) : default;
    }

    public Vector512<double> Potential(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2)
    {
        var t = Vector512.Min(r2 * _halfInverseSigmaSquared, Vector512.Create(ShortRangeMath.MaxExponent));
        return Vector512.Create(0.5) * VectorE1.E1(t) & Vector512.LessThan(r2, Vector512.Create(_cutoffSquared));
    }
}
