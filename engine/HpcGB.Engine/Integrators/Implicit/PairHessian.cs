using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Integrators.Implicit;

/// <summary>
/// The Hessian ∇²V_δ(x) of one periodic pair kernel, by central differences of its exact gradient with a step
/// relative to the local length scale s = max(|x|, δ) (s = |x| for regularisation none): h = 10⁻⁴ s, so the
/// truncation error is ~(h/s)² = 10⁻⁸ relative and the rounding error ~ε·10⁴, at every separation down to tight
/// dipoles at δ = 10⁻¹² (the kernels' gradients are accurate relative to their size there). Differences are the
/// nearest periodic image. Thread-safe (the kernels are).
/// </summary>
public sealed class PairHessian
{
    private const double RelativeStep = 1e-4;

    private readonly IPairKernel _kernel;
    private readonly double _coreLength;

    public PairHessian(SystemModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _kernel = PairKernels.Create(model);
        _coreLength = model.Regularization.Type == RegularizationType.None ? 0.0 : model.Delta;
        Dimension = model.Dimension;
    }

    public int Dimension { get; }

    /// <summary>∂²V/∂x1² only (glide and 1D need nothing else).</summary>
    public double Second11(double dx, double dy)
    {
        double h = Reduce(ref dx, ref dy);
        _kernel.Gradient(dx + h, dy, out double gPlus, out _);
        _kernel.Gradient(dx - h, dy, out double gMinus, out _);
        return (gPlus - gMinus) / (2 * h);
    }

    /// <summary>The symmetric 2 × 2 Hessian (h11, h12, h22) in 2D.</summary>
    public void Second(double dx, double dy, out double h11, out double h12, out double h22)
    {
        double h = Reduce(ref dx, ref dy);
        _kernel.Gradient(dx + h, dy, out double g1xp, out double g2xp);
        _kernel.Gradient(dx - h, dy, out double g1xm, out double g2xm);
        _kernel.Gradient(dx, dy + h, out double g1yp, out double g2yp);
        _kernel.Gradient(dx, dy - h, out double g1ym, out double g2ym);
        h11 = (g1xp - g1xm) / (2 * h);
        h22 = (g2yp - g2ym) / (2 * h);
        h12 = 0.5 * ((g2xp - g2xm) + (g1yp - g1ym)) / (2 * h);
    }

    /// <summary>Reduces the difference to its nearest image (so that x ± h resolves h) and returns the step h.</summary>
    private double Reduce(ref double dx, ref double dy)
    {
        dx = Torus.Nearest(dx);
        dy = Dimension == 2 ? Torus.Nearest(dy) : 0.0;
        double r = Math.Sqrt(dx * dx + dy * dy);
        return RelativeStep * Math.Max(r, _coreLength);
    }
}
