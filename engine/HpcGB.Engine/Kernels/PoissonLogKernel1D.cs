using HpcGB.Engine.Numerics;

namespace HpcGB.Engine.Kernels;

/// <summary>
/// 1D log kernel with Poisson regularisation V̂_k e^{−2πδ|k|}, closed form on the torus (docs/numerics.md §2):
/// V_δ(x) = −½ ln(1 − 2ρ cos 2πx + ρ²), ρ = e^{−2πδ}; the denominator is written (1 − ρ)² + 4ρ sin² πx.
/// </summary>
public sealed class PoissonLogKernel1D(double delta) : IPairKernel
{
    private readonly double _rho = Math.Exp(-2 * Math.PI * delta);
    private readonly double _oneMinusRho = -SpecialMath.ExpM1(-2 * Math.PI * delta);

    public double? SelfValue => -Math.Log(_oneMinusRho);

    public double Potential(double dx, double dy) => -0.5 * Math.Log(Den(dx));

    public void Gradient(double dx, double dy, out double gx, out double gy)
    {
        gx = -2 * Math.PI * _rho * Math.Sin(2 * Math.PI * dx) / Den(dx);
        gy = 0;
    }

    private double Den(double dx)
    {
        double s = Math.Sin(Math.PI * dx);
        return _oneMinusRho * _oneMinusRho + 4 * _rho * s * s;
    }
}
