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
/// <c>dotnet run -c Release --project bench/HpcGB.Bench -- smallmesh log|edge n tolerance threads neighbours order mesh …</c>:
/// for the split of <c>tolerance</c> with the given neighbours within r_c and B-spline order, per mesh size the cost of
/// one evaluation with energy (process CPU and wall ms per call, mean of 200 calls after 20 warm-ups) and its RMS and max
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
        var model = new SystemModel(2, kernel, kernel == KernelType.Edge ? MobilityType.Glide : MobilityType.Isotropic,
            new Regularization(RegularizationType.None, 1e-6), ExternalPotential.None(2));
        var state = EvaluationSetup.Uniform(n);
        var reference = state.NewVectors();
        using (var tight = (EwaldEvaluator)ForceEvaluatorFactory.Create(model, new ForcesSpec(ForceMethod.Pme, 1e-10), n))
        {
            tight.Evaluate(state, reference, withEnergy: false);
        }
        if (args.Count == 6)
        {
            using var chosen = (EwaldEvaluator)ForceEvaluatorFactory.Create(model, new ForcesSpec(ForceMethod.Pme, tolerance, Threads: threads), n);
            Report(chosen, state, reference, threads, $"chosen {chosen.Settings}");
            return;
        }
        var rule = KernelCases.For(model).Split!;
        double q = rule.ReachFactor * Math.Sqrt(2 * Math.Log(1 / tolerance));
        double cutoff = Math.Sqrt(neighbours / (Math.PI * n));
        double sigma = rule.SigmaFor(cutoff / q, model.Regularization.Delta);
        foreach (string mesh in args.Skip(6))
        {
            using var fast = new EwaldEvaluator(model, new EwaldParameters(sigma, cutoff, Parse<int>(mesh), order, tolerance, false), SimdPath.Auto, threads);
            Report(fast, state, reference, threads, $"neighbours {neighbours} p = {order} M = {mesh}");
        }
    }

    private static void Report(IForceEvaluator fast, ParticleState state, double[][] reference, int threads, string label)
    {
        var velocity = state.NewVectors();
        for (int k = 0; k < 20; k++)
        {
            fast.Evaluate(state, velocity, withEnergy: true);
        }
        const int calls = 200;
        double cpu = CpuClock.Process();
        long ticks = Stopwatch.GetTimestamp();
        for (int k = 0; k < calls; k++)
        {
            fast.Evaluate(state, velocity, withEnergy: true);
        }
        double wall = Stopwatch.GetElapsedTime(ticks).TotalSeconds / calls;
        cpu = (CpuClock.Process() - cpu) / calls;
        double err = 0, norm = 0, max = 0, scale = 0;
        for (int a = 0; a < velocity.Length; a++)
        {
            for (int i = 0; i < velocity[a].Length; i++)
            {
                double d = velocity[a][i] - reference[a][i];
                err += d * d;
                norm += reference[a][i] * reference[a][i];
                max = Math.Max(max, Math.Abs(d));
            }
        }
        scale = Math.Sqrt(norm / (velocity.Length * velocity[0].Length));
        Console.WriteLine(FormattableString.Invariant(
            $"{label}, {threads} threads: {wall * 1e3:F2} ms wall, {cpu * 1e3:F2} ms CPU per call; RMS relative {Math.Sqrt(err / norm):E2}, max / RMS velocity {max / scale:E2}"));
    }

    private static T Parse<T>(string s) where T : IParsable<T> => T.Parse(s, CultureInfo.InvariantCulture);
}
