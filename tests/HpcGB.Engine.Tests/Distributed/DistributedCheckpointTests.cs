using HpcGB.Engine.Analysis;
using HpcGB.Engine.Distributed;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;
using HpcGB.Engine.Tests.Simulation;
using Xunit.Abstractions;

using static HpcGB.Engine.Tests.Distributed.DistributedRun;

namespace HpcGB.Engine.Tests.Distributed;

/// <summary>
/// Checkpoints of distributed runs (<see cref="DistributedRunner.GatherCheckpoint"/>) and resuming from them
/// (<see cref="DistributedSystem.Create"/>) on in-process ranks: a DP45 run stopped mid-segment after an output frame
/// and resumed on as many ranks ends bit for bit like the uninterrupted run (slabs that moved included); resumed on
/// other ranks, or serially, and a serial checkpoint resumed across ranks, it ends like the serial run to 1e-10.
/// </summary>
public class DistributedCheckpointTests(ITestOutputHelper output)
{
    /// <summary>Uniform at first, then U gathers the particles (so the slabs move, on 2 ranks and more).</summary>
    private static SimulationSpec Crowding()
    {
        var random = new Random(3);
        int n = 800;
        var positions = Enumerable.Range(0, n).Select(_ => new[] { random.NextDouble(), random.NextDouble() }).ToArray();
        var signs = Enumerable.Range(0, n).Select(i => (sbyte)(i % 2 == 0 ? 1 : -1)).ToArray();
        var model = TestSpecs.Model(delta: 0.01, external: new ExternalPotential([new FourierMode([1, 0], 1.0, 0.6)], [0.0, 0.0]));
        return new SimulationSpec(model, new ExplicitParticles(positions, signs), TestSpecs.Time(end: 0.12, outputs: 5, rtol: 1e-6, atol: 1e-9), PmeForces, 1);
    }

    /// <summary>"dp45": <see cref="Crowding"/>; "implicit": close dipoles among random particles, BDF2 (its history travels).</summary>
    private static SimulationSpec System(string integrator) =>
        integrator == "implicit" ? DistributedRunnerTests.ImplicitSpec("log", outputs: 5) : Crowding();

    [Theory]
    [InlineData(2, 2, "dp45")]
    [InlineData(3, 2, "dp45")]
    [InlineData(3, 4, "dp45")]
    [InlineData(2, 2, "implicit")]
    [InlineData(3, 3, "implicit")]
    public void A_run_resumed_on_as_many_ranks_ends_bit_for_bit_like_the_uninterrupted_one(int ranks, int stopAfter, string integrator)
    {
        var spec = System(integrator);
        var whole = Run(spec, ranks, resume: null, stopAfter: null);
        var (first, checkpoint) = Interrupted(spec, ranks, stopAfter);
        Assert.Equal(stopAfter, checkpoint.Run.NextFrame);
        Assert.Equal(ranks + 1, checkpoint.Slabs!.Count);
        var rest = Run(spec, ranks, checkpoint, stopAfter: null);
        output.WriteLine($"slabs at the checkpoint [{string.Join(", ", checkpoint.Slabs)}], rebalances {whole.Rebalances}");
        Assert.Equal(whole.Frames.Count, first.Count + rest.Frames.Count);
        for (int f = stopAfter; f < whole.Frames.Count; f++)
        {
            var (expected, expectedPositions) = whole.Frames[f];
            var (actual, positions) = rest.Frames[f - stopAfter];
            Assert.Equal(expectedPositions, positions);
            Assert.Equal(expected.Energy, actual.Energy);
            Assert.Equal(expected.AcceptedSteps, actual.AcceptedSteps);
            Assert.Equal(expected.RejectedSteps, actual.RejectedSteps);
            Assert.Equal(expected.ForceEvaluations, actual.ForceEvaluations);
        }
        // On 3 ranks the particles gather in one slab and the slabs move before the checkpoint: resumed on even slabs
        // instead of the checkpoint's, the positions differ in the last bits (checked when this test was written).
        Assert.True(ranks < 3 || integrator == "implicit" || whole.Rebalances >= 1, "the slabs moved before the checkpoint");
    }

    [Theory]
    [InlineData(2, 3, "dp45")]
    [InlineData(2, 1, "dp45")]
    [InlineData(2, 3, "implicit")]
    [InlineData(3, 1, "implicit")]
    public void A_run_resumed_on_other_ranks_ends_like_the_serial_run(int ranks, int resumedOn, string integrator)
    {
        var spec = System(integrator);
        var serial = DistributedRun.Serial(spec);
        var (_, checkpoint) = Interrupted(spec, ranks, stopAfter: 2);
        var rest = Run(spec, resumedOn, checkpoint, stopAfter: null);
        CompareTail(serial, rest.Frames, from: 2);
    }

    [Theory]
    [InlineData("dp45")]
    [InlineData("implicit")]
    public void A_distributed_checkpoint_resumes_serially_and_a_serial_one_across_ranks(string integrator)
    {
        var spec = System(integrator);
        var serial = DistributedRun.Serial(spec);

        // Distributed checkpoint, serial resume.
        var (_, distributed) = Interrupted(spec, 2, stopAfter: 3);
        using (var runner = SimulationRunner.Resume(spec, distributed.Signs, distributed.Run))
        {
            var frames = new List<(Observables, double[])>();
            runner.Run(frame => frames.Add((frame.Observables, Wrapped(frame.State))));
            CompareTail(serial, frames, from: 3);
        }

        // Serial checkpoint, resume on 2 ranks.
        SimulationCheckpoint serialCheckpoint;
        sbyte[] signs;
        using (var runner = new SimulationRunner(spec))
        {
            runner.Advance(spec.Time.End);
            runner.Advance(spec.Time.End);
            serialCheckpoint = runner.Capture();
            signs = runner.State.Signs;
        }
        var rest = Run(spec, 2, new DistributedCheckpoint(serialCheckpoint, signs, Slabs: null), stopAfter: null);
        CompareTail(serial, rest.Frames, from: 2);
    }

    [Fact]
    public void A_checkpoint_that_does_not_fit_the_spec_is_refused_on_rank_0_and_the_others_stop_alike()
    {
        var spec = Crowding();
        var (_, checkpoint) = Interrupted(spec, 2, stopAfter: 2);
        var truncated = checkpoint with { Signs = checkpoint.Signs[..^1] };
        var outcomes = InProcessRanks.Run(2, communicator =>
        {
            try
            {
                DistributedSystem.Create(spec, communicator, communicator.Rank == 0 ? truncated : null).Dispose();
                return "created";
            }
            catch (Exception exception) when (exception is ArgumentException or RankFailedException)
            {
                return exception is RankFailedException failed ? $"rank failed {failed.ExitCode}" : exception.Message;
            }
        });
        Assert.Contains("positions do not match 799 particles", outcomes[0]);
        Assert.Equal("rank failed 2", outcomes[1]);
    }

    private sealed record Outcome(List<(Observables Observables, double[] Positions)> Frames, DistributedCheckpoint? Checkpoint, int Rebalances);

    /// <summary>
    /// A run on in-process ranks from t = 0 or <paramref name="resume"/>, to the end or stopped half-way through the
    /// segment after frame <paramref name="stopAfter"/> − 1 (a cancellation), with the checkpoint gathered there.
    /// </summary>
    private static Outcome Run(SimulationSpec spec, int ranks, DistributedCheckpoint? resume, int? stopAfter)
    {
        var results = InProcessRanks.Run(ranks, communicator =>
        {
            using var system = DistributedSystem.Create(spec, communicator, communicator.Rank == 0 ? resume : null);
            using var runner = new DistributedRunner(system);
            var frames = new List<(Observables, double[])>();
            int n = (int)system.Count, d = spec.Dimension;
            while (!runner.IsFinished && runner.NextFrame != stopAfter)
            {
                if (runner.Advance(spec.Time.End) is { } observables)
                {
                    var positions = communicator.Rank == 0 ? new double[n * d] : [];
                    runner.StreamPositions((first, block) => Array.Copy(block, 0, positions, first * d, block.Length));
                    frames.Add((observables, positions));
                }
            }
            if (stopAfter is not null)
            {
                // Half-way to the next output: the checkpoint is still the frame's.
                double half = 0.5 * (spec.Time.OutputTime(runner.NextFrame - 1) + spec.Time.OutputTime(runner.NextFrame));
                Assert.Null(runner.Advance(half));
            }
            return new Outcome(frames, runner.GatherCheckpoint(), system.Rebalances);
        });
        return results[0];
    }

    private static (List<(Observables, double[])> Frames, DistributedCheckpoint Checkpoint) Interrupted(SimulationSpec spec, int ranks, int stopAfter)
    {
        var outcome = Run(spec, ranks, resume: null, stopAfter);
        return (outcome.Frames, outcome.Checkpoint!);
    }

    private void CompareTail(List<(Observables Observables, double[] Positions)> serial, List<(Observables Observables, double[] Positions)> resumed, int from)
    {
        Assert.Equal(serial.Count - from, resumed.Count);
        for (int f = from; f < serial.Count; f++)
        {
            var (expected, expectedPositions) = serial[f];
            var (actual, positions) = resumed[f - from];
            double difference = DistributedRun.MaxDifference(expectedPositions, positions);
            output.WriteLine($"frame {f}: steps {actual.AcceptedSteps}/{actual.RejectedSteps} (serial {expected.AcceptedSteps}/{expected.RejectedSteps}), max position difference {difference:E2}");
            Assert.Equal(expected.Time, actual.Time);
            Assert.Equal(expected.AcceptedSteps, actual.AcceptedSteps);
            Assert.Equal(expected.RejectedSteps, actual.RejectedSteps);
            Assert.Equal(expected.ForceEvaluations, actual.ForceEvaluations);
            Assert.True(difference <= Tolerance, $"frame {f}: positions differ by {difference:E2}");
            Assert.True(Math.Abs(actual.Energy - expected.Energy) <= Tolerance * Math.Max(1, Math.Abs(expected.Energy)));
        }
    }

    private static double[] Wrapped(ParticleState state)
    {
        var rows = new double[state.Count * state.Dimension];
        for (int i = 0; i < state.Count; i++)
        {
            for (int a = 0; a < state.Dimension; a++)
            {
                rows[i * state.Dimension + a] = Torus.Wrap(state.Positions[a][i]);
            }
        }
        return rows;
    }
}
