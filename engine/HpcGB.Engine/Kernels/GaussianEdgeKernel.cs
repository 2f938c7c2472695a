using HpcGB.Engine.Numerics;

namespace HpcGB.Engine.Kernels;

/// <summary>
/// Periodic edge kernel with the modified Gaussian regularisation V̂_k (1 + 2π²δ²|k|²) e^{−2π²δ²|k|²}
/// (docs/numerics.md §2): V_δ = V − Σ_images s_δ, s_δ(y) = ½E1(t) − e^{−t} y2²/|y|², t = |y|²/2δ². On the nearest
/// image the free kernel minus s_δ is ½γ − ½ln(2δ²) − ½Ein(t) + 1 + (e^{−t} − 1) x2²/r², finite at 0:
/// V_δ(0) = ½ + γ/2 − ½ln(2δ²) + C_iso.
/// </summary>
public sealed class GaussianEdgeKernel : IPairKernel
{
    private readonly double _delta;
    private readonly double _coreConstant;

    public GaussianEdgeKernel(double delta)
    {
        _delta = delta;
        _coreConstant = 0.5 * ExponentialIntegral.EulerGamma - 0.5 * Math.Log(2 * delta * delta) + 1.0;
        SelfValue = Potential(0, 0);
    }

    public double? SelfValue { get; }

    public double Potential(double dx, double dy)
    {
        var x = WallSums.Reduce(dx, dy);
        double r2 = x.R2;
        double t = r2 / (2 * _delta * _delta);
        double v;
        if (t >= GaussianCore.MaxExponent)
        {
            v = WallSums.EdgePotential(x);
        }
        else
        {
            v = WallSums.EdgeRegularPotential(x) + _coreConstant - 0.5 * ExponentialIntegral.Ein(t);
            if (r2 > 0)
            {
                v += SpecialMath.ExpM1(-t) * x.X2 * x.X2 / r2;
            }
        }
        GaussianCore.ForFarImages(x, _delta, ref v, static (double y1, double y2, double tn, ref double acc) =>
            acc -= 0.5 * ExponentialIntegral.E1(tn) - Math.Exp(-tn) * y2 * y2 / (y1 * y1 + y2 * y2));
        return v;
    }

    public void Gradient(double dx, double dy, out double gx, out double gy)
    {
        var x = WallSums.Reduce(dx, dy);
        double r2 = x.R2;
        double d2 = _delta * _delta;
        double g1, g2;
        if (r2 >= 2 * d2 * GaussianCore.MaxExponent)
        {
            (g1, g2) = WallSums.EdgeGradient(x);
        }
        else if (r2 > 0)
        {
            (g1, g2) = WallSums.EdgeRegularGradient(x);
            // ∇(free − s_δ) on the nearest image, with 1 − e^{−t} from expm1 so it stays accurate as r → 0.
            double x1 = x.X1, x2 = x.X2, r4 = r2 * r2;
            double t = r2 / (2 * d2);
            double decay = Math.Exp(-t), grown = -SpecialMath.ExpM1(-t);
            g1 += x1 * (x2 * x2 - x1 * x1) / r4 * grown - x1 * decay * x2 * x2 / (d2 * r2);
            g2 += -x2 * (3 * x1 * x1 + x2 * x2) / r4 * grown - x2 * x2 * x2 * decay / (d2 * r2);
        }
        else
        {
            (g1, g2) = WallSums.EdgeRegularGradient(x);
        }
        var g = (G1: g1, G2: g2, D2: d2);
        // Other images: −∇s_δ (docs/numerics.md §4 with σ = δ).
        GaussianCore.ForFarImages(x, _delta, ref g, static (double y1, double y2, double tn, ref (double G1, double G2, double D2) acc) =>
        {
            double q2 = y1 * y1 + y2 * y2;
            double e = Math.Exp(-tn) / q2;
            acc.G1 -= y1 * e * (y2 * y2 / acc.D2 + (y2 * y2 - y1 * y1) / q2);
            acc.G2 -= y2 * e * (y2 * y2 / acc.D2 + 2 * y2 * y2 / q2 - 3);
        });
        gx = g.G1;
        gy = g.G2;
    }
}
