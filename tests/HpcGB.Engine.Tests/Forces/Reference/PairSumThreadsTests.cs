using HpcGB.Engine.Forces.Reference;
using HpcGB.Engine.Kernels;
using HpcGB.Engine.Model;

namespace HpcGB.Engine.Tests.Forces.Reference;

/// <summary>
/// The reference evaluator runs at most its thread count of rows at once (issue 18: unbounded, the thread pool grew
/// to ~50 threads under load), and its result does not depend on that count.
/// </summary>
public sealed class PairSumThreadsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void RowsRunOnAtMostTheThreadCount(int threads)
    {
        var kernel = new ThreadRecordingKernel();
        var model = new SystemModel(2, KernelType.Log, MobilityType.Isotropic, new Regularization(RegularizationType.Gaussian, 0.05), ExternalPotential.None(2));
        var state = ParticleState.Zeros(2, Enumerable.Range(0, 400).Select(i => (sbyte)(i % 2 == 0 ? 1 : -1)).ToArray());
        var random = new Random(3);
        for (int i = 0; i < state.Count; i++)
        {
            state.Positions[0][i] = random.NextDouble();
            state.Positions[1][i] = random.NextDouble();
        }
        var evaluator = new PairSumEvaluator(model, kernel, threads);
        var velocity = state.NewVectors();
        evaluator.Evaluate(state, velocity, withEnergy: true);
        Assert.InRange(kernel.MostAtOnce, 1, threads);

        var single = state.NewVectors();
        new PairSumEvaluator(model, new ThreadRecordingKernel(), 1).Evaluate(state, single, withEnergy: true);
        Assert.Equal(single[0], velocity[0]);
        Assert.Equal(single[1], velocity[1]);
    }

    /// <summary>A smooth kernel that records how many threads are inside it at once.</summary>
    private sealed class ThreadRecordingKernel : IPairKernel
    {
        private int _inside;
        private int _most;

        public int MostAtOnce => _most;

        public double? SelfValue => 0.0;

        public double Potential(double dx, double dy) => Math.Cos(2 * Math.PI * dx) + Math.Cos(2 * Math.PI * dy);

        public void Gradient(double dx, double dy, out double gx, out double gy)
        {
            int now = Interlocked.Increment(ref _inside);
            int seen;
            while (now > (seen = Volatile.Read(ref _most)) && Interlocked.CompareExchange(ref _most, now, seen) != seen)
            {
            }
            Thread.SpinWait(20); // long enough for rows on other threads to overlap
            gx = -2 * Math.PI * Math.Sin(2 * Math.PI * dx);
            gy = -2 * Math.PI * Math.Sin(2 * Math.PI * dy);
            Interlocked.Decrement(ref _inside);
        }
    }
}
