using HpcGB.Engine.Initialization;
using HpcGB.Engine.Spec;
using HpcGB.Engine.Tests.Simulation;

namespace HpcGB.Engine.Tests.Initialization;

public sealed class UniformAndExplicitInitTests
{
    [Theory]
    [InlineData(1, 101, 0.5, 51)] // 50.5 rounds half away from zero
    [InlineData(2, 100, 0.3, 30)]
    [InlineData(2, 7, 1.0, 7)]
    [InlineData(2, 9, 0.0, 0)]
    public void UniformHasExactSignCountAndIsDeterministic(int dimension, int n, double fraction, int positives)
    {
        var spec = TestSpecs.Spec(TestSpecs.Model(dimension), new UniformParticles(n, fraction), seed: 2024);
        var a = InitialConditions.Create(spec);
        var b = InitialConditions.Create(spec);
        var other = InitialConditions.Create(spec with { Seed = 2025 });

        Assert.Equal(n, a.Count);
        Assert.Equal(positives, a.Signs.Count(s => s == 1));
        Assert.All(a.Signs, s => Assert.True(s is 1 or -1));
        Assert.All(a.Positions.SelectMany(x => x), x => Assert.InRange(x, 0.0, 1.0 - 1e-17));
        Assert.Equal(a.Signs, b.Signs);
        Assert.Equal(0, TestSpecs.MaxDifference(a, b));
        Assert.True(TestSpecs.MaxDifference(a, other) > 0);
    }

    [Fact]
    public void UniformSignsAreShuffled()
    {
        var state = InitialConditions.Create(TestSpecs.Spec(TestSpecs.Model(), new UniformParticles(200, 0.5)));
        // Not all + first: the first 100 hold a mix.
        int firstHalf = state.Signs.Take(100).Count(s => s == 1);
        Assert.InRange(firstHalf, 30, 70);
    }

    [Fact]
    public void ExplicitPositionsAreWrappedIntoTheUnitCell()
    {
        var particles = new ExplicitParticles([[1.25, -0.25], [0.5, 3.0]], [1, -1]);
        var state = InitialConditions.Create(TestSpecs.Spec(TestSpecs.Model(), particles));
        Assert.Equal([0.25, 0.5], state.Positions[0]);
        Assert.Equal([0.75, 0.0], state.Positions[1]);
        Assert.Equal([(sbyte)1, (sbyte)-1], state.Signs);
    }

    [Fact]
    public void ExplicitRejectsBadSignsNamingTheField()
    {
        var particles = new ExplicitParticles([[0.1, 0.2]], [0]);
        var error = Assert.Throws<SpecException>(() => InitialConditions.Create(TestSpecs.Spec(TestSpecs.Model(), particles)));
        Assert.Equal("$.particles.signs[0]", error.Path);
    }
}
