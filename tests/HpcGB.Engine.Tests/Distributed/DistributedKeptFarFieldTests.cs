using HpcGB.Engine.Distributed;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;
using HpcGB.Engine.Tests.Ewald;

namespace HpcGB.Engine.Tests.Distributed;

/// <summary>
/// The far field kept within an attempt across ranks (<see cref="DistributedEwaldEvaluator.EvaluateKeepingFarField"/>)
/// equals the serial evaluator's (<see cref="EwaldEvaluator.EvaluateKeepingFarField"/>) to the order of the sums, with
/// almost every particle lent to another rank; on K = 1 … 4 ranks, uniform and close-dipole particles.
/// </summary>
public class DistributedKeptFarFieldTests
{
    private const int Particles = 1200;

    [Theory]
    [InlineData("uniform", 1)]
    [InlineData("uniform", 2)]
    [InlineData("uniform", 3)]
    [InlineData("dipoles-1e-6", 4)]
    public void TheKeptFarFieldEqualsTheSerialOne(string configuration, int ranks)
    {
        var model = FastPathCases.Model(2, KernelType.Log, RegularizationType.Gaussian, configuration);
        var state = FastPathCases.Build(2, configuration, model.Delta, Particles);
        var moved = KeptFarFieldTests.Moved(state);
        var parameters = EwaldParameterChooser.Choose(model, Particles, 1e-8);
        using var serial = new EwaldEvaluator(model, parameters, SimdPath.Auto, threads: 1);
        var expected = state.NewVectors();
        using (serial.BeginAttempt())
        {
            serial.Evaluate(state, state.NewVectors(), withEnergy: true);
            Assert.True(serial.EvaluateKeepingFarField(moved, expected));
        }
        var full = state.NewVectors();
        serial.Evaluate(moved, full, withEnergy: false);

        var velocity = state.NewVectors();
        var results = InProcessRanks.Run(ranks, communicator =>
        {
            // Particle i held by rank i mod K: nearly every evaluation lends it.
            int[] ids = Enumerable.Range(0, Particles).Where(i => i % ranks == communicator.Rank).ToArray();
            ParticleState Held(ParticleState s) => new(s.Positions.Select(axis => ids.Select(i => axis[i]).ToArray()).ToArray(), ids.Select(i => s.Signs[i]).ToArray());
            using var evaluator = new DistributedEwaldEvaluator(model, parameters, SimdPath.Auto, threads: 1, communicator, Particles, 0) { Ids = ids };
            var local = Held(state).NewVectors();
            bool outside = evaluator.EvaluateKeepingFarField(Held(moved), local);
            bool kept;
            using (evaluator.BeginAttempt())
            {
                evaluator.Evaluate(Held(state), local, withEnergy: true);
                kept = evaluator.EvaluateKeepingFarField(Held(moved), local);
            }
            return (ids, local, outside, kept);
        });
        foreach (var (ids, local, outside, kept) in results)
        {
            Assert.False(outside, "kept outside an attempt");
            Assert.True(kept, "not kept in the attempt");
            for (int j = 0; j < ids.Length; j++)
            {
                velocity[0][ids[j]] = local[0][j];
                velocity[1][ids[j]] = local[1][j];
            }
        }
        double scale = Math.Sqrt(Enumerable.Range(0, Particles).Average(i => Sq(expected[0][i]) + Sq(expected[1][i])));
        double worst = Enumerable.Range(0, Particles).Max(i => Math.Sqrt(Sq(velocity[0][i] - expected[0][i]) + Sq(velocity[1][i] - expected[1][i])));
        double fromFull = Enumerable.Range(0, Particles).Max(i => Math.Sqrt(Sq(full[0][i] - expected[0][i]) + Sq(full[1][i] - expected[1][i])));
        Assert.True(worst <= 1e-12 * scale, $"differs from the serial kept field by {worst / scale:E2} of the RMS velocity");
        Assert.True(fromFull > 1e-9 * scale, "the move changes the mesh's part beyond the sums' rounding");
    }

    private static double Sq(double x) => x * x;
}
