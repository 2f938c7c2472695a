using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using HpcGB.Engine.Forces.NearField.Simd;
using HpcGB.Engine.Numerics;

namespace HpcGB.Engine.Forces.NearField;

/// <summary>
/// Short part of the edge kernel with the modified Gaussian regularisation δ &lt; σ, d = 2 (docs/numerics.md §2, §4):
/// s = s_σ − s_δ, both the <see cref="EdgeShort"/> function at widths σ and δ. The 1/r² terms cancel between the
/// widths; with e_σ = e^{−r²/2σ²}, u = κr², κ = 1/2δ² − 1/2σ², e_δ = e_σ e^{−u}, φ(u) = (1 − e^{−u})/u,
/// D = (e_σ − e_δ)/r² = e_σ κ φ(u), H = e_σ/σ² − e_δ/δ², sin²θ = x2²/r², cos2θ = (x1² − x2²)/r²:
/// <list type="bullet">
/// <item>s = ½[E1(r²/2σ²) − E1(r²/2δ²)] − D x2² (the E1 difference as in <see cref="GaussianLogShort"/>; s(0) = ln(σ/δ));</item>
/// <item>∂1 s = x1 [H sin²θ − D cos2θ], ∂2 s = x2 [H sin²θ + D (2 sin²θ − 3)],</item>
/// </list>
/// every factor bounded as r → 0 (∇s → −κ (x1, 3x2)), and exactly 0 at r = 0.
/// </summary>
public readonly struct GaussianEdgeShort : IShortRangeOperator
{
    /// <summary>1/r² is taken as 1/max(r², this): at r = 0 every angular factor is then 0·finite = 0.</summary>
    internal const double TinyR2 = 1e-300;

    private readonly double _cutoffSquared;
    private readonly double _halfInverseSigma2;
    private readonly double _halfInverseDelta2;
    private readonly double _inverseSigma2;
    private readonly double _inverseDelta2;
    private readonly double _kappa;
    private readonly double _logSigmaOverDelta;
    private readonly double _negligibleExponent;

    /// <param name="sigma">Ewald split width σ &gt; δ.</param>
    /// <param name="delta">Core width δ &gt; 0.</param>
    /// <param name="cutoff">Cut-off r_c &gt; 0.</param>
    public GaussianEdgeShort(double sigma, double delta, double cutoff)
    {
        OperatorArguments.RequirePositive(sigma, nameof(sigma));
        OperatorArguments.RequirePositive(delta, nameof(delta));
        OperatorArguments.RequirePositive(cutoff, nameof(cutoff));
        if (!Ewald.SplitWidths.IsAboveCore(sigma, delta))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, $"the Gaussian edge split needs σ > δ (δ = {delta:R})");
        }
        Sigma = sigma;
        Delta = delta;
        _cutoffSquared = cutoff * cutoff;
        _inverseSigma2 = 1.0 / (sigma * sigma);
        _inverseDelta2 = 1.0 / (delta * delta);
        _halfInverseSigma2 = 0.5 * _inverseSigma2;
        _halfInverseDelta2 = 0.5 * _inverseDelta2;
        // κ = 1/2δ² − 1/2σ² = (σ − δ)(σ + δ)/(2σ²δ²), without cancellation.
        _kappa = (sigma - delta) * (sigma + delta) / (2 * sigma * sigma * delta * delta);
        _logSigmaOverDelta = Math.Log(sigma / delta);
        // e^{−u}/δ² is then below a quarter ulp of 1/σ² in H (and 1 − e^{−u} rounds to 1): the vector paths skip it.
        _negligibleExponent = ShortRangeMath.NegligibleExponent + 2 * _logSigmaOverDelta;
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
        double eSigma = Math.Exp(-r2 * _halfInverseSigma2);
        double phi = ShortRangeMath.Phi(r2 * _kappa, out double expMinusU);
        double d = eSigma * _kappa * phi;
        double h = eSigma * (_inverseSigma2 - expMinusU * _inverseDelta2);
        double w = 1.0 / Math.Max(r2, TinyR2);
        double sin2 = x2 * x2 * w;
        double cos2 = (x1 * x1 - x2 * x2) * w;
        double hs = h * sin2;
        g1 = x1 * (hs - d * cos2);
        g2 = x2 * (hs + d * (2 * sin2 - 3));
    }

    public double Potential(double x1, double x2, double r2)
    {
        if (!(r2 < _cutoffSquared))
        {
            return 0.0;
        }
        double eSigma = Math.Exp(-r2 * _halfInverseSigma2);
        double d = eSigma * _kappa * ShortRangeMath.Phi(r2 * _kappa, out _);
        return ShortRangeMath.HalfE1Difference(r2 * _halfInverseSigma2, r2 * _halfInverseDelta2, _logSigmaOverDelta)
            - d * (x2 * x2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Invoke(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2, out Vector256<double> g1, out Vector256<double> g2) =>
        Evaluate<ForcesOnly>(x1, x2, r2, out g1, out g2, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void InvokeWithPotential(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2,
        out Vector256<double> g1, out Vector256<double> g2, out Vector256<double> s) =>
        Evaluate<WithEnergy>(x1, x2, r2, out g1, out g2, out s);

    /// <summary>
    /// ∇s, and with the energy s = ½[E1(r²/2σ²) − E1(r²/2δ²)] − D x2²: where u ≥ 40 in every lane in range,
    /// E1(r²/2δ²) &lt; e^{−u}E1(r²/2σ²) is below a quarter ulp of the first, which takes the gradient's e_σ.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Evaluate<TEnergy>(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2,
        out Vector256<double> g1, out Vector256<double> g2, out Vector256<double> s)
        where TEnergy : struct, IEnergyMode
    {
        var tSigma = Vector256.Min(r2 * _halfInverseSigma2, Vector256.Create(ShortRangeMath.MaxExponent));
        var inRange = Vector256.LessThan(r2, Vector256.Create(_cutoffSquared));
        var eSigma = VectorExp.ExpInDomain(-tSigma) & inRange;
        var w = Vector256<double>.One / Vector256.Max(r2, Vector256.Create(TinyR2));
        var u = r2 * _kappa;
        bool negligible = Vector256.GreaterThanOrEqualAll(u, Vector256.Create(_negligibleExponent));
        Vector256<double> d, h;
        if (negligible)
        {
            // e^{−u} negligible (see the constructor): κφ(u) = κ/u = 1/r², and the one division is w's.
            d = eSigma * w;
            h = eSigma * Vector256.Create(_inverseSigma2);
        }
        else
        {
            var phi = ShortRangeMath.Phi(u, out var expMinusU);
            d = eSigma * Vector256.Create(_kappa) * phi;
            h = eSigma * Vector256.FusedMultiplyAdd(-expMinusU, Vector256.Create(_inverseDelta2), Vector256.Create(_inverseSigma2));
        }
        var x2x2 = x2 * x2;
        var sin2 = x2x2 * w;
        var cos2 = (x1 * x1 - x2x2) * w;
        var hs = h * sin2;
        g1 = x1 * Vector256.FusedMultiplyAdd(-d, cos2, hs);
        g2 = x2 * Vector256.FusedMultiplyAdd(d, Vector256.FusedMultiplyAdd(sin2, Vector256.Create(2.0), Vector256.Create(-3.0)), hs);
        if (!TEnergy.Enabled)
        {
            s = default;
            return;
        }
        // Lanes out of range (padding, NaN) do not count.
        bool energyNegligible = (Vector256.LessThan(u, Vector256.Create(ShortRangeMath.NegligibleExponent)) & inRange).ExtractMostSignificantBits() == 0;
        var halfE1 = energyNegligible
            ? Vector256.Create(0.5) * VectorE1.E1(tSigma, eSigma)
            : ShortRangeMath.HalfE1Difference(r2 * _halfInverseSigma2, r2 * _halfInverseDelta2, _logSigmaOverDelta);
        s = Vector256.FusedMultiplyAdd(-d, x2x2, halfE1) & inRange;
    }

    public Vector256<double> Potential(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2)
    {
        var tSigma = Vector256.Min(r2 * _halfInverseSigma2, Vector256.Create(ShortRangeMath.MaxExponent));
        var d = VectorExp.Exp(-tSigma) * Vector256.Create(_kappa) * ShortRangeMath.Phi(r2 * _kappa, out _);
        var s = ShortRangeMath.HalfE1Difference(r2 * _halfInverseSigma2, r2 * _halfInverseDelta2, _logSigmaOverDelta)
            - d * (x2 * x2);
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
    /// ∇s, and with the energy s = ½[E1(r²/2σ²) − E1(r²/2δ²)] − D x2²: where u ≥ 40 in every lane in range,
    /// E1(r²/2δ²) &lt; e^{−u}E1(r²/2σ²) is below a quarter ulp of the first, which takes the gradient's e_σ.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Evaluate<TEnergy>(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2,
        out Vector512<double> g1, out Vector512<double> g2, out Vector512<double> s)
        where TEnergy : struct, IEnergyMode
    {
        var tSigma = Vector512.Min(r2 * _halfInverseSigma2, Vector512.Create(ShortRangeMath.MaxExponent));
        var inRange = Vector512.LessThan(r2, Vector512.Create(_cutoffSquared));
        var eSigma = Vector512.ConditionalSelect(inRange, VectorExp.ExpInDomain(-tSigma), Vector512<double>.Zero);
        var w = Vector512<double>.One / Vector512.Max(r2, Vector512.Create(TinyR2));
        var u = r2 * _kappa;
        bool negligible = Vector512.GreaterThanOrEqualAll(u, Vector512.Create(_negligibleExponent));
        Vector512<double> d, h;
        if (negligible)
        {
            // e^{−u} negligible (see the constructor): κφ(u) = κ/u = 1/r², and the one division is w's.
            d = eSigma * w;
            h = eSigma * Vector512.Create(_inverseSigma2);
        }
        else
        {
            var phi = ShortRangeMath.Phi(u, out var expMinusU);
            d = eSigma * Vector512.Create(_kappa) * phi;
            h = eSigma * Vector512.FusedMultiplyAdd(-expMinusU, Vector512.Create(_inverseDelta2), Vector512.Create(_inverseSigma2));
        }
        var x2x2 = x2 * x2;
        var sin2 = x2x2 * w;
        var cos2 = (x1 * x1 - x2x2) * w;
        var hs = h * sin2;
        g1 = x1 * Vector512.FusedMultiplyAdd(-d, cos2, hs);
        g2 = x2 * Vector512.FusedMultiplyAdd(d, Vector512.FusedMultiplyAdd(sin2, Vector512.Create(2.0), Vector512.Create(-3.0)), hs);
        if (!TEnergy.Enabled)
        {
            s = default;
            return;
        }
        // Lanes out of range (padding, NaN) do not count.
        bool energyNegligible = (Vector512.LessThan(u, Vector512.Create(ShortRangeMath.NegligibleExponent)) & inRange).ExtractMostSignificantBits() == 0;
        var halfE1 = energyNegligible
            ? Vector512.Create(0.5) * VectorE1.E1(tSigma, eSigma)
            : ShortRangeMath.HalfE1Difference(r2 * _halfInverseSigma2, r2 * _halfInverseDelta2, _logSigmaOverDelta);
        s = Vector512.FusedMultiplyAdd(-d, x2x2, halfE1) & inRange;
    }

    public Vector512<double> Potential(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2)
    {
        var tSigma = Vector512.Min(r2 * _halfInverseSigma2, Vector512.Create(ShortRangeMath.MaxExponent));
        var d = VectorExp.Exp(-tSigma) * Vector512.Create(_kappa) * ShortRangeMath.Phi(r2 * _kappa, out _);
        var s = ShortRangeMath.HalfE1Difference(r2 * _halfInverseSigma2, r2 * _halfInverseDelta2, _logSigmaOverDelta)
            - d * (x2 * x2);
        return s & Vector512.LessThan(r2, Vector512.Create(_cutoffSquared));
    }
}
