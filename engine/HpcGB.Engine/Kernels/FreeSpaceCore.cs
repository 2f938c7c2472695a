using HpcGB.Engine.Model;
using HpcGB.Engine.Numerics;

namespace HpcGB.Engine.Kernels;

/// <summary>
/// The closed-form free-space core of a 2D kernel regularised at δ (docs/numerics.md §2): the part of the periodic
/// V_δ that varies on the scales δ and |x|, so that V_δ minus the core is smooth near 0. With R = √(r² + δ²):
/// <list type="bullet">
/// <item>log: −ln r (none), −ln r − ½E1(r²/2δ²) (gaussian), −ln(δ + R) (poisson);</item>
/// <item>edge: −ln r + x1²/r² (none), the same minus s_δ (gaussian), −ln(δ + R) + ½ + (x1² − x2²)/(2(δ + R)²) (poisson).</item>
/// </list>
/// The implicit integrator's Newton matrix differentiates it. Thread-safe.
/// </summary>
public sealed class FreeSpaceCore
{
    private readonly bool _edge;
    private readonly RegularizationType _type;
    private readonly double _delta;

    /// <summary>The t beyond which e^{−t} underflows to 0 (e^{−745.2} is below half the least subnormal).</summary>
    private const double Underflow = 746;

    private FreeSpaceCore(bool edge, RegularizationType type, double delta)
    {
        _edge = edge;
        _type = type;
        _delta = type == RegularizationType.None ? 0.0 : delta;
    }

    /// <summary>The core of the log kernel.</summary>
    public static FreeSpaceCore Log(RegularizationType type, double delta) => new(false, type, delta);

    /// <summary>The core of the edge kernel.</summary>
    public static FreeSpaceCore Edge(RegularizationType type, double delta) => new(true, type, delta);

    /// <summary>
    /// The core itself (cheap enough for a line search; x ≠ 0 under none). log: −ln r (none),
    /// ½γ − ½ln(2δ²) − ½Ein(t) (gaussian: −ln r − ½E1(t), t = r²/2δ², without the cancellation at small r),
    /// −ln(δ + R) (poisson). edge: the log core plus x1²/r² (none); plus (x1² + e^{−t}x2²)/r² = 1 + x2²(e^{−t} − 1)/r²,
    /// 1 at x = 0 (gaussian: minus s_δ = ½E1(t) − e^{−t}x2²/r²); plus ½ + (x1² − x2²)/(2(δ + R)²) (poisson).
    /// </summary>
    public double Energy(double x1, double x2)
    {
        double r2 = x1 * x1 + x2 * x2, d2 = _delta * _delta;
        switch (_type)
        {
            case RegularizationType.Gaussian:
                double t = r2 / (2 * d2);
                double log = 0.5 * (ExponentialIntegral.EulerGamma - Math.Log(2 * d2) - ExponentialIntegral.Ein(t));
                return !_edge ? log : log + (r2 == 0 ? 1 : 1 + x2 * x2 * SpecialMath.ExpM1(-t) / r2);
            case RegularizationType.Poisson:
                double sum = _delta + Math.Sqrt(r2 + d2);
                return -Math.Log(sum) + (_edge ? 0.5 + (x1 * x1 - x2 * x2) / (2 * sum * sum) : 0);
            default:
                return -0.5 * Math.Log(r2) + (_edge ? x1 * x1 / r2 : 0);
        }
    }

    /// <summary>∇core(x) for x ≠ 0 (regularised cores: also at 0, where it is 0).</summary>
    public void Gradient(double x1, double x2, out double g1, out double g2)
    {
        if (_type == RegularizationType.Poisson)
        {
            PoissonGradient(x1, x2, out g1, out g2);
            return;
        }
        // g = 1 − e^{−t}, t = r²/2δ² (g = 1 for none): log −g x/r²; edge (x1(x2² − x1²)g/r⁴ − x1x2²e^{−t}/(δ²r²),
        // −x2(3x1² + x2²)g/r⁴ − x2³e^{−t}/(δ²r²)), as in GaussianEdgeKernel.
        double r2 = x1 * x1 + x2 * x2;
        if (r2 == 0 && _delta > 0)
        {
            g1 = g2 = 0;
            return;
        }
        double grown = 1, decay = 0, d2 = _delta * _delta;
        if (_delta > 0)
        {
            // Beyond t = 746 e^{−t} is 0 and 1 − e^{−t} is 1 in double; libm's exp reaches that through its slow
            // underflow path (errno), which costs more than the rest of a Newton pair's Hessian.
            double t = r2 / (2 * d2);
            if (t < Underflow)
            {
                grown = -SpecialMath.ExpM1(-t);
                decay = Math.Exp(-t);
            }
        }
        if (!_edge)
        {
            g1 = -grown * x1 / r2;
            g2 = -grown * x2 / r2;
            return;
        }
        double r4 = r2 * r2;
        g1 = x1 * (x2 * x2 - x1 * x1) / r4 * grown - (decay == 0 ? 0 : x1 * decay * x2 * x2 / (d2 * r2));
        g2 = -x2 * (3 * x1 * x1 + x2 * x2) / r4 * grown - (decay == 0 ? 0 : x2 * x2 * x2 * decay / (d2 * r2));
    }

    /// <summary>
    /// ∇²core(x) in closed form where the core does not depend on δ (regularisation none, or the gaussian core
    /// beyond r²/2δ² = 746, where e^{−r²/2δ²} is 0 in double and <see cref="Gradient"/> is that of none): log
    /// ((x1² − x2²), 2x1x2, (x2² − x1²))/r⁴, edge (x1⁴ − 6x1²x2² + x2⁴, x1x2(6x1² − 2x2²), x2⁴ + 6x1²x2² − 3x1⁴)/r⁶.
    /// False (and zeros) elsewhere: inside the gaussian core's reach, the Poisson cores, x = 0.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool TryFarHessian(double x1, double x2, out double h11, out double h12, out double h22)
    {
        h11 = h12 = h22 = 0;
        double u = x1 * x1, v = x2 * x2, r2 = u + v;
        if (!IsFar(r2))
        {
            return false;
        }
        if (!_edge)
        {
            double r4 = r2 * r2;
            h11 = (u - v) / r4;
            h12 = 2 * x1 * x2 / r4;
            h22 = (v - u) / r4;
            return true;
        }
        double r6 = r2 * r2 * r2;
        h11 = (u * u - 6 * u * v + v * v) / r6;
        h12 = x1 * x2 * (6 * u - 2 * v) / r6;
        h22 = (v * v + 6 * u * v - 3 * u * u) / r6;
        return true;
    }

    /// <summary>∂²core/∂x1² alone where <see cref="TryFarHessian"/> applies (glide's Newton matrix).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool TryFarSecond11(double x1, double x2, out double h11)
    {
        h11 = 0;
        double u = x1 * x1, v = x2 * x2, r2 = u + v;
        if (!IsFar(r2))
        {
            return false;
        }
        h11 = _edge ? (u * u - 6 * u * v + v * v) / (r2 * r2 * r2) : (u - v) / (r2 * r2);
        return true;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool IsFar(double r2) =>
        _type != RegularizationType.Poisson && r2 > 0 && (_delta == 0 || r2 / (2 * _delta * _delta) >= Underflow);

    /// <summary>∂core/∂x1 alone (<see cref="Gradient"/>'s first component, the same rounding, 0 at x = 0 where regularised): glide's Newton matrix.</summary>
    public double Gradient1(double x1, double x2)
    {
        if (_type == RegularizationType.Poisson)
        {
            PoissonGradient(x1, x2, out double p1, out _);
            return p1;
        }
        double r2 = x1 * x1 + x2 * x2;
        if (r2 == 0 && _delta > 0)
        {
            return 0;
        }
        double grown = 1, decay = 0, d2 = _delta * _delta;
        if (_delta > 0)
        {
            double t = r2 / (2 * d2);
            if (t < Underflow)
            {
                grown = -SpecialMath.ExpM1(-t);
                decay = Math.Exp(-t);
            }
        }
        if (!_edge)
        {
            return -grown * x1 / r2;
        }
        double r4 = r2 * r2;
        return x1 * (x2 * x2 - x1 * x1) / r4 * grown - (decay == 0 ? 0 : x1 * decay * x2 * x2 / (d2 * r2));
    }

    /// <summary>
    /// ∇(−ln(δ + R)) = −x/(R(δ + R)); the edge term adds (x1/(δ + R)², −x2/(δ + R)²) − (x1² − x2²) x/(R(δ + R)³).
    /// </summary>
    private void PoissonGradient(double x1, double x2, out double g1, out double g2)
    {
        double big = Math.Sqrt(x1 * x1 + x2 * x2 + _delta * _delta);
        double sum = _delta + big;
        double log = -1 / (big * sum);
        g1 = log * x1;
        g2 = log * x2;
        if (_edge)
        {
            double inverse2 = 1 / (sum * sum);
            double angular = (x1 * x1 - x2 * x2) * inverse2 / (big * sum);
            g1 += x1 * inverse2 - angular * x1;
            g2 += -x2 * inverse2 - angular * x2;
        }
    }
}
