using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;
using Xunit.Abstractions;

namespace HpcGB.Engine.Tests.Forces;

/// <summary>
/// The blocked, vectorised one-body part against <see cref="ExternalPotential"/>'s scalar formulas particle by
/// particle: every block remainder, d = 1 and 2, two modes and an applied force, positions far off the unit cell.
/// </summary>
public class ExternalFieldTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1, MobilityType.Isotropic)]
    [InlineData(2, MobilityType.Isotropic)]
    [InlineData(2, MobilityType.Glide)]
    public void EqualsTheScalarFormulas(int d, MobilityType mobility)
    {
        var external = TestSystems.SomeField(d);
        var model = TestSystems.Model(d, KernelType.Log, RegularizationType.None, 0.01, mobility, external);
        double worstVelocity = 0, worstEnergy = 0;
        foreach (int n in new[] { 0, 1, 7, 255, 256, 257, 700 })
        {
            var random = new Random(n);
            var state = ParticleState.Zeros(d, [.. Enumerable.Range(0, n).Select(i => (sbyte)(i % 2 == 0 ? 1 : -1))]);
            for (int i = 0; i < n; i++)
            {
                for (int a = 0; a < d; a++)
                {
                    state.Positions[a][i] = random.NextDouble() + (i % 3 == 0 ? 40 * (i % 5) - 70 : 0);
                }
            }
            var velocity = state.NewVectors();
            for (int a = 0; a < d; a++)
            {
                Array.Fill(velocity[a], 0.25);
            }
            double sum = ExternalField.AddVelocity(model, state, velocity, withEnergy: true);

            double expected = 0, scale = 0;
            var point = new double[d];
            for (int i = 0; i < n; i++)
            {
                var gradient = new double[d];
                for (int a = 0; a < d; a++)
                {
                    point[a] = state.Positions[a][i];
                }
                external.AddGradient(point, gradient);
                double b = state.Signs[i], u = external.Value(point);
                for (int a = 0; a < d; a++)
                {
                    u -= external.Force[a] * point[a];
                    double v = mobility == MobilityType.Glide && a == 1 ? 0.0 : 0.25 + b * (external.Force[a] - gradient[a]);
                    worstVelocity = Math.Max(worstVelocity, Math.Abs(velocity[a][i] - v));
                }
                expected += b * u;
                scale += Math.Abs(u);
            }
            worstEnergy = Math.Max(worstEnergy, Math.Abs(sum - expected) / Math.Max(scale, 1e-300));
            Assert.Equal(0.0, ExternalField.AddVelocity(model, state, state.NewVectors(), withEnergy: false));
        }
        output.WriteLine($"d = {d} {mobility}: velocity {worstVelocity:E2} (absolute; |∇U| ≈ 1), energy {worstEnergy:E2} relative to Σ|U − F·x|");
        Assert.True(worstVelocity <= 1e-14, $"velocity {worstVelocity:E2}");
        Assert.True(worstEnergy <= 1e-14, $"energy {worstEnergy:E2}");
    }

    /// <summary>A particle's velocity does not depend on its index (across ranks migration and resume move it: a
    /// scalar remainder after the vector blocks once changed its last bit there).</summary>
    [Fact]
    public void AParticlesVelocityDoesNotDependOnItsIndex()
    {
        const int d = 2, n = 11;
        var model = TestSystems.Model(d, KernelType.Log, RegularizationType.None, 0.01, MobilityType.Isotropic, TestSystems.SomeField(d));
        var random = new Random(3);
        var state = ParticleState.Zeros(d, [.. Enumerable.Range(0, n).Select(i => (sbyte)(i % 2 == 0 ? 1 : -1))]);
        for (int i = 0; i < n; i++)
        {
            state.Positions[0][i] = random.NextDouble();
            state.Positions[1][i] = random.NextDouble();
        }
        var velocity = state.NewVectors();
        ExternalField.AddVelocity(model, state, velocity, withEnergy: false);
        for (int shift = 1; shift < n; shift++)
        {
            var moved = ParticleState.Zeros(d, [.. Enumerable.Range(0, n).Select(i => state.Signs[(i + shift) % n])]);
            for (int i = 0; i < n; i++)
            {
                moved.Positions[0][i] = state.Positions[0][(i + shift) % n];
                moved.Positions[1][i] = state.Positions[1][(i + shift) % n];
            }
            var movedVelocity = moved.NewVectors();
            ExternalField.AddVelocity(model, moved, movedVelocity, withEnergy: false);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(velocity[0][(i + shift) % n], movedVelocity[0][i]);
                Assert.Equal(velocity[1][(i + shift) % n], movedVelocity[1][i]);
            }
        }
    }
}
