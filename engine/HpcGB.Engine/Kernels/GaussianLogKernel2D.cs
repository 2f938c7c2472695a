using HpcGB.Engine.Numerics;

namespace HpcGB.Engine.Kernels;

/// <summary>
/// Periodic 2D log kernel with Gaussian regularisation V̂_k e^{−2π²δ²|k|²} (docs/numerics.md §2–3):
/// V_δ = V − Σ_images ½E1(|x+n|²/2δ²) + πδ². On the nearest image −ln r − ½E1(t) = ½γ − ½ln(2δ²) − ½Ein(t)
/// is finite at r = 0, so V_δ(0) = C_iso + γ/2 − ½ln(2δ²) + πδ².
/// </summary>
public sealed class GaussianLogKernel2D : IPairKernel
{
    private readonly double _delta;
    private readonly double _coreConstant;

    public GaussianLogKernel2D(double delta)
    {
        _delta = delta;
        _coreConstant = 0.5 * ExponentialIntegral.EulerGamma - 0.5 * Math.Log(2 * delta * delta) + Math.PI * delta * delta;
        SelfValue = Potential(0, 0);
    }

    public double? SelfValue { get; }

    public double Potential(double dx, double dy)
    {
        var x = WallSums.Reduce(dx, dy);
        double t = x.R2 / (2 * _delta * _delta);
        double v = t >= GaussianCore.MaxExponent
            ? WallSums.LogPotential(x) + Math.PI * _delta * _delta
            : WallSums.LogRegularPotential(x) + _coreConstant - 0.5 * ExponentialIntegral.Ein(t);
        GaussianCore.ForFarImages(x, _delta, ref v, static (double _, double _, double tn, ref double acc) =>
            acc -= 0.5 * ExponentialIntegral.E1(tn));
        return v;
    }

    public void Gradient(double dx, double dy, out double gx, out double gy)
    {
        var x = WallSums.Reduce(dx, dy);
        double r2 = x.R2;
        (double G1, double G2) g;
        if (r2 >= 2 * _delta * _delta * GaussianCore.MaxExponent)
        {
            g = WallSums.LogGradient(x);
        }
        else
        {
            var (g1, g2) = WallSums.LogRegularGradient(x);
            // Nearest image: −(1 − e^{−t}) x/r², which tends to −x/(2δ²) as r → 0.
            double core = r2 == 0 ? 1 / (2 * _delta * _delta) : -SpecialMath.ExpM1(-r2 / (2 * _delta * _delta)) / r2;
            g = (g1 - core * x.X1, g2 - core * x.X2);
        }
        // Other images: ∇(−½E1(|y|²/2δ²)) = e^{−t} y/|y|².
        GaussianCore.ForFarImages(x, _delta, ref g, static (double y1, double y2, double tn, ref (double G1, double G2) acc) =>
        {
            double w = Math.Exp(-tn) / (y1 * y1 + y2 * y2);
            acc.G1 += w * y1;
            acc.G2 += w * y2;
        });
        gx = g.G1;
        gy = g.G2;
    }
}
