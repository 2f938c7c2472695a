using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Reference;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Tests.Forces;

/// <summary>Physics invariants of the reference evaluators (docs/numerics.md §5), for every kernel × regularisation.</summary>
public class ReferenceInvariantTests
{
    private static readonly ForcesSpec ReferenceForces = new(ForceMethod.Reference, 1e-6);

    public static TheoryData<int, KernelType, RegularizationType> AllKernels()
    {
        var data = new TheoryData<int, KernelType, RegularizationType>();
        foreach (var c in KernelCases.All)
        {
            data.Add(c.Dimension, c.Kernel, c.Regularization);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllKernels))]
    public void VelocityIsMinusNTimesEnergyGradient(int d, KernelType kernel, RegularizationType type)
    {
        const double delta = 0.05;
        var model = TestSystems.Model(d, kernel, type, delta, external: TestSystems.SomeField(d));
        var state = TestSystems.RandomWithDipole(d, 12, delta, seed: 7);
        var evaluator = ForceEvaluatorFactory.Create(model, ReferenceForces, state.Count);
        int n = state.Count;
        var velocity = state.NewVectors();
        evaluator.Evaluate(state, velocity, withEnergy: false);
        const double h = 1e-6;
        foreach (int i in new[] { 0, 1, 5 })
        {
            for (int a = 0; a < d; a++)
            {
                double saved = state.Positions[a][i];
                state.Positions[a][i] = saved + h;
                double plus = evaluator.Evaluate(state, state.NewVectors(), withEnergy: true);
                state.Positions[a][i] = saved - h;
                double minus = evaluator.Evaluate(state, state.NewVectors(), withEnergy: true);
                state.Positions[a][i] = saved;
                double gradient = (plus - minus) / (2 * h);
                double expected = -n * gradient;
                Assert.True(Math.Abs(velocity[a][i] - expected) <= 1e-6 * (1 + Math.Abs(expected)),
                    $"particle {i} axis {a}: ẋ = {velocity[a][i]:R}, −n∂E = {expected:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllKernels))]
    public void VelocitiesSumToZeroWithoutExternalField(int d, KernelType kernel, RegularizationType type)
    {
        var model = TestSystems.Model(d, kernel, type, 0.03);
        var state = TestSystems.RandomWithDipole(d, 15, 0.03, seed: 3);
        var velocity = state.NewVectors();
        ForceEvaluatorFactory.Create(model, ReferenceForces, state.Count).Evaluate(state, velocity, withEnergy: false);
        for (int a = 0; a < d; a++)
        {
            double sum = velocity[a].Sum(), scale = velocity[a].Sum(Math.Abs);
            Assert.True(Math.Abs(sum) <= 1e-12 * scale, $"axis {a}: Σẋ = {sum:R} (scale {scale:R})");
        }
    }

    [Theory]
    [MemberData(nameof(AllKernels))]
    public void TranslationLeavesForcesAndEnergyUnchanged(int d, KernelType kernel, RegularizationType type)
    {
        var model = TestSystems.Model(d, kernel, type, 0.03);
        var state = TestSystems.RandomWithDipole(d, 10, 0.03, seed: 11);
        var evaluator = ForceEvaluatorFactory.Create(model, ReferenceForces, state.Count);
        var shifted = state.Clone();
        double[] shift = [0.3141, -0.2718];
        for (int a = 0; a < d; a++)
        {
            for (int i = 0; i < state.Count; i++)
            {
                shifted.Positions[a][i] += shift[a] + 3; // whole periods too
            }
        }
        var v = state.NewVectors();
        var w = state.NewVectors();
        double e = evaluator.Evaluate(state, v, true), f = evaluator.Evaluate(shifted, w, true);
        Assert.Equal(e, f, 1e-10);
        for (int a = 0; a < d; a++)
        {
            for (int i = 0; i < state.Count; i++)
            {
                Assert.True(Math.Abs(v[a][i] - w[a][i]) <= 1e-9 * (1 + Math.Abs(v[a][i])), $"{v[a][i]:R} vs {w[a][i]:R}");
            }
        }
    }

    [Theory]
    [InlineData(1, KernelType.Log, RegularizationType.Gaussian, 0.05)]
    [InlineData(2, KernelType.Log, RegularizationType.Gaussian, 0.05)]
    [InlineData(2, KernelType.Edge, RegularizationType.Gaussian, 0.05)]
    [InlineData(1, KernelType.Log, RegularizationType.Poisson, 0.02)]
    public void WallSumsAgreeWithFourierSeriesOnWholeSystems(int d, KernelType kernel, RegularizationType type, double delta)
    {
        // Two independent references — closed-form wall sums and direct Fourier sums — on the same particles,
        // energies with their self terms included.
        var model = TestSystems.Model(d, kernel, type, delta, external: TestSystems.SomeField(d));
        var state = TestSystems.RandomWithDipole(d, 20, delta, seed: 5);
        var v = state.NewVectors();
        var w = state.NewVectors();
        double e = new PairSumEvaluator(model, KernelCases.For(model).PairKernel(model.Delta)).Evaluate(state, v, true);
        double f = new FourierSeriesEvaluator(model).Evaluate(state, w, true);
        Assert.Equal(f, e, 1e-11);
        for (int a = 0; a < d; a++)
        {
            for (int i = 0; i < state.Count; i++)
            {
                Assert.True(Math.Abs(v[a][i] - w[a][i]) <= 1e-11 * (1 + Math.Abs(w[a][i])), $"{v[a][i]:R} vs {w[a][i]:R}");
            }
        }
    }

    [Fact]
    public void GlideZeroesTheSecondComponent()
    {
        var model = TestSystems.Model(2, KernelType.Edge, RegularizationType.Gaussian, 0.02, MobilityType.Glide, TestSystems.SomeField(2));
        var state = TestSystems.RandomWithDipole(2, 9, 0.02, seed: 2);
        var velocity = state.NewVectors();
        ForceEvaluatorFactory.Create(model, ReferenceForces, state.Count).Evaluate(state, velocity, false);
        Assert.All(velocity[1], v => Assert.Equal(0.0, v));
        Assert.Contains(velocity[0], v => v != 0.0);
    }

    [Fact]
    public void UnregularisedCollisionNamesBothParticles()
    {
        var model = TestSystems.Model(2, KernelType.Log, RegularizationType.None, 0.01);
        var state = new ParticleState([[0.1, 0.5, 0.1 + 1e-15], [0.2, 0.5, 0.2]], [1, 1, -1]);
        var error = Assert.Throws<CollisionException>(() =>
            ForceEvaluatorFactory.Create(model, ReferenceForces, state.Count).Evaluate(state, state.NewVectors(), false));
        Assert.Equal((0, 2), (error.First, error.Second));
        Assert.Contains("particles 0 and 2", error.Message);
    }
}
