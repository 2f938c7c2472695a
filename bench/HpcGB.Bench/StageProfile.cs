using System.Diagnostics;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/HpcGB.Bench -- profile [n …]</c>: a quick stopwatch profile of the fast
/// path (best of 5 evaluations after a second of warm-ups, and their median process CPU time: on a shared machine CPU/threads
/// is the steadier estimate of the wall time on idle cores): chosen parameters, near-field candidate pairs/s, and the time of
/// each mesh stage — where BenchmarkDotNet gives the totals, this shows where the time goes.
/// </summary>
internal static class StageProfile
{
    public static void Run(IEnumerable<int> sizes)
    {
        foreach (var kernel in new[] { KernelType.Log, KernelType.Edge })
        {
            foreach (int n in sizes)
            {
                using var evaluator = EvaluationSetup.Pme(kernel, n, 1e-6);
                var state = EvaluationSetup.Uniform(n);
                var velocity = state.NewVectors();
                double best = double.MaxValue;
                var stages = default(HpcGB.Engine.Forces.Pme.PmeTimings);
                long pairs = 0;
                double nearSeconds = 0;
                var cpu = new List<double>();
                EvaluationSetup.WarmUp(() => evaluator.Evaluate(state, velocity, withEnergy: false), 2);
                for (int repeat = 0; repeat < 5; repeat++)
                {
                    double cpuStart = CpuClock.Process();
                    var clock = Stopwatch.StartNew();
                    evaluator.Evaluate(state, velocity, withEnergy: false);
                    double seconds = clock.Elapsed.TotalSeconds;
                    cpu.Add(CpuClock.Process() - cpuStart);
                    if (seconds < best)
                    {
                        best = seconds;
                        stages = evaluator.Mesh.LastTimings;
                        pairs = evaluator.NearField?.CandidatePairs ?? 0;
                        nearSeconds = evaluator.NearField?.LastTimings.Pairs.TotalSeconds ?? 0;
                    }
                }
                var p = evaluator.Settings;
                Console.WriteLine(
                    $"{kernel,-4} n = {n,9:N0}  full {best * 1e3,8:F1} ms (CPU median {cpu.Order().ElementAt(cpu.Count / 2) * 1e3:F1} ms) | σ = {p.Sigma:E2} r_c = {p.Cutoff:E2} M = {p.Mesh} p = {p.Order} {evaluator.SimdPathName} | " +
                    $"near pairs {nearSeconds * 1e3,7:F1} ms ({pairs / Math.Max(nearSeconds, 1e-12) / 1e9:F2} G cand/s) | " +
                    $"spread {stages.Spread * 1e3:F1} fft {stages.Fft * 1e3:F1} conv {stages.Convolve * 1e3:F1} gather {stages.Gather * 1e3:F1} ms");
            }
        }
        foreach (int n in new[] { 1_000, 4_000 })
        {
            var state = EvaluationSetup.Uniform(n);
            var reference = ForceEvaluatorFactory.Create(EvaluationSetup.Model(KernelType.Log), new ForcesSpec(ForceMethod.Reference, 1e-6), n);
            var velocity = state.NewVectors();
            reference.Evaluate(state, velocity, false);
            var clock = Stopwatch.StartNew();
            reference.Evaluate(state, velocity, false);
            Console.WriteLine($"reference log n = {n,6:N0}: {clock.Elapsed.TotalMilliseconds:F1} ms ({(double)n * (n - 1) / clock.Elapsed.TotalSeconds / 1e6:F1} M pairs/s)");
        }
    }
}
