using System.Runtime.Intrinsics;
using HpcGB.Engine.Numerics;

namespace HpcGB.Engine.Forces.NearField;

/// <summary>
/// Short part of the 1D log kernel with the poisson regularisation δ (see <see cref="Ewald.EwaldSplit"/>):
/// s(x) = ½E1(t) + h(x), t = x²/2σ², h(x) = ln|x| − ½ln(x² + δ²) = −½ln(1 + δ²/x²) the free-space
/// regularisation, evaluated without cancellation as ½[Ein(t) − γ − ln((x² + δ²)/2σ²)] for t ≤ 1 (finite at 0)
/// and ½E1(t) − ½ln(1 + δ²/x²) beyond; s'(x) = x[φ(t)/2σ² − 1/(x² + δ²)], φ(t) = (1 − e^{−t})/t.
/// h decays only like −δ²/2x²: beyond r_c that tail is dropped, which the parameter chooser allows only where
/// δ²/r_c² is far below the tolerance. The overloads take (x1, x2 = 0, r2 = x1²).
/// </summary>
public readonly struct PoissonLogShort1D : IShortRangeOperator
{
    private readonly double _cutoffSquared;
    private readonly double _halfInverseSigmaSquared;
    private readonly double _deltaSquared;

    /// <param name="sigma">Ewald split width σ &gt; 0.</param>
    /// <param name="delta">Core width δ &gt; 0.</param>
    /// <param name="cutoff">Cut-off r_c &gt; 0.</param>
    public PoissonLogShort1D(double sigma, double delta, double cutoff)
    {
        OperatorArguments.RequirePositive(sigma, nameof(sigma));
        OperatorArguments.RequirePositive(delta, nameof(delta));
        OperatorArguments.RequirePositive(cutoff, nameof(cutoff));
        Sigma = sigma;
        Delta = delta;
        _cutoffSquared = cutoff * cutoff;
        _halfInverseSigmaSquared = 0.5 / (sigma * sigma);
        _deltaSquared = delta * delta;
    }

    public double Sigma { get; }

    public double Delta { get; }

    public double CutoffSquared => _cutoffSquared;

    public bool IsSingularAtOrigin => false;

    /// <summary>s(0) = ½[ln(2σ²/δ²) − γ].</summary>
    public double AtZero => -0.5 * (ExponentialIntegral.EulerGamma + Math.Log(_deltaSquared * _halfInverseSigmaSquared));

    public void Invoke(double x1, double x2, double r2, out double g1, out double g2)
    {
        if (!(r2 < _cutoffSquared))
        {
            g1 = g2 = 0.0;
            return;
        }
        double coefficient = ShortRangeMath.Phi(r2 * _halfInverseSigmaSquared, out _) * _halfInverseSigmaSquared - 1.0 / (r2 + _deltaSquared);
        g1 = coefficient * x1;
        g2 = coefficient * x2;
    }

    public double Potential(double x1, double x2, double r2)
    {
        if (!(r2 < _cutoffSquared))
        {
            return 0.0;
        }
        double t = r2 * _halfInverseSigmaSquared;
        return t <= 1.0
            ? 0.5 * (VectorE1.Ein(t) - ExponentialIntegral.EulerGamma - Math.Log((r2 + _deltaSquared) * _halfInverseSigmaSquared))
            : 0.5 * (VectorE1.E1(t) - ShortRangeMath.LogOnePlus(_deltaSquared / r2));
    }

    public void Invoke(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2, out Vector256<double> g1, out Vector256<double> g2)
    {
        var inRange = Vector256.LessThan(r2, Vector256.Create(_cutoffSquared));
        var t = Vector256.Min(r2 * _halfInverseSigmaSquared, Vector256.Create(ShortRangeMath.MaxExponent));
        var phi = ShortRangeMath.Phi(t, out _);
        var coefficient = phi * _halfInverseSigmaSquared - Vector256<double>.One / (r2 + Vector256.Create(_deltaSquared));
        coefficient &= inRange;
        g1 = coefficient * x1;
        g2 = coefficient * x2;
    }

    public Vector256<double> Potential(Vector256<double> x1, Vector256<double> x2, Vector256<double> r2)
    {
        var one = Vector256<double>.One;
        var half = Vector256.Create(0.5);
        var inRange = Vector256.LessThan(r2, Vector256.Create(_cutoffSquared));
        var bounded = Vector256.Min(r2, Vector256.Create(_cutoffSquared));
        var t = bounded * _halfInverseSigmaSquared;
        var small = Vector256.LessThanOrEqual(t, one);
        var bits = small.ExtractMostSignificantBits();
        Vector256<double> near = default, far = default;
        if (bits != 0)
        {
            var log = Vector256.Log((bounded + Vector256.Create(_deltaSquared)) * _halfInverseSigmaSquared);
            near = half * (VectorE1.Ein(Vector256.Min(t, one)) - Vector256.Create(ExponentialIntegral.EulerGamma) - log);
        }
        if (bits != (1u << Vector256<double>.Count) - 1)
        {
            far = half * (VectorE1.E1(Vector256.Max(t, one)) - ShortRangeMath.LogOnePlus(Vector256.Create(_deltaSquared) / bounded));
        }
        return Vector256.ConditionalSelect(small, near, far) & inRange;
    }

    public void Invoke(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2, out Vector512<double> g1, out Vector512<double> g2)
    {
        var inRange = Vector512.LessThan(r2, Vector512.Create(_cutoffSquared));
        var t = Vector512.Min(r2 * _halfInverseSigmaSquared, Vector512.Create(ShortRangeMath.MaxExponent));
        var phi = ShortRangeMath.Phi(t, out _);
        var coefficient = phi * _halfInverseSigmaSquared - Vector512<double>.One / (r2 + Vector512.Create(_deltaSquared));
        coefficient &= inRange;
        g1 = coefficient * x1;
        g2 = coefficient * x2;
    }

    public Vector512<double> Potential(Vector512<double> x1, Vector512<double> x2, Vector512<double> r2)
    {
        var one = Vector512<double>.One;
        var half = Vector512.Create(0.5);
        var inRange = Vector512.LessThan(r2, Vector512.Create(_cutoffSquared));
        var bounded = Vector512.Min(r2, Vector512.Create(_cutoffSquared));
        var t = bounded * _halfInverseSigmaSquared;
        var small = Vector512.LessThanOrEqual(t, one);
        var bits = small.ExtractMostSignificantBits();
        Vector512<double> near = default, far = default;
        if (bits != 0)
        {
            var log = Vector512.Log((bounded + Vector512.Create(_deltaSquared)) * _halfInverseSigmaSquared);
            near = half * (VectorE1.Ein(Vector512.Min(t, one)) - Vector512.Create(ExponentialIntegral.EulerGamma) - log);
        }
        if (bits != (1u << Vector512<double>.Count) - 1)
        {
            far = half * (VectorE1.E1(Vector512.Max(t, one)) - ShortRangeMath.LogOnePlus(Vector512.Create(_deltaSquared) / bounded));
        }
        return Vector512.ConditionalSelect(small, near, far) & inRange;
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
