using HpcGB.Engine.Distributed;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using HpcGB.Engine.Tests.Simulation;
using Xunit.Abstractions;

namespace HpcGB.Engine.Tests.Distributed;

/// <summary>
/// Whole runs across in-process ranks against the serial <see cref="Engine.Simulation.SimulationRunner"/> on the same
/// spec: the same accepted and rejected steps, the energies and every frame's positions (streamed to rank 0 in the
/// serial order) to 1e-10; a glide run in which every particle crosses several slab boundaries keeps identity and
/// order, re-homing particles at every output.
/// </summary>
public class DistributedRunnerTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-10;

    private static readonly ForcesSpec Pme = new(ForceMethod.Pme, 1e-6, SimdPath.Auto, Threads: 1);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void A_dp45_run_equals_the_serial_run(int ranks)
    {
        var model = TestSpecs.Model(delta: 0.01, external: new ExternalPotential([new FourierMode([1, 0], 0.3, 0.1)], [0.0, 0.0]));
        var spec = new SimulationSpec(model, new UniformParticles(1200, 0.5), TestSpecs.Time(end: 0.02, outputs: 4, rtol: 1e-6, atol: 1e-9), Pme, 5);
        Compare(spec, ranks);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Glide_particles_crossing_many_slabs_keep_identity_and_order(int ranks)
    {
        // Edge dislocations under glide with an applied force: + move right, − left, each 1.2 periods by the end.
        var model = TestSpecs.Model(kernel: KernelType.Edge, mobility: MobilityType.Glide, delta: 0.01,
            external: new ExternalPotential([], [2.4, 0.0]));
        var spec = new SimulationSpec(model, new UniformParticles(1200, 0.5), TestSpecs.Time(end: 0.5, outputs: 6, rtol: 1e-6, atol: 1e-9), Pme, 9);
        var result = Compare(spec, ranks);
        Assert.True(result.MigratedBytes > 0, "particles were re-homed");
        // Each particle is held by exactly one rank, in ascending order there.
        var all = result.HeldIds.SelectMany(ids => ids).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 1200), all);
        Assert.All(result.HeldIds, ids => Assert.True(ids.Zip(ids.Skip(1)).All(p => p.First < p.Second)));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Slabs_move_to_share_out_crowded_particles_and_the_run_is_unchanged(int ranks)
    {
        // Uniform at first (even slabs, balanced), then the force of U = cos 2πx1 on + particles and −cos on −
        // particles gathers them around x1 = ½ and 0 (the troughs of b·U): the slabs there fill up.
        var random = new Random(3);
        int n = 1200;
        var positions = Enumerable.Range(0, n).Select(i => new[] { random.NextDouble(), random.NextDouble() }).ToArray();
        var signs = Enumerable.Range(0, n).Select(i => (sbyte)(i % 2 == 0 ? 1 : -1)).ToArray();
        var model = TestSpecs.Model(delta: 0.01, external: new ExternalPotential([new FourierMode([1, 0], 1.0, 0.6)], [0.0, 0.0]));
        var spec = new SimulationSpec(model, new ExplicitParticles(positions, signs),
            TestSpecs.Time(end: 0.12, outputs: 4, rtol: 1e-6, atol: 1e-9), Pme, 1);
        var result = Compare(spec, ranks);
        Assert.True(result.Rebalances >= 1, "the slabs moved");
        Assert.Contains(result.Imbalance, step => step.After < step.Before);
    }

    private DistributedRun.Result Compare(SimulationSpec spec, int ranks)
    {
        var serial = DistributedRun.Serial(spec);
        var distributed = DistributedRun.Run(spec, ranks);
        Assert.Equal(serial.Count, distributed.Frames.Count);
        for (int f = 0; f < serial.Count; f++)
        {
            var (expected, expectedPositions) = serial[f];
            var (actual, positions) = distributed.Frames[f];
            double difference = DistributedRun.MaxDifference(expectedPositions, positions);
            output.WriteLine($"frame {f}: t = {actual.Time:R}, steps {actual.AcceptedSteps}/{actual.RejectedSteps} (serial {expected.AcceptedSteps}/{expected.RejectedSteps}), " +
                $"energy {actual.Energy:R} vs {expected.Energy:R}, dipoles {actual.BoundDipoles} vs {expected.BoundDipoles}, max position difference {difference:E2}");
            Assert.Equal(expected.Time, actual.Time);
            Assert.Equal(expected.AcceptedSteps, actual.AcceptedSteps);
            Assert.Equal(expected.RejectedSteps, actual.RejectedSteps);
            Assert.Equal(expected.ForceEvaluations, actual.ForceEvaluations);
            Assert.Equal(expected.BoundDipoles, actual.BoundDipoles);
            Assert.True(difference <= Tolerance, $"frame {f}: positions differ by {difference:E2}");
            Assert.True(Math.Abs(actual.Energy - expected.Energy) <= Tolerance * Math.Max(1, Math.Abs(expected.Energy)));
            Assert.True(Math.Abs(actual.MaxSpeed - expected.MaxSpeed) <= Tolerance * expected.MaxSpeed);
            for (int a = 0; a < spec.Dimension; a++)
            {
                Assert.True(Math.Abs(actual.Centroid[a] - expected.Centroid[a]) <= Tolerance * Math.Max(1, Math.Abs(expected.Centroid[a])));
            }
        }
        output.WriteLine($"rebalances {distributed.Rebalances}, imbalance {string.Join(", ", distributed.Imbalance.Select(i => $"{i.Before:F2} → {i.After:F2}"))}, migrated {distributed.MigratedBytes} bytes");
        return distributed;
    }
}
