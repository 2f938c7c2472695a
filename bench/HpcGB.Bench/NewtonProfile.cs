using System.Diagnostics;
using HpcGB.Engine.Integrators.Implicit;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Bench;

/// <summary>
/// <c>bench newton SPEC [--gamma G] [--dipoles F] [--threads T] [--lent] [--repeats K]</c>: the implicit integrator's own
/// cost per Newton iteration, without force evaluations. From the spec's initial state with a fraction F of its
/// particles (default 0.3) moved into tight opposite-sign pairs at 10 δ (captured dipoles, as in a free gas at tiny
/// δ), it assembles the Newton matrix at γ = G (default 1e-3) K times (default 40), each at an iterate moved by
/// 10⁻³ of the pair radius (so the pair list is reused, as between Newton iterates), and solves M s = r with the
/// integrator's CG tolerance after each. Prints the median wall and process-CPU time of one assembly and of one
/// solve (and the least CPU time: the least disturbed on a shared machine), CG iterations, pairs and matched
/// dipoles. <c>--lent</c>: the passes split over T − 1 helpers lent as the Ewald evaluator lends its own (spinning
/// between calls) instead of a parallel loop.
/// </summary>
internal static class NewtonProfile
{
    public static void Run(IReadOnlyList<string> args)
    {
        double gamma = 1e-3, dipoles = 0.3;
        int threads = 1, repeats = 40;
        bool lent = false;
        string? path = null;
        for (int k = 0; k < args.Count; k++)
        {
            switch (args[k])
            {
                case "--gamma": gamma = double.Parse(args[++k], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--dipoles": dipoles = double.Parse(args[++k], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[++k], System.Globalization.CultureInfo.InvariantCulture); break;
                case "--lent": lent = true; break;
                case "--repeats": repeats = int.Parse(args[++k], System.Globalization.CultureInfo.InvariantCulture); break;
                default: path = args[k]; break;
            }
        }
        if (path is null)
        {
            Console.Error.WriteLine("usage: newton SPEC [--gamma G] [--dipoles F] [--threads T] [--lent] [--repeats K]");
            return;
        }
        var spec = SpecReader.ParseFile(path);
        var model = spec.System;
        var state = HpcGB.Engine.Initialization.InitialConditions.Create(spec);
        int n = state.Count, components = model.Mobility == MobilityType.Glide || model.Dimension == 1 ? 1 : 2;
        var random = new Random(7);
        PairUp(state, dipoles, 10 * Math.Max(model.Delta, 1e-9), random);
        double radius = ImplicitIntegrator.PairRadius(model, n);
        var matrix = new NewtonMatrix(model, n, components)
        {
            Threads = threads,
            Helpers = lent && threads > 1 ? new HpcGB.Engine.Forces.Ewald.HelperScheduler(threads - 1) : null,
        };
        var rhs = new double[components][];
        var step = new double[components][];
        for (int a = 0; a < components; a++)
        {
            rhs[a] = Enumerable.Range(0, n).Select(_ => 1e-6 * (random.NextDouble() - 0.5)).ToArray();
            step[a] = new double[n];
        }
        var assemble = new List<(double Wall, double Cpu)>();
        var solve = new List<(double Wall, double Cpu)>();
        long iterations = 0, allocatedAssembly = 0, allocatedSolve = 0;
        for (int k = -3; k < repeats; k++)
        {
            for (int a = 0; a < components; a++)
            {
                double[] x = state.Positions[a];
                for (int i = 0; i < n; i++)
                {
                    x[i] += 1e-3 * radius * (random.NextDouble() - 0.5);
                }
            }
            long before = GC.GetTotalAllocatedBytes(precise: true);
            var time = Measure(() => matrix.Assemble(state, gamma, radius));
            long between = GC.GetTotalAllocatedBytes(precise: true);
            int used = 0;
            var timeSolve = Measure(() => used = matrix.Solve(rhs, step, 1e-4, 200));
            if (k >= 0)
            {
                allocatedAssembly += between - before;
                allocatedSolve += GC.GetTotalAllocatedBytes(precise: true) - between;
                assemble.Add(time);
                solve.Add(timeSolve);
                iterations += used;
            }
        }
        Console.WriteLine(
            $"{Path.GetFileName(path)}: n = {n}, {components} component(s), radius {radius:G3}, γ {gamma:G3}, {matrix.PairCount} pairs, "
            + $"{matrix.MatchedPairs} matched, {matrix.Flipped} flipped, threads {threads}{(matrix.Helpers is null ? "" : " (lent helpers)")}");
        Console.WriteLine(
            $"  assembly {Median(assemble, t => t.Wall) * 1e3:F3} ms (least {assemble.Min(t => t.Wall) * 1e3:F3} ms; CPU {Median(assemble, t => t.Cpu) * 1e3:F3} ms, least {assemble.Min(t => t.Cpu) * 1e3:F3} ms); "
            + $"solve {Median(solve, t => t.Wall) * 1e3:F3} ms (CPU {Median(solve, t => t.Cpu) * 1e3:F3} ms, least {solve.Min(t => t.Cpu) * 1e3:F3} ms), "
            + $"{(double)iterations / repeats:F1} CG iterations; allocated {allocatedAssembly / repeats} B per assembly, {allocatedSolve / repeats} B per solve");
    }

    /// <summary>Moves a fraction of the particles next to an opposite-sign partner, at <paramref name="gap"/>.</summary>
    private static void PairUp(ParticleState state, double fraction, double gap, Random random)
    {
        int n = state.Count, wanted = (int)(fraction * n / 2), made = 0;
        var used = new bool[n];
        for (int i = 0; i < n && made < wanted; i++)
        {
            if (used[i])
            {
                continue;
            }
            for (int j = i + 1; j < n; j++)
            {
                if (!used[j] && state.Signs[j] != state.Signs[i])
                {
                    used[i] = used[j] = true;
                    double angle = 2 * Math.PI * random.NextDouble();
                    state.Positions[0][j] = state.Positions[0][i] + gap * Math.Cos(angle);
                    if (state.Dimension == 2)
                    {
                        state.Positions[1][j] = state.Positions[1][i] + gap * Math.Sin(angle);
                    }
                    made++;
                    break;
                }
            }
        }
    }

    private static (double Wall, double Cpu) Measure(Action action)
    {
        double cpu = CpuClock.Process();
        var clock = Stopwatch.StartNew();
        action();
        return (clock.Elapsed.TotalSeconds, CpuClock.Process() - cpu);
    }

    private static double Median(List<(double Wall, double Cpu)> times, Func<(double Wall, double Cpu), double> pick) =>
        times.Select(pick).Order().ElementAt(times.Count / 2);
}
