using System.Diagnostics;
using System.Globalization;
using HpcGB.Engine.Distributed;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.NearField;
using HpcGB.Engine.Model;
using HpcGB.Engine.Spec;

namespace HpcGB.Bench;

/// <summary>
/// <c>mpiexec -n K dotnet HpcGB.Bench.dll distributed [n …] [--repeats R] [--kernel log|edge] [--regularization R]
/// [--delta δ]</c>: one system of n uniform particles (2D, by default gaussian δ = 1e-3, tolerance 1e-6, one thread per
/// rank) across the K ranks; after two
/// warm-up evaluations, R forces-only evaluations. Rank 0 prints per evaluation: the wall time (slowest rank), the
/// compute time (wall minus communication, slowest rank), and per phase the bytes each rank sent (mean and largest)
/// and the time in communication calls (slowest rank, waiting included) — the constants of the weak-scaling model in
/// docs/distributed.md. With K = 1 it also times the serial evaluator on the same particles.
/// </summary>
internal static class DistributedProfile
{
    public static void Run(IReadOnlyList<string> args)
    {
        int repeats = 5;
        var kernel = KernelType.Log;
        var regularization = new Regularization(RegularizationType.Gaussian, 1e-3);
        var sizes = new List<int>();
        for (int k = 0; k < args.Count; k++)
        {
            switch (args[k])
            {
                case "--repeats":
                    repeats = int.Parse(args[++k], CultureInfo.InvariantCulture);
                    break;
                case "--kernel":
                    kernel = Enum.Parse<KernelType>(args[++k], ignoreCase: true);
                    break;
                case "--regularization":
                    regularization = regularization with { Type = Enum.Parse<RegularizationType>(args[++k], ignoreCase: true) };
                    break;
                case "--delta":
                    regularization = regularization with { Delta = double.Parse(args[++k], CultureInfo.InvariantCulture) };
                    break;
                default:
                    sizes.Add(int.Parse(args[k], CultureInfo.InvariantCulture));
                    break;
            }
        }
        if (sizes.Count == 0)
        {
            sizes.Add(1_000_000);
        }
        using var communicator = MpiCommunicator.Start();
        foreach (int n in sizes)
        {
            Profile(communicator, kernel, regularization, n, repeats);
        }
    }

    private static void Profile(Communicator communicator, KernelType kernel, Regularization regularization, int n, int repeats)
    {
        bool root = communicator.Rank == 0;
        var model = new SystemModel(2, kernel, MobilityType.Isotropic, regularization, ExternalPotential.None(2));
        var spec = new SimulationSpec(model, new UniformParticles(n, 0.5), TimeSpec.Default,
            new ForcesSpec(ForceMethod.Pme, 1e-6, SimdPath.Auto, Threads: 1), 1);
        var setup = Stopwatch.StartNew();
        using var system = DistributedSystem.Create(spec, communicator);
        var evaluator = system.Evaluator;
        var velocity = system.Held.NewVectors();
        double setupSeconds = setup.Elapsed.TotalSeconds;
        for (int w = 0; w < 2; w++)
        {
            evaluator.Evaluate(system.Held, velocity, withEnergy: false);
        }
        communicator.Barrier();
        communicator.Counters.Reset();
        var walls = new List<double>();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var stages = new List<DistributedTimings>();
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            evaluator.Evaluate(system.Held, velocity, withEnergy: false);
            walls.Add(clock.Elapsed.TotalSeconds);
            stages.Add(evaluator.LastTimings);
        }
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds / repeats;
        var traffic = communicator.Counters.Snapshot();
        double commSeconds = traffic.Sum(p => p.Seconds) / repeats;
        double wall = walls.Average();
        double compute = wall - commSeconds;
        // Per rank: [wall, compute, near, spread, fft, gather, held, pairs, process CPU, phase bytes…, phase seconds…].
        var phases = Enum.GetValues<CommunicationPhase>();
        var mine = new List<double>
        {
            wall, compute, stages.Average(s => s.NearField), stages.Average(s => s.MeshStages.Spread), stages.Average(s => s.MeshStages.Fft),
            stages.Average(s => s.MeshStages.Gather), system.Held.Count, evaluator.PairsInRange, cpuSeconds,
        };
        mine.AddRange(traffic.Select(p => (double)p.BytesSent / repeats));
        mine.AddRange(traffic.Select(p => p.Seconds / repeats));
        var all = communicator.Allgather(CommunicationPhase.Output, [.. mine]);

        double serial = double.NaN;
        if (communicator.Size == 1)
        {
            using var plain = new EwaldEvaluator(model, evaluator.Settings, SimdPath.Auto, threads: 1);
            var state = system.Held;
            var v = state.NewVectors();
            plain.Evaluate(state, v, false);
            serial = Enumerable.Range(0, repeats).Select(_ =>
            {
                var clock = Stopwatch.StartNew();
                plain.Evaluate(state, v, false);
                return clock.Elapsed.TotalSeconds;
            }).Average();
        }
        if (!root)
        {
            return;
        }
        int K = communicator.Size, offset = 9;
        var p = evaluator.Settings;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{kernel}, {regularization.Type} δ = {regularization.Delta:G3}, n = {n:N0} on {K} rank(s), 1 thread each: M = {p.Mesh}, r_c = {p.Cutoff:E3}, p = {p.Order}, slabs {evaluator.Layout}; setup {setupSeconds:F1} s; {repeats} evaluations"));
        string serialText = double.IsNaN(serial) ? "" : string.Create(CultureInfo.InvariantCulture, $"   serial evaluator {1e3 * serial:F1} ms");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  wall {1e3 * all.Max(r => r[0]):F1} ms (slowest rank)   compute {1e3 * all.Max(r => r[1]):F1} ms (slowest; mean {1e3 * all.Average(r => r[1]):F1})   near {1e3 * all.Max(r => r[2]):F1}  spread {1e3 * all.Max(r => r[3]):F1}  fft+transpose {1e3 * all.Max(r => r[4]):F1}  gather {1e3 * all.Max(r => r[5]):F1} ms{serialText}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  particles per rank {string.Join(" ", all.Select(r => r[6].ToString("F0", CultureInfo.InvariantCulture)))}; pairs per rank {string.Join(" ", all.Select(r => r[7].ToString("E3", CultureInfo.InvariantCulture)))}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  process CPU per evaluation (all threads, waiting in MPI included) per rank {string.Join(" ", all.Select(r => (1e3 * r[8]).ToString("F1", CultureInfo.InvariantCulture)))} ms"));
        Console.WriteLine("  phase          bytes/rank (mean)   bytes/rank (max)   comm ms (slowest rank)");
        for (int k = 0; k < phases.Length; k++)
        {
            double mean = all.Average(r => r[offset + k]), max = all.Max(r => r[offset + k]), seconds = all.Max(r => r[offset + phases.Length + k]);
            if (max == 0 && seconds == 0)
            {
                continue;
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {phases[k],-12} {mean,18:N0} {max,18:N0} {1e3 * seconds,20:F2}"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  total comm {1e3 * all.Max(r => r.Skip(offset + phases.Length).Sum()):F1} ms (slowest rank)"));
    }
}
