using System.Diagnostics;
using System.Globalization;
using HpcGB.Engine.Cases;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/HpcGB.Bench -- smallmesh log|edge n tolerance threads neighbours order mesh … [band=0]</c>:
/// for the split of <c>tolerance</c> with the given neighbours within r_c and B-spline order, per mesh size the cost of
/// one evaluation with energy (process CPU and wall ms per call, mean of 200 calls after a second of warm-ups, and the mean wall
/// time of each mesh and near-field stage) and its RMS and max
/// relative velocity error against the fast path at tolerance 1e-10 (edge: glide, unregularised — the peer workload;
/// log: isotropic; uniform particles). The measurements behind <see cref="EwaldParameterChooser"/>'s neighbours at
/// small n, where per-call costs, not pair throughput, set the balance.
/// </summary>
internal static class SmallMeshBalance
{
    public static void Run(IReadOnlyList<string> args)
    {
        var kernel = args[0] == "edge" ? KernelType.Edge : KernelType.Log;
        int n = Parse<int>(args[1]);
        double tolerance = Parse<double>(args[2]);
        int threads = Parse<int>(args[3]);
        double neighbours = Parse<double>(args[4]);
        int order = Parse<int>(args[5]);
        var model = EvaluationSetup.Workload(kernel);
        var state = EvaluationSetup.Uniform(n);
        var reference = EvaluationSetup.TightReference(model, state);
        if (args.Count == 6)
        {
            using var chosen = (EwaldEvaluator)ForceEvaluatorFactory.Create(model, new ForcesSpec(ForceMethod.Pme, tolerance, Threads: threads), n);
            Report(chosen, state, reference, threads, $"chosen {chosen.Settings}");
            return;
        }
        var split = NeighbourSplit.For(model, n, tolerance, neighbours);
        foreach (string mesh in args.Skip(6).Where(s => !s.Contains('=')))
        {
            using var fast = new EwaldEvaluator(model, split.Parameters(model, Parse<int>(mesh), order, tolerance, NeighbourSplit.Band(args)), SimdPath.Auto, threads);
            Report(fast, state, reference, threads, $"neighbours {neighbours} p = {order} M = {mesh}");
        }
    }

    private static void Report(IForceEvaluator fast, ParticleState state, double[][] reference, int threads, string label)
    {
        var velocity = state.NewVectors();
        EvaluationSetup.WarmUp(() => fast.Evaluate(state, velocity, withEnergy: true), 20);
        const int calls = 200;
        double cpu = CpuClock.Process();
        long ticks = Stopwatch.GetTimestamp();
        var stages = new double[7];
        for (int k = 0; k < calls; k++)
        {
            fast.Evaluate(state, velocity, withEnergy: true);
            AddStages(fast, stages);
        }
        double wall = Stopwatch.GetElapsedTime(ticks).TotalSeconds / calls;
        cpu = (CpuClock.Process() - cpu) / calls;
        var (rms, max) = EvaluationSetup.RelativeError(velocity, reference);
        Console.WriteLine(FormattableString.Invariant(
            $"{label}, {threads} threads: {wall * 1e3:F2} ms wall, {cpu * 1e3:F2} ms CPU per call; RMS relative {rms:E2}, max / RMS velocity {max:E2}"));
        string[] names = ["spread", "fft", "conv", "gather", "near bin", "near pairs", "near reduce"];
        Console.WriteLine("  mean wall ms per stage: " + string.Join(", ", names.Select((name, k) =>
            FormattableString.Invariant($"{name} {stages[k] / calls * 1e3:F3}"))) +
            FormattableString.Invariant($", rest {(wall - stages.Sum() / calls) * 1e3:F3}"));
    }

    /// <summary>Adds the last evaluation's stage times (mesh, then near field) to <paramref name="stages"/>.</summary>
    private static void AddStages(IForceEvaluator fast, double[] stages)
    {
        if (fast is not EwaldEvaluator ewald)
        {
            return;
        }
        var mesh = ewald.Mesh.LastTimings;
        stages[0] += mesh.Spread;
        stages[1] += mesh.Fft;
        stages[2] += mesh.Convolve;
        stages[3] += mesh.Gather;
        if (ewald.NearField is { } near)
        {
            stages[4] += near.LastTimings.Binning.TotalSeconds;
            stages[5] += near.LastTimings.Pairs.TotalSeconds;
            stages[6] += near.LastTimings.Reduction.TotalSeconds;
        }
    }

    private static T Parse<T>(string s) where T : IParsable<T> => T.Parse(s, CultureInfo.InvariantCulture);
}
