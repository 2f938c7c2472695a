using System.Diagnostics;
using HpcGB.Engine.Forces.Ewald;
using HpcGB.Engine.Forces.OpenCl;
using HpcGB.Engine.Model;
using HpcGB.Interop.OpenCl;

namespace HpcGB.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/HpcGB.Bench -- opencl [--device P/D] [n …]</c>: the OpenCL evaluation's
/// stages (upload, binning, near field, spread, FFT, gather, download; best of the repeats, the queue finished after
/// each stage) next to the CPU path (AVX-512/AVX2, all cores) on the same particles in the same run, for 2D log and
/// edge at tolerance 1e-6, with the largest velocity difference between the two as a check.
/// </summary>
internal static class OpenClProfile
{
    public static void Run(string[] args)
    {
        var device = SelectDevice(args);
        var sizes = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal) && !a.Contains('/', StringComparison.Ordinal))
            .Select(a => int.Parse(a, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        if (sizes.Length == 0)
        {
            sizes = [100_000, 1_000_000];
        }
        Console.WriteLine($"OpenCL device {device.Platform}/{device.Index}: {device.Description}, {device.ComputeUnits} compute units; CPU path on {Environment.ProcessorCount} cores");
        Console.WriteLine($"load: {LoadAverage()}");
        foreach (var kernel in new[] { KernelType.Log, KernelType.Edge })
        {
            // The smallest n from which the device beat the CPU path at every larger n measured: forces.device
            // "auto"'s crossover (ForcesSpec.OpenClCrossover) is read off this line on a GPU.
            int? crossover = null;
            foreach (int n in sizes.Order())
            {
                bool deviceFaster = Profile(device, kernel, n) < 1;
                crossover = deviceFaster ? crossover ?? n : null;
            }
            Console.WriteLine($"{kernel}: the device is faster than the CPU path {(crossover is int c ? $"from n = {c:N0}" : "at none of the sizes measured")}");
        }
    }

    /// <summary>Prints one size's profile; returns the device's time over the CPU path's.</summary>
    private static double Profile(OpenClDevice device, KernelType kernel, int n)
    {
        const double tolerance = 1e-6;
        int repeats = n >= 5_000_000 ? 2 : n >= 1_000_000 ? 3 : 5;
        var state = EvaluationSetup.Uniform(n);
        var model = EvaluationSetup.Model(kernel);
        var parameters = EwaldParameterChooser.Choose(model, n, tolerance);

        using var cpu = EvaluationSetup.Pme(kernel, n, tolerance);
        var cpuVelocity = state.NewVectors();
        double cpuBest = Best(repeats, () => cpu.Evaluate(state, cpuVelocity, withEnergy: false), out _);
        var mesh = cpu.Mesh.LastTimings;
        var near = cpu.NearField?.LastTimings;

        var clock = Stopwatch.StartNew();
        using var gpu = new OpenClEwaldEvaluator(model, parameters, device);
        var gpuVelocity = state.NewVectors();
        gpu.Evaluate(state, gpuVelocity, withEnergy: false);
        double setup = clock.Elapsed.TotalSeconds;
        double gpuBest = Best(repeats, () => gpu.Evaluate(state, gpuVelocity, withEnergy: false), out _);
        gpu.ProfileStages = true;
        var stages = default(OpenClStageTimings);
        double profiled = Best(repeats, () => gpu.Evaluate(state, gpuVelocity, withEnergy: false), out int bestIndex, () => stages = gpu.LastTimings);

        double difference = 0, scale = 0;
        for (int a = 0; a < 2; a++)
        {
            for (int i = 0; i < n; i++)
            {
                difference = Math.Max(difference, Math.Abs(gpuVelocity[a][i] - cpuVelocity[a][i]));
                scale = Math.Max(scale, Math.Abs(cpuVelocity[a][i]));
            }
        }
        var (cells, tiles) = gpu.Grids;
        Console.WriteLine($"{kernel,-4} n = {n,10:N0}  M = {parameters.Mesh} p = {parameters.Order} r_c = {parameters.Cutoff:E2}, device cells {cells}², tiles {tiles}²; max |Δv|/max|v| = {difference / scale:E1}");
        Console.WriteLine($"     CPU    {cpuBest * 1e3,9:F1} ms | binning {Ms(near?.Binning.TotalSeconds)} pairs {Ms(near?.Pairs.TotalSeconds)} reduce {Ms(near?.Reduction.TotalSeconds)} | spread {Ms(mesh.Spread)} fft {Ms(mesh.Fft)} conv {Ms(mesh.Convolve)} gather {Ms(mesh.Gather)}");
        Console.WriteLine($"     OpenCL {gpuBest * 1e3,9:F1} ms ({gpuBest / cpuBest:F2}× CPU; first call with set-up {setup:F2} s) | profiled {profiled * 1e3:F1} ms: upload {Ms(stages.Upload)} binning {Ms(stages.Binning)} near {Ms(stages.NearField)} spread {Ms(stages.Spread)} fft {Ms(stages.Fft)} gather {Ms(stages.Gather)} download {Ms(stages.Download)}");
        return gpuBest / cpuBest;
    }

    private static double Best(int repeats, Action evaluate, out int bestIndex, Action? onBest = null)
    {
        evaluate();
        double best = double.MaxValue;
        bestIndex = -1;
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            evaluate();
            double seconds = clock.Elapsed.TotalSeconds;
            if (seconds < best)
            {
                best = seconds;
                bestIndex = r;
                onBest?.Invoke();
            }
        }
        return best;
    }

    private static string Ms(double? seconds) => seconds is double s ? $"{s * 1e3:F1}" : "-";

    internal static OpenClDevice SelectDevice(string[] args)
    {
        int at = Array.IndexOf(args, "--device");
        if (at >= 0 && at + 1 < args.Length)
        {
            var parts = args[at + 1].Split('/');
            return OpenClPlatforms.Select(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        return OpenClPlatforms.Discover().Where(d => d.Fp64).OrderBy(d => d.IsGpu ? 0 : 1).FirstOrDefault()
            ?? throw new OpenClUnavailableException("no OpenCL device with double precision (see hpcgb info)");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown";
}
