using HpcGB.Engine.Initialization;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using HpcGB.Engine.Tests.Simulation;

namespace HpcGB.Engine.Tests.Initialization;

public sealed class DipoleInitTests
{
    [Fact]
    public void OneDimensionalUniformCentresAreMidpointQuantiles()
    {
        const int count = 40;
        var state = Create(TestSpecs.Model(1), new DipoleParticles(count, [1e-4], false, null));
        Assert.Equal(2 * count, state.Count);
        for (int k = 0; k < count; k++)
        {
            Assert.Equal((sbyte)1, state.Signs[2 * k]);
            Assert.Equal((sbyte)-1, state.Signs[2 * k + 1]);
            double plus = state.Positions[0][2 * k], minus = state.Positions[0][2 * k + 1];
            Assert.Equal((k + 0.5) / count, 0.5 * (plus + minus), 14);
            Assert.Equal(1e-4, 0.5 * (plus - minus), 14);
        }
    }

    [Fact]
    public void OneDimensionalCentresFollowTheCentreDensity()
    {
        // ρ = 3 on [0, ½), 1 on [½, 1): three quarters of the centres in the left half, evenly spaced there.
        const int count = 40;
        var density = new DensityGrid([2], [3, 1]);
        var state = Create(TestSpecs.Model(1), new DipoleParticles(count, [1e-5], true, density));
        var centres = Centres(state);
        Assert.Equal(30, centres[0].Count(z => z < 0.5));
        Assert.Equal((0.5 / 40) / 1.5, centres[0][0], 12);
        Assert.Equal(0.5 + (0.5 / 40) / 0.5, centres[0][30], 12);
        for (int k = 0; k < count; k++)
        {
            Assert.Equal(1e-5, Math.Abs(HalfWidth(state, k)[0]), 14);
        }
    }

    [Theory]
    [InlineData(100, false)]
    [InlineData(73, true)]
    public void TwoDimensionalMembersAtCentrePlusMinusHAndCentresSeparated(int count, bool random)
    {
        double[] h = [3e-3, 1e-3];
        var state = Create(TestSpecs.Model(2), new DipoleParticles(count, h, random, null));
        double length = Math.Sqrt(h[0] * h[0] + h[1] * h[1]);
        for (int k = 0; k < count; k++)
        {
            double[] offset = HalfWidth(state, k);
            Assert.Equal(length, Math.Sqrt(offset[0] * offset[0] + offset[1] * offset[1]), 12);
            if (!random)
            {
                Assert.Equal(h[0], offset[0], 12);
                Assert.Equal(h[1], offset[1], 12);
            }
        }
        // Jittered lattice of L = ⌈√count⌉: centres at least ½/L ≥ 0.45·count^{−1/2} apart.
        double minimum = MinimumCentreDistance(Centres(state));
        int size = (int)Math.Ceiling(Math.Sqrt(count));
        Assert.True(minimum >= 0.5 / size, $"min centre distance {minimum} < {0.5 / size}");
        Assert.True(minimum >= 0.45 / Math.Sqrt(count));
    }

    [Fact]
    public void TwoDimensionalCentresFollowTheCentreDensity()
    {
        // Left half three times as dense as the right half.
        var density = new DensityGrid([2, 1], [3, 1]);
        var state = Create(TestSpecs.Model(2), new DipoleParticles(200, [1e-4, 1e-4], false, density));
        var centres = Centres(state);
        Assert.InRange(centres[0].Count(z => z < 0.5), 149, 151);
        Assert.True(MinimumCentreDistance(centres) >= 0.5 / Math.Ceiling(Math.Sqrt(200 * 1.5)));
    }

    [Fact]
    public void GlideMembersAreOnDifferentSlipPlanes()
    {
        var model = TestSpecs.Model(2, KernelType.Edge, MobilityType.Glide);
        var state = Create(model, new DipoleParticles(50, [2e-3, 5e-4], true, null));
        for (int k = 0; k < 50; k++)
        {
            double[] offset = HalfWidth(state, k);
            Assert.Equal(5e-4, Math.Abs(offset[1]), 12);
            Assert.Equal(2e-3, Math.Abs(offset[0]), 12);
            Assert.NotEqual(state.Positions[1][2 * k], state.Positions[1][2 * k + 1]);
        }
    }

    [Fact]
    public void GlideWithZeroSecondComponentIsRejected()
    {
        var model = TestSpecs.Model(2, KernelType.Edge, MobilityType.Glide);
        var error = Assert.Throws<SpecException>(() => Create(model, new DipoleParticles(10, [1e-3, 0], false, null)));
        Assert.Equal("$.particles.half_width", error.Path);
        Assert.Contains("glide", error.Message);
    }

    [Theory]
    [InlineData(1, 100, 0.003)] // spacing 0.01: |h| may be at most 0.0025
    [InlineData(2, 100, 0.02)] // spacing bound 0.05: |h| may be at most 0.0125
    public void HalfWidthNotSmallComparedWithSpacingIsRejected(int dimension, int count, double h)
    {
        double[] halfWidth = dimension == 1 ? [h] : [h, 0];
        var error = Assert.Throws<SpecException>(
            () => Create(TestSpecs.Model(dimension), new DipoleParticles(count, halfWidth, false, null)));
        Assert.Equal("$.particles.half_width", error.Path);
        Assert.Contains("spacing", error.Message);
    }

    [Fact]
    public void IsDeterministicForASeed()
    {
        var spec = TestSpecs.Spec(TestSpecs.Model(2), new DipoleParticles(64, [1e-3, 0], true, null), seed: 99);
        var a = InitialConditions.Create(spec);
        Assert.Equal(0, TestSpecs.MaxDifference(a, InitialConditions.Create(spec)));
        Assert.True(TestSpecs.MaxDifference(a, InitialConditions.Create(spec with { Seed = 100 })) > 0);
    }

    private static ParticleState Create(SystemModel model, DipoleParticles particles) =>
        InitialConditions.Create(TestSpecs.Spec(model, particles));

    /// <summary>(x₊ − x₋)/2 for dipole k, nearest image.</summary>
    private static double[] HalfWidth(ParticleState state, int k) =>
        state.Positions.Select(x => 0.5 * Torus.Nearest(x[2 * k] - x[2 * k + 1])).ToArray();

    /// <summary>Dipole midpoints x₋ + (x₊ − x₋)/2 (nearest image), wrapped and sorted along x1 in 1D.</summary>
    private static double[][] Centres(ParticleState state)
    {
        int count = state.Count / 2;
        var centres = state.Positions
            .Select(x => Enumerable.Range(0, count)
                .Select(k => Torus.Wrap(x[2 * k + 1] + 0.5 * Torus.Nearest(x[2 * k] - x[2 * k + 1])))
                .ToArray())
            .ToArray();
        if (state.Dimension == 1)
        {
            Array.Sort(centres[0]);
        }
        return centres;
    }

    private static double MinimumCentreDistance(double[][] centres)
    {
        double minimum = double.PositiveInfinity;
        int count = centres[0].Length;
        for (int i = 0; i < count; i++)
        {
            for (int j = i + 1; j < count; j++)
            {
                double r2 = centres.Sum(z => Math.Pow(Torus.Nearest(z[i] - z[j]), 2));
                minimum = Math.Min(minimum, Math.Sqrt(r2));
            }
        }
        return minimum;
    }
}
