using HpcGB.Engine.Cases;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// The Hessian ∇²V_δ(x) of one pair kernel, by central differences of a gradient with a step relative to the
/// local length scale s = max(|x|, δ) (s = |x| for regularisation none): h = 10⁻⁴ s, so the truncation error is
/// ~(h/s)² = 10⁻⁸ relative and the rounding error ~ε·10⁴, at every separation down to tight dipoles at
/// δ = 10⁻¹² (the gradients are accurate relative to their size there). Differences are the nearest image.
/// <list type="bullet">
/// <item><see cref="Exact"/> differentiates the exact periodic kernel (wall sums): the reference.</item>
/// <item><see cref="ForNewton"/> (2D) differentiates the case's closed-form free-space core
/// (<see cref="FreeSpaceCore"/>) and adds the constant Hessian of the smooth periodic remainder at 0, computed once;
/// the remainder is even, so this is exact to O(|x|²) at a fraction of the cost (2D poisson, which has no closed
/// form: the remainder of the unregularised kernel, exact to O(δ)). In 1D both are the exact kernel. Where the core
/// does not depend on δ (none, or beyond the gaussian core's reach) its Hessian is taken in closed form
/// (<see cref="FreeSpaceCore.TryFarHessian"/>): a quarter of the differences' cost, and exact.</item>
/// </list>
/// Thread-safe.
/// </summary>
public sealed class PairHessian
{
    private const double RelativeStep = 1e-4;

    /// <summary>Step of the one-off difference of the smooth remainder.</summary>
    private const double RemainderStep = 1e-3;

    private readonly IPairKernel _kernel;
    private readonly double _coreLength;
    private readonly FreeSpaceCore? _core;
    private readonly FreeSpaceCore? _remainderCore;
    private readonly double _c11, _c12, _c22; // Hessian of the periodic remainder at 0

    private PairHessian(SystemModel model, bool core)
    {
        ArgumentNullException.ThrowIfNull(model);
        var kase = KernelCases.For(model);
        _core = core ? kase.NewtonCore?.Invoke(model.Delta) : null;
        var remainder = _core is null ? kase : kase.NewtonRemainderCase;
        _kernel = remainder.PairKernel(model.Delta);
        _remainderCore = _core is null ? null : remainder.NewtonCore!(model.Delta);
        _coreLength = kase.CoreLength(model.Delta);
        Dimension = model.Dimension;
        if (_core is not null)
        {
            double h = RemainderStep;
            Remainder(h, 0, out double a1, out double a2);
            Remainder(-h, 0, out double b1, out double b2);
            Remainder(0, h, out double c1, out double c2);
            Remainder(0, -h, out double d1, out double d2);
            _c11 = (a1 - b1) / (2 * h);
            _c22 = (c2 - d2) / (2 * h);
            _c12 = 0.5 * ((a2 - b2) + (c1 - d1)) / (2 * h);
        }
    }

    /// <summary>The free-space core this Hessian differentiates in closed form (null: differences of the exact kernel).</summary>
    public FreeSpaceCore? Core => _core;

    /// <summary>Differences of the exact periodic kernel.</summary>
    public static PairHessian Exact(SystemModel model) => new(model, core: false);

    /// <summary>Differences of the free-space core plus the remainder's Hessian at 0 (2D); exact in 1D.</summary>
    public static PairHessian ForNewton(SystemModel model) => new(model, core: true);

    public int Dimension { get; }

    /// <summary>∂²V/∂x1² only (glide and 1D need nothing else).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public double Second11(double dx, double dy)
    {
        Reduce(ref dx, ref dy);
        if (_core is not null && _core.TryFarSecond11(dx, dy, out double far))
        {
            return far + _c11;
        }
        double h = Step(dx, dy);
        double gPlus, gMinus;
        if (_core is not null)
        {
            gPlus = _core.Gradient1(dx + h, dy);
            gMinus = _core.Gradient1(dx - h, dy);
        }
        else
        {
            _kernel.Gradient(dx + h, dy, out gPlus, out _);
            _kernel.Gradient(dx - h, dy, out gMinus, out _);
        }
        return (gPlus - gMinus) / (2 * h) + _c11;
    }

    /// <summary>The symmetric 2 × 2 Hessian (h11, h12, h22) in 2D.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Second(double dx, double dy, out double h11, out double h12, out double h22)
    {
        Reduce(ref dx, ref dy);
        if (_core is not null && _core.TryFarHessian(dx, dy, out h11, out h12, out h22))
        {
            h11 += _c11;
            h12 += _c12;
            h22 += _c22;
            return;
        }
        double h = Step(dx, dy);
        Gradient(dx + h, dy, out double g1xp, out double g2xp);
        Gradient(dx - h, dy, out double g1xm, out double g2xm);
        Gradient(dx, dy + h, out double g1yp, out double g2yp);
        Gradient(dx, dy - h, out double g1ym, out double g2ym);
        h11 = (g1xp - g1xm) / (2 * h) + _c11;
        h22 = (g2yp - g2ym) / (2 * h) + _c22;
        h12 = 0.5 * ((g2xp - g2xm) + (g1yp - g1ym)) / (2 * h) + _c12;
    }

    /// <summary>Reduces the difference to its nearest image (so that x ± h resolves h).</summary>
    private void Reduce(ref double dx, ref double dy)
    {
        dx = Torus.Nearest(dx);
        dy = Dimension == 2 ? Torus.Nearest(dy) : 0.0;
    }

    /// <summary>The differences' step h at a reduced separation (the closed form, most pairs, needs none).</summary>
    private double Step(double dx, double dy) => RelativeStep * Math.Max(Math.Sqrt(dx * dx + dy * dy), _coreLength);

    private void Gradient(double dx, double dy, out double gx, out double gy)
    {
        if (_core is not null)
        {
            _core.Gradient(dx, dy, out gx, out gy);
        }
        else
        {
            _kernel.Gradient(dx, dy, out gx, out gy);
        }
    }

    /// <summary>∇ of the periodic kernel minus its free-space core (smooth and even).</summary>
    private void Remainder(double dx, double dy, out double gx, out double gy)
    {
        _kernel.Gradient(dx, dy, out gx, out gy);
        _remainderCore!.Gradient(dx, dy, out double cx, out double cy);
        gx -= cx;
        gy -= cy;
    }
}
