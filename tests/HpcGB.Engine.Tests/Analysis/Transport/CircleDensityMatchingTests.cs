using HpcGB.Engine.Analysis.Transport;
using static HpcGB.Engine.Tests.Analysis.Transport.TransportFixtures;

namespace HpcGB.Engine.Tests.Analysis.Transport;

public sealed class CircleDensityMatchingTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(1000)]
    public void GridPointsAgainstTheUniformDensityCostOneOverTwelveNSquared(int n)
    {
        // x_i = (i + ½)/n: every point carries the mass of its own cell of width 1/n, W₂² = n · n⁻¹ ∫|s|² over |s| < 1/(2n).
        var x = Enumerable.Range(0, n).Select(i => (i + 0.5) / n).ToArray();
        var result = CircleDensityMatching.Between(x, PiecewiseConstantDensity.Uniform);
        Assert.Equal(TransportMethod.CircleDensity, result.Method);
        Assert.Equal(1.0 / (12.0 * n * n), result.Squared, 1e-15);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 1)]
    [InlineData(7, 16)] // the uniform density given on 16 equal cells: same measure, more pieces
    [InlineData(500, 1)]
    [InlineData(500, 33)]
    [InlineData(70_000, 33)] // above the threshold where the cost is summed in parallel blocks
    public void MatchesTheUniformClosedForm(int n, int cells)
    {
        var density = new PiecewiseConstantDensity(Enumerable.Repeat(2.5, cells).ToArray());
        for (ulong seed = 1; seed <= (n > 10_000 ? 2UL : 10UL); seed++)
        {
            var x = RandomPoints(1, n, seed, clustered: seed % 2 == 0);
            Assert.Equal(UniformClosedForm(x[0]), CircleDensityMatching.Between(x[0], density).Squared, 1e-14);
        }
    }

    [Theory]
    [InlineData(new[] { 1.0, 0.0, 0.0, 3.0, 0.5 }, 5)]
    [InlineData(new[] { 0.0, 0.0, 1.0, 0.0 }, 9)]
    [InlineData(new[] { 2.0, 1.0, 0.1, 1.0, 0.0, 0.0, 4.0, 1.0 }, 40)]
    public void MatchesAFineQuantileSampleOfTheDensity(double[] values, int n)
    {
        // Reference: the density replaced by N points at its quantiles H((k + ½)/N) and each x repeated N/n times,
        // compared exactly by CircleW2. The quantile sample is within W₂ ≤ max_k |H((k+1)/N) − H(k/N)| of the density
        // away from H's jumps; at N = 180 000 (a multiple of every n here) and normalised densities ≥ 0.088 on their
        // support that is ≤ 1/(0.088·N) = 6.3e-5, and |ΔW₂| ≤ that by the triangle inequality.
        const int samples = 180_000;
        var density = new PiecewiseConstantDensity(values);
        var quantiles = Enumerable.Range(0, samples).Select(k => Quantile(values, (k + 0.5) / samples)).ToArray();
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var x = RandomPoints(1, n, seed)[0];
            var repeated = Enumerable.Range(0, samples).Select(k => x[k * n / samples]).ToArray();
            double reference = CircleW2.Between(repeated, quantiles).Value;
            Assert.Equal(reference, CircleDensityMatching.Between(x, density).Value, 6.3e-5);
        }
    }

    [Fact]
    public void IsInvariantUnderRotatingBothMeasuresByWholeCells()
    {
        double[] values = [1, 0, 2, 0.5, 0, 0, 3, 1];
        var x = RandomPoints(1, 37, 8)[0];
        double w = CircleDensityMatching.Between(x, new PiecewiseConstantDensity(values)).Value;
        for (int shift = 1; shift < values.Length; shift++)
        {
            var rotated = values.Select((_, j) => values[((j - shift) % values.Length + values.Length) % values.Length]).ToArray();
            var moved = x.Select(v => v + (double)shift / values.Length).ToArray();
            Assert.Equal(w, CircleDensityMatching.Between(moved, new PiecewiseConstantDensity(rotated)).Value, 1e-13);
        }
    }

    [Fact]
    public void RejectsBadDensitiesAndEmptyMeasures()
    {
        Assert.Contains("values[1] = -1", Assert.Throws<ArgumentException>(() => new PiecewiseConstantDensity([1.0, -1.0])).Message);
        Assert.Contains("zero mass", Assert.Throws<ArgumentException>(() => new PiecewiseConstantDensity([0.0, 0.0])).Message);
        Assert.Contains("at least one cell", Assert.Throws<ArgumentException>(() => new PiecewiseConstantDensity([])).Message);
        Assert.Contains("no points", Assert.Throws<ArgumentException>(
            () => CircleDensityMatching.Between([], PiecewiseConstantDensity.Uniform)).Message);
    }

    /// <summary>docs/numerics.md §6: W₂² = Σ_i [(x_(i) − i/n)³ − (x_(i) − (i+1)/n)³]/3 − (x̄ − ½)² for the uniform density.</summary>
    private static double UniformClosedForm(double[] positions)
    {
        var x = positions.Select(HpcGB.Engine.Model.Torus.Wrap).Order().ToArray();
        int n = x.Length;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double lo = x[i] - (double)i / n, hi = x[i] - (double)(i + 1) / n;
            sum += (lo * lo * lo - hi * hi * hi) / 3;
        }
        double shift = x.Average() - 0.5;
        return sum - shift * shift;
    }

    /// <summary>The quantile of the normalised piecewise-constant density at mass t ∈ (0, 1), by a plain scan.</summary>
    private static double Quantile(double[] values, double t)
    {
        double total = values.Sum(), below = 0;
        for (int j = 0; j < values.Length; j++)
        {
            double mass = values[j] / total;
            if (mass > 0 && below + mass >= t)
            {
                return (j + (t - below) / mass) / values.Length;
            }
            below += mass;
        }
        return 1;
    }
}
