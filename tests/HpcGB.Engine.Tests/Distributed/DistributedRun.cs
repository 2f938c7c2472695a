using HpcGB.Engine.Analysis;
using HpcGB.Engine.Distributed;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Integrators.Implicit;
using HpcGB.Engine.Model;
using HpcGB.Engine.Simulation;
using HpcGB.Engine.Spec;

namespace HpcGB.Engine.Tests.Distributed;

/// <summary>A whole run on in-process ranks, with rank 0's frames (observables and streamed positions) collected.</summary>
internal static class DistributedRun
{
    /// <summary>How close a distributed run's positions must come to the serial run's (docs/distributed.md).</summary>
    public const double Tolerance = 1e-10;

    /// <summary>The forces of the distributed runs' specs: PME at 10⁻⁶, one thread per rank.</summary>
    public static readonly ForcesSpec PmeForces = new(ForceMethod.Pme, 1e-6, SimdPath.Auto, Threads: 1);

    public sealed record Result(List<(Observables Observables, double[] Positions)> Frames, int[][] HeldIds, int Rebalances, (double Before, double After)[] Imbalance, long MigratedBytes,
        long NewtonBytes = 0, long ConjugateGradientBytes = 0, EvaluationTally[]? Tallies = null);

    public static Result Run(SimulationSpec spec, int ranks)
    {
        var results = InProcessRanks.Run(ranks, communicator =>
        {
            using var system = DistributedSystem.Create(spec, communicator);
            using var runner = new DistributedRunner(system);
            var frames = new List<(Observables, double[])>();
            var tallies = new List<EvaluationTally>(); // the implicit integrator's, one per held state (re-homing at outputs replaces it)
            int n = (int)system.Count, d = spec.Dimension;
            while (!runner.IsFinished)
            {
                if (runner.Advance(spec.Time.End) is { } observables)
                {
                    var positions = communicator.Rank == 0 ? new double[n * d] : [];
                    runner.StreamPositions((first, block) => Array.Copy(block, 0, positions, first * d, block.Length));
                    frames.Add((observables, positions));
                }
                if (runner.Tally is { } tally && !tallies.Contains(tally))
                {
                    tallies.Add(tally);
                }
            }
            var counters = communicator.Counters;
            return (frames, (int[])system.Ids.Clone(), system.Rebalances, system.ImbalanceHistory.ToArray(), counters[CommunicationPhase.Migration].BytesSent,
                counters[CommunicationPhase.Newton].BytesSent, counters[CommunicationPhase.ConjugateGradient].BytesSent, tallies.ToArray());
        });
        return new Result(results[0].frames, results.Select(r => r.Item2).ToArray(), results[0].Rebalances, results[0].Item4, results.Sum(r => r.Item5),
            results.Sum(r => r.Item6), results.Sum(r => r.Item7), results[0].Item8);
    }

    /// <summary>The serial run of the same spec: observables and wrapped positions ([n × d] rows) of every frame.</summary>
    public static List<(Observables Observables, double[] Positions)> Serial(SimulationSpec spec) => Serial(spec, out _);

    /// <inheritdoc cref="Serial(SimulationSpec)"/>
    /// <param name="tally">The implicit integrator's evaluations by cause (null for another integrator).</param>
    public static List<(Observables Observables, double[] Positions)> Serial(SimulationSpec spec, out EvaluationTally? tally)
    {
        using var runner = new SimulationRunner(spec);
        var frames = new List<(Observables, double[])>();
        runner.Run(frame =>
        {
            var state = frame.State;
            var rows = new double[state.Count * state.Dimension];
            for (int i = 0; i < state.Count; i++)
            {
                for (int a = 0; a < state.Dimension; a++)
                {
                    rows[i * state.Dimension + a] = Torus.Wrap(state.Positions[a][i]);
                }
            }
            frames.Add((frame.Observables, rows));
        });
        tally = (runner.Integrator as ImplicitIntegrator)?.Tally;
        return frames;
    }

    /// <summary>The largest periodic difference between two sets of wrapped positions.</summary>
    public static double MaxDifference(double[] a, double[] b) =>
        a.Zip(b, (x, y) => Math.Abs(Torus.Nearest(x - y))).DefaultIfEmpty(0).Max();
}
