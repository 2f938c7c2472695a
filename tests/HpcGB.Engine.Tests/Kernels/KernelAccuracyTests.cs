using HpcGB.Engine.Cases;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Tests.Kernels;

/// <summary>Every exact pair kernel against the direct Fourier series of docs/numerics.md §1–2.</summary>
public class KernelAccuracyTests(Xunit.Abstractions.ITestOutputHelper output)
{
    public static TheoryData<int, KernelType, RegularizationType, double> Cases()
    {
        var data = new TheoryData<int, KernelType, RegularizationType, double>();
        foreach (double delta in new[] { 1e-1, 1e-2, 1e-3 })
        {
            foreach (var c in KernelCases.All.Where(c => c.IsRegularised && c.ExactKernel is not null))
            {
                data.Add(c.Dimension, c.Kernel, c.Regularization, delta);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void RegularisedKernelMatchesFourierSeries(int d, KernelType kernel, RegularizationType type, double delta)
    {
        var reg = new Regularization(type, delta);
        var pair = KernelCases.For(d, kernel, type).PairKernel(delta);
        double worstV = 0, worstG = 0;
        foreach (var (x1, x2) in SamplePoints(d, delta))
        {
            var expected = DirectFourierSum.At(d, kernel, reg, x1, x2);
            double v = (x1, x2) == (0, 0) ? pair.SelfValue!.Value : pair.Potential(x1, x2);
            pair.Gradient(x1, x2, out double g1, out double g2);
            if ((x1, x2) == (0, 0))
            {
                (g1, g2) = (0, 0);
            }
            double scale = 1 + Math.Abs(expected.V);
            double gScale = 1 + Math.Abs(expected.G1) + Math.Abs(expected.G2);
            worstV = Math.Max(worstV, Math.Abs(v - expected.V) / scale);
            worstG = Math.Max(worstG, Math.Max(Math.Abs(g1 - expected.G1), Math.Abs(g2 - expected.G2)) / gScale);
            Assert.True(Math.Abs(v - expected.V) <= 1e-11 * scale, $"V at ({x1}, {x2}): {v:R} vs {expected.V:R}");
            Assert.True(Math.Abs(g1 - expected.G1) <= 1e-11 * gScale, $"∂1V at ({x1}, {x2}): {g1:R} vs {expected.G1:R}");
            Assert.True(Math.Abs(g2 - expected.G2) <= 1e-11 * gScale, $"∂2V at ({x1}, {x2}): {g2:R} vs {expected.G2:R}");
        }
        output.WriteLine($"{d}D {kernel} {type} δ = {delta}: max |ΔV|/(1+|V|) = {worstV:E1}, max |Δ∇V|/(1+|∇V|) = {worstG:E1}");
    }

    [Theory]
    [InlineData(KernelType.Log)]
    [InlineData(KernelType.Edge)]
    public void UnregularisedKernelEqualsGaussianOutsideTheCore(KernelType kernel)
    {
        // Outside a few δ the gaussian kernel equals the bare one to machine precision (docs/numerics.md §2),
        // up to the constant πδ² of the gaussian log kernel (§3).
        var reg = new Regularization(RegularizationType.Gaussian, 1e-3);
        var bare = KernelCases.For(2, kernel, RegularizationType.None).PairKernel(1e-3);
        foreach (var (x1, x2) in SamplePoints(2, 0.05).Where(p => Math.Sqrt(p.Item1 * p.Item1 + p.Item2 * p.Item2) > 0.04))
        {
            var expected = DirectFourierSum.At(2, kernel, reg, x1, x2);
            bare.Gradient(x1, x2, out double g1, out double g2);
            double shift = kernel == KernelType.Log ? Math.PI * reg.Delta * reg.Delta : 0.0;
            Assert.Equal(expected.V - shift, bare.Potential(x1, x2), 1e-11);
            Assert.Equal(expected.G1, g1, 1e-10);
            Assert.Equal(expected.G2, g2, 1e-10);
        }
    }

    [Fact]
    public void IsotropicConstantMatchesNumerics()
    {
        // V + ln r → C_iso at the origin; the edge kernel's constant is C_iso − ½.
        const double cIso = -1.3105329259115;
        var origin = WallSums.Reduce(0, 0);
        Assert.Equal(cIso, WallSums.LogRegularPotential(origin), 12);
        Assert.Equal(cIso - 0.5, WallSums.EdgeRegularPotential(origin), 12);
    }

    /// <summary>Random points, points a few δ from the origin, and points near the cell edges.</summary>
    internal static IEnumerable<(double, double)> SamplePoints(int d, double delta)
    {
        var random = new Random(12345);
        for (int i = 0; i < 6; i++)
        {
            yield return (random.NextDouble() - 0.5, d == 2 ? random.NextDouble() - 0.5 : 0);
        }
        foreach (double f in new[] { 0.3, 1.0, 2.5, 6.0 })
        {
            double r = f * delta;
            yield return d == 2 ? (r * 0.6, -r * 0.8) : (r, 0);
        }
        yield return d == 2 ? (0.4999, -0.4999) : (0.4999, 0);
        yield return d == 2 ? (0.5, 0.123) : (-0.5, 0);
        yield return (0, 0);
    }
}
