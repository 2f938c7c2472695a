using System.Globalization;
using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;

namespace HpcGB.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/HpcGB.Bench -- balance log|edge n neighbours order mesh … [threads=K] [band=0]</c>: the cost of
/// one evaluation, its near field and its mesh part (median process CPU time of 5 after 2 warm-ups; CPU/2 is the wall time on 2 idle cores) at the split of tolerance 1e-6
/// with the given neighbours within r_c, B-spline order and mesh sizes (band=0: the whole spectrum instead of the
/// chooser's band, <see cref="EwaldParameterChooser.BandColumns"/>) — the other half of <see cref="AccuracySweep"/>:
/// together they give the cheapest parameters that meet the tolerance.
/// </summary>
internal static class ParameterBalance
{
    public static void Run(IReadOnlyList<string> args)
    {
        var kernel = args[0] == "edge" ? KernelType.Edge : KernelType.Log;
        int n = int.Parse(args[1], CultureInfo.InvariantCulture);
        double neighbours = double.Parse(args[2], CultureInfo.InvariantCulture);
        int order = int.Parse(args[3], CultureInfo.InvariantCulture);
        const double tolerance = 1e-6;
        var model = EvaluationSetup.Model(kernel);
        var split = NeighbourSplit.For(model, n, tolerance, neighbours);
        var state = EvaluationSetup.Uniform(n);
        var velocity = state.NewVectors();
        // Options "threads=K" (default 2) and "band=0".
        string? threadOption = args.LastOrDefault(s => s.StartsWith("threads=", StringComparison.Ordinal));
        int threads = threadOption is null ? 2 : int.Parse(threadOption[8..], CultureInfo.InvariantCulture);
        bool band = NeighbourSplit.Band(args);
        foreach (int mesh in args.Skip(4).Where(s => !s.Contains('=')).Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
        {
            using var evaluator = new EwaldEvaluator(model, split.Parameters(model, mesh, order, tolerance, band), SimdPath.Auto, threads);
            double[] x1 = state.Positions[0], x2 = state.Positions[1], g1 = new double[n], g2 = new double[n];
            var (full, fullMin, wall, _, first) = Measure(() => evaluator.Evaluate(state, velocity, withEnergy: false));
            var (near, _, _, _, _) = Measure(() => evaluator.NearField!.Compute(x1, x2, state.Signs, g1, g2, withEnergy: false));
            double fftMin = double.MaxValue;
            var (far, farMin, _, farWall, _) = Measure(() =>
            {
                evaluator.Mesh.Compute(x1, x2, state.Signs, g1, g2, withEnergy: false);
                fftMin = Math.Min(fftMin, evaluator.Mesh.LastTimings.Fft + evaluator.Mesh.LastTimings.Convolve);
            });
            long pairs = evaluator.NearField!.CandidatePairs, evaluated = evaluator.NearField.PairsInRange;
            var stages = evaluator.Mesh.LastTimings;
            double meshWall = stages.Spread + stages.Fft + stages.Convolve + stages.Gather;
            Console.WriteLine(FormattableString.Invariant(
                $"{kernel} n = {n} threads {threads} neighbours {neighbours} p = {order} M = {mesh} (w·M = {split.Width * mesh:F2}, columns {evaluator.Mesh.BandColumns?.ToString(CultureInfo.InvariantCulture) ?? "all"}): wall {wall * 1e3:F0} ms (first call {first * 1e3:F0}), CPU full {full * 1e3:F0} ms (min {fullMin * 1e3:F0}) = near {near * 1e3:F0} ({pairs / (near / 2) / 1e9:F2} G cand/s at CPU/2) + mesh {far * 1e3:F0} (min {farMin * 1e3:F0}, fastest wall {farWall * 1e3:F0}, FFT and convolution {fftMin * 1e3:F1}) ({pairs / 1e6:F0} M candidate pairs, {evaluated / 1e6:F0} M evaluated; wall shares: spread {stages.Spread / meshWall:P0} fft {(stages.Fft + stages.Convolve) / meshWall:P0} gather {stages.Gather / meshWall:P0}; FFT plans: {(evaluator.Mesh.PlannedFromWisdom ? "wisdom" : "estimate")})"));
        }
    }

    /// <summary>
    /// Median and least process CPU seconds, the median and least wall seconds of 5 calls after 2 warm-ups (CPU is the steadier
    /// one on a shared machine; the mesh's line reports its fastest wall instead), and the wall seconds of the first call
    /// (what one evaluation in a fresh process costs: first-touch memory, JIT).
    /// </summary>
    private static (double Cpu, double CpuMin, double Wall, double WallMin, double First) Measure(Action evaluate)
    {
        double first = 0;
        var cpu = new List<double>();
        var wall = new List<double>();
        for (int repeat = 0; repeat < 7; repeat++)
        {
            double start = CpuClock.Process();
            long ticks = System.Diagnostics.Stopwatch.GetTimestamp();
            evaluate();
            if (repeat == 0)
            {
                first = System.Diagnostics.Stopwatch.GetElapsedTime(ticks).TotalSeconds;
            }
            if (repeat >= 2)
            {
                cpu.Add(CpuClock.Process() - start);
                wall.Add(System.Diagnostics.Stopwatch.GetElapsedTime(ticks).TotalSeconds);
            }
        }
        return (cpu.Order().ElementAt(cpu.Count / 2), cpu.Min(), wall.Order().ElementAt(wall.Count / 2), wall.Min(), first);
    }
}
