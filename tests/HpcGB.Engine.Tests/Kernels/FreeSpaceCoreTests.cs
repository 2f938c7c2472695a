using HpcGB.Engine.Cases;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;
using Xunit.Abstractions;

namespace HpcGB.Engine.Tests.Kernels;

/// <summary>
/// The Newton matrix's free-space cores (docs/numerics.md §7): for every 2D case, the exact periodic gradient minus the
/// core's is the smooth remainder, H·x near 0 with H the constant Hessian the Newton matrix adds (for 2D poisson H is
/// taken from the unregularised kernel, exact to O(δ)); the exact gradient is the direct Fourier series.
/// </summary>
public class FreeSpaceCoreTests(ITestOutputHelper output)
{
    public static TheoryData<KernelType, RegularizationType> TwoDimensionalCases()
    {
        var data = new TheoryData<KernelType, RegularizationType>();
        foreach (var c in KernelCases.All.Where(c => c.Dimension == 2 && c.IsRegularised))
        {
            data.Add(c.Kernel, c.Regularization);
        }
        return data;
    }

    /// <summary>The case's free-space core at δ and the constant Hessian H of its smooth remainder near 0.</summary>
    private static (KernelCase Case, FreeSpaceCore Core, (double, double, double) H) CoreAndRemainder(
        KernelType kernel, RegularizationType type, double delta)
    {
        var kase = KernelCases.For(2, kernel, type);
        var remainder = kase.NewtonRemainderCase;
        return (kase, kase.NewtonCore!(delta), RemainderHessian(remainder.PairKernel(delta), remainder.NewtonCore!(delta)));
    }

    [Theory]
    [MemberData(nameof(TwoDimensionalCases))]
    public void ExactGradientIsTheCoreGradientPlusTheRemainderHessian(KernelType kernel, RegularizationType type)
    {
        const double delta = 0.01;
        var (kase, core, (h11, h12, h22)) = CoreAndRemainder(kernel, type, delta);
        var reg = new Regularization(type, delta);
        double worst = 0;
        foreach (double f in new[] { 0.3, 1.0, 2.5 })
        {
            foreach (double angle in new[] { 0.3, 1.2, 2.0 })
            {
                double x1 = f * delta * Math.Cos(angle), x2 = f * delta * Math.Sin(angle);
                var exact = DirectFourierSum.At(2, kernel, reg, x1, x2);
                core.Gradient(x1, x2, out double c1, out double c2);
                double e1 = exact.G1 - c1 - (h11 * x1 + h12 * x2);
                double e2 = exact.G2 - c2 - (h12 * x1 + h22 * x2);
                double relative = Math.Sqrt(e1 * e1 + e2 * e2) / Math.Sqrt(c1 * c1 + c2 * c2);
                worst = Math.Max(worst, relative);
            }
        }
        output.WriteLine($"{kase.Name} δ = {delta}: max |∇V − ∇core − Hx| / |∇core| = {worst:E2}");
        // Measured: 1.3e-6 log and 2.1e-6 edge gaussian (the remainder's O(|x|³) terms); 4.5e-5 and 1.4e-4 poisson,
        // whose H is off by O(δ) (both fall like δ³ relative: ×8 at δ = 0.02).
        double bound = type == RegularizationType.Poisson ? 3e-4 : 1e-5;
        Assert.True(worst <= bound, $"{worst:E2} > {bound:E0}");
    }

    /// <summary>
    /// <see cref="FreeSpaceCore.Energy"/> (the implicit line search's pair cores): every regularised core is the
    /// exact periodic energy less the smooth remainder, V(x) − core(x) − ½xᵀHx the same at every x near 0 (the direct
    /// Fourier series, H as above), inside the core and out to 2.5δ. (The unregularised series does not converge: the
    /// cores of none are checked against the plain pair sum in <c>NewtonMatrixTests</c>.)
    /// </summary>
    [Theory]
    [MemberData(nameof(TwoDimensionalCases))]
    public void CoreEnergyIsTheExactEnergyLessTheRemainder(KernelType kernel, RegularizationType type)
    {
        const double delta = 0.01;
        var (kase, core, (h11, h12, h22)) = CoreAndRemainder(kernel, type, delta);
        var reg = new Regularization(type, delta);
        var rest = new List<double>();
        foreach (double f in new[] { 0.1, 0.3, 1.0, 2.5 })
        {
            foreach (double angle in new[] { 0.3, 1.2, 2.0 })
            {
                double x1 = f * delta * Math.Cos(angle), x2 = f * delta * Math.Sin(angle);
                double energy = core.Energy(x1, x2);
                double exact = DirectFourierSum.At(2, kernel, reg, x1, x2).V;
                rest.Add(exact - energy - 0.5 * (h11 * x1 * x1 + 2 * h12 * x1 * x2 + h22 * x2 * x2));
            }
        }
        double spread = rest.Max() - rest.Min();
        output.WriteLine($"{kase.Name} δ = {delta}: V − core − ½xᵀHx spread {spread:E2} over 0.1δ … 2.5δ");
        // The log core varies by ln 25 ≈ 3.2 over these separations. Measured: 1.6e-7 log and 8.8e-7 edge gaussian (the
        // remainder's O(|x|⁴) terms), 1.4e-5 and 4.1e-5 poisson (whose H is the unregularised remainder's, off by O(δ)).
        double bound = type == RegularizationType.Poisson ? 1e-4 : 2e-6;
        Assert.True(spread <= bound, $"{spread:E2} > {bound:E0}");
    }

    /// <summary>
    /// <see cref="FreeSpaceCore.Gradient1"/> (glide's Newton matrix) is the first component of the full gradient bit for
    /// bit, for every 2D core, from inside the core to separations where e^{−r²/2δ²} underflows (the shortcut there
    /// gives libm's exact 0 and 1).
    /// </summary>
    [Fact]
    public void FirstComponentIsTheGradientsFirst()
    {
        const double delta = 1e-6;
        int compared = 0;
        foreach (var kase in KernelCases.All.Where(c => c.Dimension == 2 && c.NewtonCore is not null))
        {
            var core = kase.NewtonCore!(delta);
            foreach (double f in new[] { 0.01, 0.7, 3.0, 30.0, 38.0, 38.7, 38.6, 1e3, 1e5 })
            {
                foreach (double angle in new[] { 0.3, 1.2, 2.0, 4.0 })
                {
                    double x1 = f * delta * Math.Cos(angle), x2 = f * delta * Math.Sin(angle);
                    core.Gradient(x1, x2, out double g1, out _);
                    Assert.Equal(BitConverter.DoubleToInt64Bits(g1), BitConverter.DoubleToInt64Bits(core.Gradient1(x1, x2)));
                    compared++;
                }
            }
        }
        Assert.True(compared >= 6 * 36, $"{compared} comparisons");
    }

    /// <summary>The Hessian at 0 of the smooth remainder kernel − core, by central differences of the gradients.</summary>
    private static (double H11, double H12, double H22) RemainderHessian(IPairKernel kernel, FreeSpaceCore core)
    {
        const double h = 1e-3;
        (double, double) Remainder(double x1, double x2)
        {
            kernel.Gradient(x1, x2, out double g1, out double g2);
            core.Gradient(x1, x2, out double c1, out double c2);
            return (g1 - c1, g2 - c2);
        }
        var (a1, a2) = Remainder(h, 0);
        var (b1, b2) = Remainder(-h, 0);
        var (c1, c2) = Remainder(0, h);
        var (d1, d2) = Remainder(0, -h);
        return ((a1 - b1) / (2 * h), 0.5 * ((a2 - b2) + (c1 - d1)) / (2 * h), (c2 - d2) / (2 * h));
    }
    /// <summary>
    /// The closed-form Hessian where the core does not depend on δ (none; gaussian beyond r²/2δ² = 746) is the core
    /// gradient's fourth-order central difference, for log and edge at separations from 10⁻⁹ to 0.3 and every angle;
    /// the first component alone is the full one's bit for bit; inside the gaussian core's reach and for poisson there
    /// is none (the Newton matrix differentiates there).
    /// </summary>
    [Theory]
    [InlineData(false, RegularizationType.None)]
    [InlineData(true, RegularizationType.None)]
    [InlineData(false, RegularizationType.Gaussian)]
    [InlineData(true, RegularizationType.Gaussian)]
    public void FarHessianIsTheGradientsDerivative(bool edge, RegularizationType type)
    {
        const double delta = 1e-6;
        var core = edge ? FreeSpaceCore.Edge(type, delta) : FreeSpaceCore.Log(type, delta);
        double worst = 0;
        foreach (double r in new[] { 1e-9, 1e-6, 1e-4, 0.01, 0.3 })
        {
            foreach (double angle in new[] { 0.0, 0.3, 0.7854, 1.2, 2.0, 3.5, 5.0 })
            {
                double x1 = r * Math.Cos(angle), x2 = r * Math.Sin(angle);
                bool far = type == RegularizationType.None || r * r / (2 * delta * delta) >= 746;
                Assert.Equal(far, core.TryFarHessian(x1, x2, out double h11, out double h12, out double h22));
                Assert.Equal(far, core.TryFarSecond11(x1, x2, out double alone));
                if (!far)
                {
                    continue;
                }
                Assert.Equal(h11, alone);
                double h = 1e-3 * r;
                var d1 = Difference(core, x1, x2, h, 0);
                var d2 = Difference(core, x1, x2, 0, h);
                double scale = Math.Abs(h11) + Math.Abs(h12) + Math.Abs(h22);
                foreach (double e in new[] { h11 - d1.G1, h12 - d1.G2, h12 - d2.G1, h22 - d2.G2 })
                {
                    worst = Math.Max(worst, Math.Abs(e) / scale);
                }
            }
        }
        output.WriteLine($"largest difference relative to |H|: {worst:E2}");
        Assert.True(worst < 1e-9, $"{worst:E2}");
        Assert.False(FreeSpaceCore.Log(RegularizationType.Poisson, delta).TryFarHessian(0.1, 0.2, out _, out _, out _));
        Assert.False(core.TryFarHessian(0, 0, out _, out _, out _));
    }

    /// <summary>(∇core(x + s) − ∇core(x − s)) / 2|s| to fourth order (s = (s1, s2), one of them 0).</summary>
    private static (double G1, double G2) Difference(FreeSpaceCore core, double x1, double x2, double s1, double s2)
    {
        core.Gradient(x1 + s1, x2 + s2, out double a1, out double a2);
        core.Gradient(x1 - s1, x2 - s2, out double b1, out double b2);
        core.Gradient(x1 + 2 * s1, x2 + 2 * s2, out double c1, out double c2);
        core.Gradient(x1 - 2 * s1, x2 - 2 * s2, out double e1, out double e2);
        double h = s1 + s2;
        return ((8 * (a1 - b1) - (c1 - e1)) / (12 * h), (8 * (a2 - b2) - (c2 - e2)) / (12 * h));
    }

    /// <summary>A regularised core's gradient is 0 at x = 0 (an escaped pair sits there), not 0/0.</summary>
    [Theory]
    [MemberData(nameof(TwoDimensionalCases))]
    public void RegularisedCoreGradientVanishesAtZero(KernelType kernel, RegularizationType type)
    {
        var core = KernelCases.For(2, kernel, type).NewtonCore!(1e-6);
        core.Gradient(0, 0, out double g1, out double g2);
        Assert.Equal((0.0, 0.0), (g1, g2));
        Assert.Equal(0.0, core.Gradient1(0, 0));
    }
}
