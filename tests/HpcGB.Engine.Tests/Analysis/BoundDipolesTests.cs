using HpcGB.Engine.Analysis;
using HpcGB.Engine.Initialization;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using HpcGB.Engine.Tests.Simulation;

namespace HpcGB.Engine.Tests.Analysis;

public sealed class BoundDipolesTests
{
    [Theory]
    [InlineData(RegularizationType.Gaussian)]
    [InlineData(RegularizationType.Poisson)]
    public void ARegularisedKernelBindsWithinThreeDelta(RegularizationType type)
    {
        var model = TestSpecs.Model(regularization: type, delta: 0.004);
        Assert.Equal(0.012, BoundDipoles.Distance(model, 1000), 15);
    }

    [Theory]
    [InlineData(1, 400, 0.1 / 400)]
    [InlineData(2, 65536, 0.1 / 256)]
    public void TheUnregularisedKernelTakesATenthOfTheSpacingWhateverDelta(int dimension, int n, double expected)
    {
        foreach (double delta in new[] { 1e-9, 0.01, 0.25 })
        {
            var model = TestSpecs.Model(dimension, regularization: RegularizationType.None, delta: delta);
            Assert.Equal(expected, BoundDipoles.Distance(model, n), 15);
        }
    }

    /// <summary>Issue 18: 65,536 uniform particles under <c>none</c> with the default δ reported 3,037,304 "bound
    /// dipoles" at t = 0 (every opposite-sign pair closer than 3δ = 0.03). Mutual nearest pairs closer than a tenth
    /// of the spacing: about 1 % of the particles, the chance encounters of a uniform sample.</summary>
    [Fact]
    public void AUniformUnregularisedGasHasFewChanceDipoles()
    {
        const int n = 65536;
        var model = TestSpecs.Model(regularization: RegularizationType.None, delta: 0.01);
        var state = InitialConditions.Create(TestSpecs.Spec(model, new UniformParticles(n, 0.5)));
        long count = BoundDipoles.Count(state, BoundDipoles.Distance(model, n));
        Assert.InRange(count, 1, n / 50);
    }
}
