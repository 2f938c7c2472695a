using System.Diagnostics;
using System.Globalization;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/HpcGB.Bench -- loop log|edge n tolerance threads seconds [noenergy] [delta=D] [positions=FILE] [overlap=0|1] [gap=US]</c>: evaluates
/// the chosen fast path with energy (as the implicit integrator does; <c>noenergy</c>: forces only) on uniform particles for about the given time and
/// prints the calls, the mean wall time per call with its 10th percentile and minimum (on a shared machine the
/// fastest calls are the ones that ran undisturbed) and the process CPU time per call — nothing else runs, so a sampling profiler
/// (<c>perf record</c> with <c>DOTNET_PerfMapEnabled=1</c>) sees only the evaluation. Edge is the peer workload
/// (glide, unregularised), log is isotropic and unregularised; <c>delta=D</c> regularises either with the Gaussian of width D
/// (the free log gas: <c>loop log 10000 1e-6 2 3 delta=1e-6</c>); <c>positions=FILE</c> takes the positions from a
/// <c>bench implicit --final FILE</c> of a uniform spec with half of each sign (the free gas's final state: its bound pairs);
/// <c>gap=US</c> keeps the calling thread busy for US microseconds between calls (outside the timed call), as the
/// implicit integrator's work between its evaluations does, so that the helper thread goes idle as in a run.
/// </summary>
internal static class EvaluationLoop
{
    public static void Run(IReadOnlyList<string> args)
    {
        var kernel = args[0] == "edge" ? KernelType.Edge : KernelType.Log;
        int n = int.Parse(args[1], CultureInfo.InvariantCulture);
        double tolerance = double.Parse(args[2], CultureInfo.InvariantCulture);
        int threads = int.Parse(args[3], CultureInfo.InvariantCulture);
        double seconds = double.Parse(args[4], CultureInfo.InvariantCulture);
        var options = args.Skip(5).ToList();
        bool withEnergy = !options.Contains("noenergy");
        string? delta = options.FirstOrDefault(o => o.StartsWith("delta=", StringComparison.Ordinal));
        var regularization = delta is null
            ? new Regularization(RegularizationType.None, 1e-6)
            : new Regularization(RegularizationType.Gaussian, double.Parse(delta["delta=".Length..], CultureInfo.InvariantCulture));
        var model = EvaluationSetup.Workload(kernel, regularization);
        var state = EvaluationSetup.Uniform(n);
        if (options.FirstOrDefault(o => o.StartsWith("positions=", StringComparison.Ordinal)) is { } file)
        {
            // Raw float64, axis after axis (bench implicit --final), n of them per axis; the signs of a uniform
            // initialisation with half of each sign (the first half +).
            state = ParticleState.Zeros(2, [.. Enumerable.Range(0, n).Select(i => (sbyte)(i < (n + 1) / 2 ? 1 : -1))]);
            using var reader = new BinaryReader(File.OpenRead(file["positions=".Length..]));
            foreach (var axis in state.Positions)
            {
                for (int i = 0; i < n; i++)
                {
                    axis[i] = reader.ReadDouble();
                }
            }
        }
        var velocity = state.NewVectors();
        using var fast = Create(model, tolerance, threads, n, options);
        EvaluationSetup.WarmUp(() => fast.Evaluate(state, velocity, withEnergy), 20);
        double gap = options.FirstOrDefault(o => o.StartsWith("gap=", StringComparison.Ordinal)) is { } g
            ? double.Parse(g["gap=".Length..], CultureInfo.InvariantCulture) * 1e-6
            : 0;
        var walls = new List<double>();
        double cpu = CpuClock.Process();
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds)
        {
            long call = Stopwatch.GetTimestamp();
            fast.Evaluate(state, velocity, withEnergy);
            walls.Add(Stopwatch.GetElapsedTime(call).TotalSeconds);
            long busy = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(busy).TotalSeconds < gap)
            {
            }
        }
        int calls = walls.Count;
        double wall = walls.Average();
        cpu = (CpuClock.Process() - cpu) / calls;
        walls.Sort();
        Console.WriteLine(FormattableString.Invariant(
            $"{kernel} {regularization.Type} n = {n} tolerance {tolerance:G3}, {threads} threads, energy {withEnergy}, M = {fast.Settings.Mesh}, mesh beside the near field {fast.OverlapsMesh}: {calls} calls, {wall * 1e3:F3} ms wall (fastest tenth {walls[calls / 10] * 1e3:F3}, min {walls[0] * 1e3:F3}), {cpu * 1e3:F3} ms CPU per call{(gap > 0 ? " with its gap" : "")}"));
    }

    /// <summary>The chosen evaluator; <c>overlap=0|1</c> forces whether the mesh runs on one helper thread beside the near field.</summary>
    private static EwaldEvaluator Create(SystemModel model, double tolerance, int threads, int n, List<string> options)
    {
        var chosen = (EwaldEvaluator)ForceEvaluatorFactory.Create(model, new ForcesSpec(ForceMethod.Pme, tolerance, Threads: threads), n);
        if (options.FirstOrDefault(o => o.StartsWith("overlap=", StringComparison.Ordinal)) is not { } overlap)
        {
            return chosen;
        }
        chosen.Dispose();
        return new EwaldEvaluator(model, chosen.Settings, SimdPath.Auto, threads, overlap == "overlap=1");
    }
}
