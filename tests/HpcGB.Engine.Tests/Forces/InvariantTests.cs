using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Tests.Forces;

/// <summary>
/// The physics invariants (docs/numerics.md §5), one test body each, on every backend of <see cref="ForceBackends"/>
/// and every case of the table the backend supports: ẋ = −n∇E, Σẋ = 0 with U = 0, translation invariance, glide,
/// and collisions under regularisation none.
/// </summary>
public class InvariantTests
{
    public static TheoryData<string, int, KernelType, RegularizationType> AllCases() => ForceBackends.Rows();

    public static TheoryData<string, int, KernelType, RegularizationType> EdgeCases() =>
        ForceBackends.Rows(c => c.Kernel == KernelType.Edge);

    public static TheoryData<string, int, KernelType, RegularizationType> UnregularisedCases() =>
        ForceBackends.Rows(c => !c.IsRegularised);

    [Theory]
    [MemberData(nameof(AllCases))]
    public void VelocityIsMinusNTimesEnergyGradient(string backend, int d, KernelType kernel, RegularizationType type)
    {
        const double delta = 0.05;
        var model = TestSystems.Model(d, kernel, type, delta, external: TestSystems.SomeField(d));
        var state = TestSystems.RandomWithDipole(d, 12, delta, seed: 7);
        var row = ForceBackends.Named(backend);
        var evaluator = row.Create(model, state.Count, ForceBackends.InvariantTolerance);
        using var disposable = evaluator as IDisposable;
        int n = state.Count;
        var velocity = state.NewVectors();
        evaluator.Evaluate(state, velocity, withEnergy: false);
        // Fourth-order differences: random particles can sit close, where central differences with h = 1e-6 are
        // off by h²/(3x³)/(1/x) relative.
        const double h = 1e-6;
        double EnergyAt(int i, int a, double shift)
        {
            double saved = state.Positions[a][i];
            state.Positions[a][i] = saved + shift;
            double e = evaluator.Evaluate(state, state.NewVectors(), withEnergy: true);
            state.Positions[a][i] = saved;
            return e;
        }
        foreach (int i in new[] { 0, 1, 5 })
        {
            for (int a = 0; a < d; a++)
            {
                double gradient = (-EnergyAt(i, a, 2 * h) + 8 * EnergyAt(i, a, h) - 8 * EnergyAt(i, a, -h) + EnergyAt(i, a, -2 * h)) / (12 * h);
                double expected = -n * gradient;
                Assert.True(Math.Abs(velocity[a][i] - expected) <= row.Gradient * (1 + Math.Abs(expected)),
                    $"particle {i} axis {a}: ẋ = {velocity[a][i]:R}, −n∂E = {expected:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void VelocitiesSumToZeroWithoutExternalField(string backend, int d, KernelType kernel, RegularizationType type)
    {
        var model = TestSystems.Model(d, kernel, type, 0.03);
        var state = TestSystems.RandomWithDipole(d, 15, 0.03, seed: 3);
        var row = ForceBackends.Named(backend);
        var velocity = state.NewVectors();
        var evaluator = row.Create(model, state.Count, ForceBackends.InvariantTolerance);
        using var disposable = evaluator as IDisposable;
        evaluator.Evaluate(state, velocity, withEnergy: false);
        for (int a = 0; a < d; a++)
        {
            double sum = velocity[a].Sum(), scale = velocity[a].Sum(Math.Abs);
            Assert.True(Math.Abs(sum) <= row.Momentum * scale, $"axis {a}: Σẋ = {sum:R} (scale {scale:R})");
        }
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void TranslationLeavesForcesAndEnergyUnchanged(string backend, int d, KernelType kernel, RegularizationType type)
    {
        var model = TestSystems.Model(d, kernel, type, 0.03);
        var state = TestSystems.RandomWithDipole(d, 10, 0.03, seed: 11);
        var row = ForceBackends.Named(backend);
        var evaluator = row.Create(model, state.Count, ForceBackends.InvariantTolerance);
        using var disposable = evaluator as IDisposable;
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
        Assert.True(Math.Abs(e - f) <= row.Translation * (1 + Math.Abs(e)), $"energy {e:R} vs {f:R}");
        for (int a = 0; a < d; a++)
        {
            for (int i = 0; i < state.Count; i++)
            {
                Assert.True(Math.Abs(v[a][i] - w[a][i]) <= row.Translation * (1 + Math.Abs(v[a][i])), $"{v[a][i]:R} vs {w[a][i]:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void GlideZeroesTheSecondComponent(string backend, int d, KernelType kernel, RegularizationType type)
    {
        var model = TestSystems.Model(d, kernel, type, 0.02, MobilityType.Glide, TestSystems.SomeField(2));
        var state = TestSystems.RandomWithDipole(2, 9, 0.02, seed: 2);
        var velocity = state.NewVectors();
        var evaluator = ForceBackends.Named(backend).Create(model, state.Count, ForceBackends.InvariantTolerance);
        using var disposable = evaluator as IDisposable;
        evaluator.Evaluate(state, velocity, false);
        Assert.All(velocity[1], v => Assert.Equal(0.0, v));
        Assert.Contains(velocity[0], v => v != 0.0);
    }

    [Theory]
    [MemberData(nameof(UnregularisedCases))]
    public void UnregularisedCollisionNamesBothParticles(string backend, int d, KernelType kernel, RegularizationType type)
    {
        var model = TestSystems.Model(d, kernel, type, 0.01);
        var positions = d == 2 ? new[] { new[] { 0.1, 0.5, 0.1 + 1e-15 }, new[] { 0.2, 0.5, 0.2 } } : [[0.1, 0.5, 0.1 + 1e-15]];
        var state = new ParticleState(positions, [1, 1, -1]);
        var evaluator = ForceBackends.Named(backend).Create(model, state.Count, ForceBackends.InvariantTolerance);
        using var disposable = evaluator as IDisposable;
        var error = Assert.Throws<CollisionException>(() => evaluator.Evaluate(state, state.NewVectors(), false));
        Assert.Equal((0, 2), (error.First, error.Second));
        Assert.Contains("particles 0 and 2", error.Message);
    }
}
