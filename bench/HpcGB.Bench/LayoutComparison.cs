using System.Globalization;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;

namespace HpcGB.Bench;

/// <summary>
/// <c>dotnet bench/…/HpcGB.Bench.dll layouts log|edge n … [threads=K]</c>: the near field of the fast path at
/// tolerance 1e-6 (the evaluator's own r_c and σ, gaussian δ = 1e-4, uniform particles) on its two layouts, cluster
/// pairs and the cell list with its automatic grid, alternated in one process: the median process CPU time of 5
/// evaluations after 2 warm-ups each, three rounds. CPU time, since wall time on a shared machine mostly measures
/// the wait for a core.
/// </summary>
internal static class LayoutComparison
{
    public static void Run(IReadOnlyList<string> args)
    {
        var kernel = args[0] == "edge" ? KernelType.Edge : KernelType.Log;
        int threads = args[^1].StartsWith("threads=", StringComparison.Ordinal) ? int.Parse(args[^1][8..], CultureInfo.InvariantCulture) : 2;
        foreach (int n in args.Skip(1).Where(s => !s.StartsWith("threads=", StringComparison.Ordinal)).Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
        {
            using var pme = EvaluationSetup.Pme(kernel, n, 1e-6);
            var fast = pme.NearField!;
            int cells = NearFieldEvaluator.AutomaticCellsPerAxis(2, n, NearFieldEvaluator.MaxCellsPerAxis(fast.Cutoff));
            var clusters = new NearFieldEvaluator(2, fast.Kind, fast.Sigma, fast.Delta, fast.Cutoff, SimdPath.Auto, threads);
            var cellList = new NearFieldEvaluator(2, fast.Kind, fast.Sigma, fast.Delta, fast.Cutoff, SimdPath.Auto, threads, cells);
            var state = EvaluationSetup.Uniform(n);
            double[] x1 = state.Positions[0], x2 = state.Positions[1], g1 = new double[n], g2 = new double[n];
            var times = (Clusters: new List<double>(), Cells: new List<double>());
            for (int round = 0; round < 3; round++)
            {
                times.Clusters.Add(Median(() => clusters.Compute(x1, x2, state.Signs, g1, g2, withEnergy: false)));
                times.Cells.Add(Median(() => cellList.Compute(x1, x2, state.Signs, g1, g2, withEnergy: false)));
            }
            Console.WriteLine(FormattableString.Invariant(
                $"{kernel} n = {n} threads {threads} r_c = {fast.Cutoff:E3}: near field CPU, clusters {string.Join(" ", times.Clusters.Select(t => $"{t * 1e3:F2}"))} ms | cells ({cells}²) {string.Join(" ", times.Cells.Select(t => $"{t * 1e3:F2}"))} ms"));
        }
    }

    /// <summary>Median process CPU seconds of 5 calls after 2 warm-ups.</summary>
    private static double Median(Action evaluate)
    {
        var cpu = new List<double>();
        for (int repeat = 0; repeat < 7; repeat++)
        {
            double start = CpuClock.Process();
            evaluate();
            if (repeat >= 2)
            {
                cpu.Add(CpuClock.Process() - start);
            }
        }
        return cpu.Order().ElementAt(cpu.Count / 2);
    }
}
