using HpcGB.Engine.Analysis;
using HpcGB.Engine.Continuum;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Tests.Analysis;

/// <summary><see cref="ResolvedDistance"/> against sums written out by hand.</summary>
public sealed class ResolvedDistanceTests
{
    [Fact]
    public void OnePointAgainstTheUniformDensityIsTheSmoothedKernelSum1D()
    {
        // μ̂_k = e^{−2πikx₀}, ρ̂_k = 0 for k ≠ 0, equal masses: d² = Σ_{k≠0} e^{−4π²σ²k²} / 4π²k² whatever x₀.
        const double sigma = 0.05;
        double expected = Math.Sqrt(Enumerable.Range(1, 400).Sum(k => 2 * Math.Exp(-4 * Math.PI * Math.PI * sigma * sigma * k * k) / (4 * Math.PI * Math.PI * k * k)));
        var grid = new ContinuumGrid(16);
        double[] uniform = Enumerable.Repeat(1.0, 16).ToArray();
        foreach (double x0 in new[] { 0.0, 0.3137, 0.99 })
        {
            var state = new ParticleState([[x0]], [1]);
            Assert.Equal(expected, ResolvedDistance.Between(state, +1, grid, uniform, sigma), 1e-14);
        }
    }

    [Fact]
    public void OnePointAgainstTheUniformDensityIsTheSmoothedKernelSum2D()
    {
        const double sigma = 0.1;
        double sum = 0;
        for (int k1 = -60; k1 <= 60; k1++)
        {
            for (int k2 = -60; k2 <= 60; k2++)
            {
                double kk = k1 * k1 + k2 * k2;
                sum += kk == 0 ? 0 : Math.Exp(-4 * Math.PI * Math.PI * sigma * sigma * kk) / (4 * Math.PI * Math.PI * kk);
            }
        }
        var grid = new ContinuumGrid(8, 4);
        double[] uniform = Enumerable.Repeat(1.0, 32).ToArray();
        var state = new ParticleState([[0.21], [0.77]], [-1]);
        Assert.Equal(Math.Sqrt(sum), ResolvedDistance.Between(state, -1, grid, uniform, sigma), 1e-14);
    }

    [Fact]
    public void EvenlySpacedPointsMatchTheUniformDensityBelowTheirOwnScale()
    {
        // n points at (i + ½)/n: μ̂_k = 0 unless n divides k, so only |k| ≥ n enters, weighted by e^{−4π²σ²n²};
        // the plain H^{−1} distance keeps its 1/n floor.
        const int n = 64;
        var state = new ParticleState([Enumerable.Range(0, n).Select(i => (i + 0.5) / n).ToArray()], Enumerable.Repeat((sbyte)1, n).ToArray());
        var grid = new ContinuumGrid(256);
        double[] uniform = Enumerable.Repeat(1.0, 256).ToArray();
        Assert.True(ResolvedDistance.Between(state, +1, grid, uniform, sigma: 0.1) < 1e-15);
        Assert.True(HMinusOneDistance.Between(grid, state, +1, uniform) > 1e-3);
    }

    [Fact]
    public void ADensityMismatchIsSeenThroughTheCellIntegrals()
    {
        // Points evenly spaced (uniform measure, mass 1) against ρ = 1 + a on the left half and 1 − a on the right:
        // ρ̂_k = a (1 − e^{−iπk})/(iπk) · … only odd k, |ρ̂_k| = 2a/(π|k|); d² = Σ_{k odd} 2 e^{−4π²σ²k²} (2a/πk)² / 4π²k².
        const double a = 0.2, sigma = 0.02;
        var grid = new ContinuumGrid(64);
        double[] density = Enumerable.Range(0, 64).Select(j => j < 32 ? 1 + a : 1 - a).ToArray();
        const int n = 4096;
        var state = new ParticleState([Enumerable.Range(0, n).Select(i => (i + 0.5) / n).ToArray()], Enumerable.Repeat((sbyte)1, n).ToArray());
        double expected = Math.Sqrt(Enumerable.Range(0, 200).Select(m => 2 * m + 1)
            .Sum(k => 2 * Math.Exp(-4 * Math.PI * Math.PI * sigma * sigma * k * k) * Math.Pow(2 * a / (Math.PI * k), 2) / (4 * Math.PI * Math.PI * k * k)));
        Assert.Equal(expected, ResolvedDistance.Between(state, +1, grid, density, sigma), 1e-12);
    }
}
