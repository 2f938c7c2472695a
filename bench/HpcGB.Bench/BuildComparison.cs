using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using HpcGB.Engine.Forces;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Bench;

/// <summary>
/// <c>dotnet bench/HpcGB.Bench/bin/Release/net10.0/HpcGB.Bench.dll builds log|edge n rounds DIR_A DIR_B [threads]</c>:
/// the fast path at tolerance 1e-6 (uniform particles, forces only, the chooser's parameters) of two builds in one
/// process, alternated call by call (A, B, then B, A), so that a loaded machine slows both alike: this assembly is
/// loaded once per build into its own <see cref="AssemblyLoadContext"/>, which takes every other HpcGB assembly from
/// that build's output folder DIR (e.g. <c>/tmp/base/bench/HpcGB.Bench/bin/Release/net10.0</c>), so the same
/// evaluation code runs on each build's engine (any build with the engine's public API used here). Prints the largest
/// velocity difference between the two (0: the same bits), process CPU per call (min, 25th percentile, median) and
/// the paired difference B − A per round.
/// </summary>
internal static class BuildComparison
{
    public static void Run(IReadOnlyList<string> args)
    {
        string kernel = args[0];
        int n = int.Parse(args[1], CultureInfo.InvariantCulture);
        int rounds = int.Parse(args[2], CultureInfo.InvariantCulture);
        string[] folders = [args[3], args[4]];
        int threads = args.Count > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 2;
        string self = typeof(BuildComparison).Assembly.Location;
        var builds = folders.Select(folder =>
        {
            var copy = new BuildContext(folder).LoadFromAssemblyPath(self);
            var make = copy.GetType(typeof(BuildComparison).FullName!)!.GetMethod(nameof(Evaluation), BindingFlags.NonPublic | BindingFlags.Static)!;
            return ((Action Evaluate, double[][] Velocity, string Engine))make.Invoke(null, [kernel, n, threads])!;
        }).ToArray();
        for (int w = 0; w < 3; w++)
        {
            builds[0].Evaluate();
            builds[1].Evaluate();
        }
        double largest = 0;
        for (int axis = 0; axis < 2; axis++)
        {
            for (int i = 0; i < n; i++)
            {
                largest = Math.Max(largest, Math.Abs(builds[1].Velocity[axis][i] - builds[0].Velocity[axis][i]));
            }
        }
        var cpu = new List<double>[] { [], [] };
        var paired = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            for (int k = 0; k < 2; k++)
            {
                int which = r % 2 == 0 ? k : 1 - k;
                double c0 = CpuClock.Process();
                builds[which].Evaluate();
                cpu[which].Add((CpuClock.Process() - c0) * 1e3);
            }
            paired.Add(cpu[1][r] - cpu[0][r]);
        }
        Console.WriteLine(FormattableString.Invariant($"{kernel} n={n} threads={threads}: max |v_B − v_A| {largest:E2}"));
        for (int k = 0; k < 2; k++)
        {
            Console.WriteLine($"{(k == 0 ? "A" : "B")} {builds[k].Engine}: CPU {Percentiles(cpu[k])}");
        }
        var d = paired.Order().ToList();
        Console.WriteLine(FormattableString.Invariant($"paired CPU B − A: median {d[rounds / 2]:F1} p25 {d[rounds / 4]:F1} p75 {d[3 * rounds / 4]:F1} ms"));
    }

    /// <summary>
    /// One build's evaluation (called by reflection in that build's context), the velocities it writes and where its
    /// engine was loaded from.
    /// </summary>
    private static (Action Evaluate, double[][] Velocity, string Engine) Evaluation(string kernel, int n, int threads)
    {
        var kind = kernel == "edge" ? KernelType.Edge : KernelType.Log;
        var model = EvaluationSetup.Workload(kind);
        var state = EvaluationSetup.Uniform(n);
        var evaluator = ForceEvaluatorFactory.Create(model, new ForcesSpec(ForceMethod.Pme, 1e-6, Threads: threads), n);
        var velocity = state.NewVectors();
        return (() => evaluator.Evaluate(state, velocity, false), velocity, typeof(ForceEvaluatorFactory).Assembly.Location);
    }

    private static string Percentiles(List<double> milliseconds)
    {
        var o = milliseconds.Order().ToList();
        return FormattableString.Invariant($"min {o[0]:F1} p25 {o[o.Count / 4]:F1} med {o[o.Count / 2]:F1} ms");
    }

    /// <summary>A context for this bench assembly that takes the other HpcGB assemblies from one build's folder.</summary>
    private sealed class BuildContext(string folder) : AssemblyLoadContext(isCollectible: false)
    {
        protected override Assembly? Load(AssemblyName name)
        {
            string path = Path.Combine(folder, name.Name + ".dll");
            bool fromBuild = name.Name!.StartsWith("HpcGB.", StringComparison.Ordinal) && name.Name != "HpcGB.Bench" && File.Exists(path);
            return fromBuild ? LoadFromAssemblyPath(path) : null;
        }
    }
}
