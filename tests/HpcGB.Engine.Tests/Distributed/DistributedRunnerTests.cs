using HpcGB.Engine.Distributed;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;
using HpcGB.Engine.Tests.Simulation;
using Xunit.Abstractions;

using static HpcGB.Engine.Tests.Distributed.DistributedRun;

namespace HpcGB.Engine.Tests.Distributed;

/// <summary>
/// Whole runs across in-process ranks against the serial <see cref="Engine.Simulation.SimulationRunner"/> on the same
/// spec: the same accepted and rejected steps, the energies and every frame's positions (streamed to rank 0 in the
/// serial order) to 1e-10; a glide run in which every particle crosses several slab boundaries keeps identity and
/// order, re-homing particles at every output.
/// </summary>
public class DistributedRunnerTests(ITestOutputHelper output)
{
    private const double SpeedTolerance = 1e-8;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void A_dp45_run_equals_the_serial_run(int ranks)
    {
        var model = TestSpecs.Model(delta: 0.01, external: new ExternalPotential([new FourierMode([1, 0], 0.3, 0.1)], [0.0, 0.0]));
        var spec = new SimulationSpec(model, new UniformParticles(1200, 0.5), TestSpecs.Time(end: 0.02, outputs: 4, rtol: 1e-6, atol: 1e-9), PmeForces, 5);
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
        var spec = new SimulationSpec(model, new UniformParticles(1200, 0.5), TestSpecs.Time(end: 0.5, outputs: 6, rtol: 1e-6, atol: 1e-9), PmeForces, 9);
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
            TestSpecs.Time(end: 0.12, outputs: 4, rtol: 1e-6, atol: 1e-9), PmeForces, 1);
        var result = Compare(spec, ranks);
        Assert.True(result.Rebalances >= 1, "the slabs moved");
        Assert.Contains(result.Imbalance, step => step.After < step.Before);
    }

    [Theory]
    [InlineData("log", 1)]
    [InlineData("log", 2)]
    [InlineData("log", 3)]
    [InlineData("log", 4)]
    [InlineData("edge-glide", 2)]
    [InlineData("edge-glide", 3)]
    public void An_implicit_run_equals_the_serial_run(string kernel, int ranks)
    {
        var spec = ImplicitSpec(kernel);
        var result = Compare(spec, ranks);
        output.WriteLine($"conjugate-gradient bytes {result.ConjugateGradientBytes}, Newton-halo bytes {result.NewtonBytes}");
        if (ranks > 1)
        {
            Assert.True(result.ConjugateGradientBytes > 0, "the conjugate gradient exchanged ghosts");
        }
    }

    /// <summary>
    /// Random particles with close dipoles (3δ wide, stiff: solved as matched pairs), many of them across slab
    /// boundaries; "log": isotropic, Gaussian core δ = 1e-3; "edge-glide": edge dislocations under glide, no
    /// regularisation, with an applied stress that moves them across slabs.
    /// </summary>
    internal static SimulationSpec ImplicitSpec(string kernel, int outputs = 3)
    {
        var random = new Random(11);
        bool edge = kernel == "edge-glide";
        double delta = edge ? 1e-6 : 1e-3;
        var positions = new List<double[]>();
        var signs = new List<sbyte>();
        for (int i = 0; i < 1080; i++)
        {
            positions.Add([random.NextDouble(), random.NextDouble()]);
            signs.Add((sbyte)(i % 2 == 0 ? 1 : -1));
        }
        for (int k = 0; k < 60; k++)
        {
            // Centres on x1 = m/12 (every slab boundary of 2, 3 and 4 even slabs) and at random.
            double c1 = k < 24 ? (k % 12) / 12.0 + 1e-4 * (random.NextDouble() - 0.5) : random.NextDouble();
            double c2 = random.NextDouble(), h = 1.5 * delta;
            positions.Add([c1 - h, c2 - (edge ? h : 0)]);
            positions.Add([c1 + h, c2 + (edge ? h : 0)]);
            signs.Add(1);
            signs.Add(-1);
        }
        var model = edge
            ? TestSpecs.Model(kernel: KernelType.Edge, mobility: MobilityType.Glide, regularization: RegularizationType.None, delta: delta,
                external: new ExternalPotential([new FourierMode([1, 0], 0.1, 0)], [1.0, 0.0]))
            : TestSpecs.Model(delta: delta, external: new ExternalPotential([new FourierMode([1, 0], 0.3, 0.1)], [0.0, 0.0]));
        return new SimulationSpec(model, new ExplicitParticles(positions.ToArray(), signs.ToArray()),
            TestSpecs.Time(end: 0.005 * (outputs - 1), outputs: outputs, integrator: IntegratorType.Implicit, rtol: 1e-6, atol: 1e-9), PmeForces, 3);
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
            // The speed is a force at the frame's positions: next to a tight glide pair (separations 10⁻⁴ … 10⁻³) it
            // moves by ~10³ times a position difference, so positions within 10⁻¹² give speeds within ~10⁻⁹.
            Assert.True(Math.Abs(actual.MaxSpeed - expected.MaxSpeed) <= SpeedTolerance * expected.MaxSpeed,
                $"frame {f}: max speeds differ by {Math.Abs(actual.MaxSpeed / expected.MaxSpeed - 1):E2}");
            for (int a = 0; a < spec.Dimension; a++)
            {
                Assert.True(Math.Abs(actual.Centroid[a] - expected.Centroid[a]) <= Tolerance * Math.Max(1, Math.Abs(expected.Centroid[a])));
            }
        }
        output.WriteLine($"rebalances {distributed.Rebalances}, imbalance {string.Join(", ", distributed.Imbalance.Select(i => $"{i.Before:F2} → {i.After:F2}"))}, migrated {distributed.MigratedBytes} bytes");
        return distributed;
    }
}
