using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Forces.Reference;

/// <summary>
/// The reference evaluator: the plain double sum over all pairs with an exact periodic pair kernel
/// (wall sums, docs/numerics.md §3). O(n²), parallel over particles i, each i summing its own row in a fixed
/// order so the result does not depend on the thread count. At most <paramref name="threads"/> rows run at once
/// (0: one per core): an unbounded <see cref="Parallel.For(int, int, ParallelOptions, Action{int})"/> keeps a
/// replica of its loop queued, and on a busy machine, where a row takes long, the thread pool's starvation
/// detection reads that queue as starving and adds a thread about every half second, each taking rows
/// (measured: 5 → 23 pool threads in 30 s of an n = 2048 run at load 20; issue 18 saw ~50 threads, 27 runnable).
/// </summary>
public sealed class PairSumEvaluator(SystemModel model, IPairKernel kernel, int threads = 0) : IForceEvaluator
{
    private readonly int _threads = threads > 0 ? threads : Environment.ProcessorCount;

    public string Name => "reference";

    public SystemModel Model { get; } = model;

    public double Evaluate(ParticleState state, double[][] velocity, bool withEnergy) =>
        Evaluate(state, velocity, withEnergy, CancellationToken.None);

    /// <summary>Checks <paramref name="cancellationToken"/> between rows.</summary>
    public double Evaluate(ParticleState state, double[][] velocity, bool withEnergy, CancellationToken cancellationToken)
    {
        int n = state.Count;
        bool twoD = state.Dimension == 2;
        double[] x1 = state.Positions[0];
        double[] x2 = twoD ? state.Positions[1] : x1;
        sbyte[] b = state.Signs;
        var rowEnergy = withEnergy ? new double[n] : null;
        bool excludeSelf = kernel.SelfValue is null;

        try
        {
            Parallel.For(0, n, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = _threads }, i => SumRow(i));
        }
        catch (AggregateException error) when (error.InnerExceptions.All(e => e is CollisionException))
        {
            // Report the same collision whatever the thread schedule: the lowest particle pair.
            throw error.InnerExceptions.Cast<CollisionException>().MinBy(c => ((long)c.First << 32) | (uint)c.Second)!;
        }

        void SumRow(int i)
        {
            double g1 = 0, g2 = 0, e = 0;
            for (int j = 0; j < n; j++)
            {
                if (j == i)
                {
                    continue;
                }
                double d1 = x1[i] - x1[j];
                double d2 = twoD ? x2[i] - x2[j] : 0.0;
                if (excludeSelf)
                {
                    ThrowOnCollision(i, j, d1, d2);
                }
                double bb = b[i] * b[j];
                kernel.Gradient(d1, d2, out double gx, out double gy);
                g1 += bb * gx;
                g2 += bb * gy;
                if (rowEnergy is not null)
                {
                    e += bb * kernel.Potential(d1, d2);
                }
            }
            // ẋ_i = −(1/n) Σ_j b_i b_j ∇V_δ(x_i − x_j)
            velocity[0][i] = -g1 / n;
            if (twoD)
            {
                velocity[1][i] = -g2 / n;
            }
            if (rowEnergy is not null)
            {
                rowEnergy[i] = e;
            }
        }

        double energy = double.NaN;
        if (rowEnergy is not null)
        {
            // E_n = 1/(2n²) Σ_{i≠j} b_i b_j V_δ(x_i − x_j) + n·V_δ(0)/(2n²)
            double pairs = 0;
            foreach (double e in rowEnergy)
            {
                pairs += e;
            }
            energy = (pairs + n * (kernel.SelfValue ?? 0.0)) / (2.0 * n * n);
        }
        return ExternalField.Apply(Model, state, velocity, energy);
    }

    private static void ThrowOnCollision(int i, int j, double d1, double d2)
    {
        double r1 = Torus.Nearest(d1), r2 = Torus.Nearest(d2);
        double r = Math.Sqrt(r1 * r1 + r2 * r2);
        if (r < CollisionException.Distance)
        {
            throw new CollisionException(Math.Min(i, j), Math.Max(i, j), r);
        }
    }
}
