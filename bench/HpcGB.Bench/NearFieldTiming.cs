using System.Globalization;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;

namespace HpcGB.Bench;

/// <summary>
/// <c>dotnet bench/…/HpcGB.Bench.dll near log|edge n reps [threads=K] [energy] [delta=D]</c>: the fast path's near field at
/// tolerance 1e-6 (uniform particles, gaussian δ = 1e-4 or <c>delta=D</c> (the free log gas: 1e-6), the evaluator's own
/// r_c, σ and layout; <c>energy</c>: with the energy, as the implicit integrator asks) run <c>reps</c> times after 2 warm-ups: the minimum and
/// median process CPU time per evaluation, the minimum wall time of its stages (layout build, pair loop, reduce), and
/// the minimum thread CPU time of the cluster layout's build on one thread.
/// The minimum is the figure least disturbed by other processes on a shared machine.
/// <c>kept=F</c>: the evaluations as a step attempt makes them (<see cref="NearFieldEvaluator.BeginAttempt"/>): each
/// repetition one attempt, its first evaluation building the lists under the skin, then three at positions moved by up
/// to F half skins, which keep them; CPU min and median of the first and of the kept ones.
/// </summary>
internal static class NearFieldTiming
{
    public static void Run(IReadOnlyList<string> args)
    {
        var kernel = args[0] == "edge" ? KernelType.Edge : KernelType.Log;
        int n = int.Parse(args[1], CultureInfo.InvariantCulture);
        int reps = int.Parse(args[2], CultureInfo.InvariantCulture);
        var options = args.Skip(3).ToList();
        int threads = options.FirstOrDefault(o => o.StartsWith("threads=", StringComparison.Ordinal)) is { } th ? int.Parse(th[8..], CultureInfo.InvariantCulture) : 2;
        bool withEnergy = options.Contains("energy");
        double delta = options.FirstOrDefault(o => o.StartsWith("delta=", StringComparison.Ordinal)) is { } d
            ? double.Parse(d[6..], CultureInfo.InvariantCulture)
            : EvaluationSetup.Delta;
        using var pme = EvaluationSetup.Pme(kernel, n, 1e-6, delta: delta);
        var fast = pme.NearField!;
        var near = new NearFieldEvaluator(2, fast.Kind, fast.Sigma, fast.Delta, fast.Cutoff, SimdPath.Auto, threads);
        var state = EvaluationSetup.Uniform(n);
        double[] x1 = state.Positions[0], x2 = state.Positions[1], g1 = new double[n], g2 = new double[n];
        if (options.FirstOrDefault(o => o.StartsWith("kept=", StringComparison.Ordinal)) is { } k)
        {
            Attempts(near, state, reps, withEnergy, double.Parse(k[5..], CultureInfo.InvariantCulture));
            return;
        }
        var cpu = new List<double>();
        double bin = double.MaxValue, pairs = double.MaxValue, reduce = double.MaxValue;
        for (int repeat = 0; repeat < reps + 2; repeat++)
        {
            double start = CpuClock.Process();
            near.Compute(x1, x2, state.Signs, g1, g2, withEnergy);
            if (repeat >= 2)
            {
                cpu.Add(CpuClock.Process() - start);
                var t = near.LastTimings;
                bin = Math.Min(bin, t.Binning.TotalSeconds);
                pairs = Math.Min(pairs, t.Pairs.TotalSeconds);
                reduce = Math.Min(reduce, t.Reduction.TotalSeconds);
            }
        }
        cpu.Sort();
        // The layout build alone, on this thread: its CPU time is undisturbed by waits for a core.
        var grid = new ClusterGrid();
        double build = double.MaxValue;
        for (int repeat = 0; repeat < reps + 2; repeat++)
        {
            double start = CpuClock.Thread();
            grid.Build(x1, x2, state.Signs, fast.Cutoff, 1);
            build = Math.Min(build, CpuClock.Thread() - start);
        }
        Console.WriteLine(FormattableString.Invariant(
            $"{kernel} near n = {n} threads {threads} δ = {delta:G3} energy {withEnergy}: CPU min {cpu[0] * 1e3:F2} median {cpu[cpu.Count / 2] * 1e3:F2} ms ({near.CandidatePairs / 1e6:F0} M candidates, {near.PairsInRange / 1e6:F0} M evaluated) | wall min: build {bin * 1e3:F2} pairs {pairs * 1e3:F2} reduce {reduce * 1e3:F2} ms | layout build on 1 thread: CPU min {build * 1e3:F1} ms"));
    }

    /// <summary>The <c>kept=F</c> option: attempts of one build and three evaluations on the kept lists.</summary>
    private static void Attempts(NearFieldEvaluator near, ParticleState state, int reps, bool withEnergy, double fraction)
    {
        int n = state.Count;
        double[] x1 = state.Positions[0], x2 = state.Positions[1], g1 = new double[n], g2 = new double[n];
        double[] y1 = new double[n], y2 = new double[n];
        var random = new Random(5);
        double reach = fraction * 0.5 * near.Skin;
        for (int i = 0; i < n; i++)
        {
            double r = reach * random.NextDouble(), theta = 2 * Math.PI * random.NextDouble();
            y1[i] = x1[i] + r * Math.Cos(theta);
            y2[i] = x2[i] + r * Math.Sin(theta);
        }
        var first = new List<double>();
        var kept = new List<double>();
        long firstLanes = 0, keptLanes = 0;
        double firstLayout = double.MaxValue, keptLayout = double.MaxValue, firstPairs = double.MaxValue, keptPairs = double.MaxValue;
        for (int repeat = 0; repeat < reps + 2; repeat++)
        {
            using (near.BeginAttempt())
            {
                double start = CpuClock.Process();
                near.Compute(x1, x2, state.Signs, g1, g2, withEnergy);
                double built = CpuClock.Process();
                firstLanes = near.PairsInRange;
                firstLayout = Math.Min(firstLayout, near.LastTimings.Binning.TotalSeconds);
                firstPairs = Math.Min(firstPairs, near.LastTimings.Pairs.TotalSeconds);
                for (int e = 0; e < 3; e++)
                {
                    near.Compute(y1, y2, state.Signs, g1, g2, withEnergy);
                    keptLayout = Math.Min(keptLayout, near.LastTimings.Binning.TotalSeconds);
                    keptPairs = Math.Min(keptPairs, near.LastTimings.Pairs.TotalSeconds);
                }
                keptLanes = near.PairsInRange;
                if (repeat >= 2)
                {
                    first.Add(built - start);
                    kept.Add((CpuClock.Process() - built) / 3);
                }
            }
        }
        first.Sort();
        kept.Sort();
        Console.WriteLine(FormattableString.Invariant(
            $"near n = {n} threads {near.Threads} energy {withEnergy} skin {near.Skin:G3} (r_c {near.Cutoff:G3}), moved ≤ {fraction:G2} half skins: first evaluation CPU min {first[0] * 1e3:F2} median {first[first.Count / 2] * 1e3:F2} ms ({firstLanes / 1e6:F2} M evaluated), kept CPU min {kept[0] * 1e3:F2} median {kept[kept.Count / 2] * 1e3:F2} ms ({keptLanes / 1e6:F2} M evaluated, {near.CandidatePairs / 1e6:F1} M listed lanes), {near.ListBuilds} builds | wall min: layout {firstLayout * 1e3:F2} → {keptLayout * 1e3:F2}, pairs {firstPairs * 1e3:F2} → {keptPairs * 1e3:F2} ms"));
    }
}
