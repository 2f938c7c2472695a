using System.Diagnostics;
using System.Globalization;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/HpcGB.Bench -- meshorder log|edge n rounds [threads]</c>: the fast path at
/// tolerance 1e-6 (uniform particles, forces only) with the mesh on its own row order against the mesh on the near
/// field's cluster layout (<see cref="EwaldEvaluator.MeshInLayout"/>), the two evaluators alternated call by call in
/// one process, so that a loaded machine slows both alike: process CPU, wall and stage times per call (min, 25th
/// percentile, median) and the paired CPU difference per round.
/// </summary>
internal static class MeshOrderProfile
{
    public static void Run(IReadOnlyList<string> args)
    {
        var kernel = args[0] == "edge" ? KernelType.Edge : KernelType.Log;
        int n = int.Parse(args[1], CultureInfo.InvariantCulture);
        int rounds = int.Parse(args[2], CultureInfo.InvariantCulture);
        int threads = args.Count > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2;
        var model = EvaluationSetup.Workload(kernel);
        var state = EvaluationSetup.Uniform(n);
        var chosen = (EwaldEvaluator)ForceEvaluatorFactory.Create(model, new ForcesSpec(ForceMethod.Pme, 1e-6, Threads: threads), n);
        var settings = chosen.Settings;
        chosen.Dispose();
        using var a = new EwaldEvaluator(model, settings, SimdPath.Auto, threads, overlap: false, inLayout: false);
        using var b = new EwaldEvaluator(model, settings, SimdPath.Auto, threads, overlap: false, inLayout: true);
        var va = state.NewVectors();
        var vb = state.NewVectors();
        for (int w = 0; w < 3; w++)
        {
            a.Evaluate(state, va, false);
            b.Evaluate(state, vb, false);
        }
        var cpu = new List<double>[] { [], [] };
        var wall = new List<double>[] { [], [] };
        var spread = new List<double>[] { [], [] };
        var gather = new List<double>[] { [], [] };
        var pairs = new List<double>[] { [], [] };
        for (int r = 0; r < rounds; r++)
        {
            for (int k = 0; k < 2; k++)
            {
                int which = (r % 2 == 0) ? k : 1 - k;
                var e = which == 0 ? a : b;
                double c0 = CpuClock.Process();
                long t0 = Stopwatch.GetTimestamp();
                e.Evaluate(state, which == 0 ? va : vb, false);
                wall[which].Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                cpu[which].Add((CpuClock.Process() - c0) * 1e3);
                spread[which].Add(e.Mesh.LastTimings.Spread * 1e3);
                gather[which].Add(e.Mesh.LastTimings.Gather * 1e3);
                pairs[which].Add(e.NearField!.LastTimings.Pairs.TotalMilliseconds);
            }
        }
        for (int k = 0; k < 2; k++)
        {
            Console.WriteLine(
                $"{(k == 0 ? "rows  " : "layout")} {kernel} n={n} M={settings.Mesh}: CPU {Percentiles(cpu[k])} | wall {Percentiles(wall[k])} | spread {Percentiles(spread[k])} | gather {Percentiles(gather[k])} | pairs {Percentiles(pairs[k])}");
        }
        // Paired CPU differences (layout − rows) per round.
        var diff = Enumerable.Range(0, rounds).Select(r => cpu[1][r] - cpu[0][r]).Order().ToList();
        Console.WriteLine(FormattableString.Invariant($"paired CPU layout − rows: median {diff[rounds / 2]:F1} p25 {diff[rounds / 4]:F1} p75 {diff[3 * rounds / 4]:F1} ms"));
    }

    /// <summary>Min, 25th percentile and median of the milliseconds.</summary>
    private static string Percentiles(List<double> milliseconds)
    {
        var o = milliseconds.Order().ToList();
        return FormattableString.Invariant($"min {o[0]:F1} p25 {o[o.Count / 4]:F1} med {o[o.Count / 2]:F1}");
    }
}
