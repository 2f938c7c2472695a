using HpcGB.Engine.Distributed;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Tests.Distributed;

/// <summary>One evaluation of a whole system across in-process ranks, gathered back into the particles' order.</summary>
internal static class DistributedEvaluation
{
    /// <summary>
    /// Evaluates <paramref name="state"/> on <paramref name="ranks"/> ranks. Each rank holds the particles i with
    /// i mod K = rank (not its slab's): every evaluation then lends almost every particle, which is the hard case.
    /// Returns the velocities in particle order, the energy every rank computed, and each rank's last counts.
    /// </summary>
    public static (double[][] Velocity, double[] Energies, DistributedEwaldEvaluator[] Evaluators) Run(
        SystemModel model, EwaldParameters parameters, ParticleState state, int ranks, SimdPath simd = SimdPath.Auto, Func<int, int, int>? holder = null)
    {
        holder ??= (i, k) => i % k;
        int n = state.Count, d = state.Dimension;
        double charge = state.Signs.Sum(b => (double)b);
        var velocity = state.NewVectors();
        var results = InProcessRanks.Run(ranks, communicator =>
        {
            int[] ids = Enumerable.Range(0, n).Where(i => holder(i, ranks) == communicator.Rank).ToArray();
            var held = new ParticleState(
                state.Positions.Select(axis => ids.Select(i => axis[i]).ToArray()).ToArray(),
                ids.Select(i => state.Signs[i]).ToArray());
            var evaluator = new DistributedEwaldEvaluator(model, parameters, simd, threads: 1, communicator, n, charge);
            evaluator.Ids = ids;
            var local = held.NewVectors();
            double energy = evaluator.Evaluate(held, local, withEnergy: true);
            return (ids, local, energy, evaluator);
        });
        foreach (var (ids, local, _, _) in results)
        {
            for (int j = 0; j < ids.Length; j++)
            {
                for (int a = 0; a < d; a++)
                {
                    velocity[a][ids[j]] = local[a][j];
                }
            }
        }
        foreach (var result in results)
        {
            result.evaluator.Dispose();
        }
        return (velocity, results.Select(r => r.energy).ToArray(), results.Select(r => r.evaluator).ToArray());
    }
}
