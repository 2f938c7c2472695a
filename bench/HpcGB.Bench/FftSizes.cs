using System.Globalization;
using HpcGB.Interop.Fftw;

namespace HpcGB.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/HpcGB.Bench -- fft [estimate] M …</c>: the CPU time of one forward r2c plus one
/// inverse c2r on an M×M mesh on one thread, with Estimate and with Measure plans (best of 5 after a warm-up): which
/// mesh sizes FFTW handles well, measured as thread CPU time so that other processes on the machine matter less.
/// <c>fft wisdom FILE threads M …</c> measures the plans that 2D PME meshes of these sizes make on that many threads and
/// stores them as FFTW wisdom (<see cref="HpcGB.Engine.Forces.Pme.MeshWisdom"/>; load with HPCGB_FFTW_WISDOM=FILE).
/// </summary>
internal static class FftSizes
{
    public static void Run(IReadOnlyList<string> args)
    {
        if (args[0] == "wisdom")
        {
            // wisdom FILE threads M…: measure the PME plans of these 2D mesh sizes once and store them (MeshWisdom).
            var meshes = args.Skip(3).Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            HpcGB.Engine.Forces.Pme.MeshWisdom.Measure(args[1], 2, meshes, int.Parse(args[2], CultureInfo.InvariantCulture));
            Console.WriteLine($"wisdom for M = {string.Join(", ", meshes)} on {args[2]} thread(s) written to {args[1]} ({System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s)");
            return;
        }
        if (args[0] == "band")
        {
            Band(int.Parse(args[1], CultureInfo.InvariantCulture), int.Parse(args[2], CultureInfo.InvariantCulture), args.Count > 3 && args[3] == "wisdom");
            return;
        }
        // "estimate" first: only the Estimate plans (the engine's; Measure plans take seconds each at M ≥ 2000).
        bool estimateOnly = args[0] == "estimate";
        FftwPlannerFlags[] rigors = estimateOnly ? [FftwPlannerFlags.Estimate] : [FftwPlannerFlags.Estimate, FftwPlannerFlags.Measure];
        foreach (int m in args.Skip(estimateOnly ? 1 : 0).Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
        {
            var line = $"M = {m,5}:";
            foreach (var flags in rigors)
            {
                double planStart = CpuClock.Thread();
                using var fft = new RealFft([m, m], flags, 1);
                double plan = CpuClock.Thread() - planStart;
                using var real = fft.AllocateReal();
                using var spectrum = fft.AllocateSpectrum();
                var random = new Random(1);
                foreach (ref double value in real.Span)
                {
                    value = random.NextDouble() - 0.5;
                }
                double best = double.MaxValue;
                for (int repeat = 0; repeat < 6; repeat++)
                {
                    double start = CpuClock.Thread();
                    fft.Forward(real, spectrum);
                    fft.InverseDestroyingInput(spectrum, real);
                    double seconds = CpuClock.Thread() - start;
                    if (repeat > 0)
                    {
                        best = Math.Min(best, seconds);
                    }
                }
                line += $"  {flags} {best * 1e3,7:F1} ms ({best / (2.0 * m * m * Math.Log2((double)m * m)) * 1e9:F2} ns/(N log2 N)), plan {plan:F1} s";
            }
            Console.WriteLine(line);
        }
    }

    /// <summary>
    /// <c>fft band M C [wisdom]</c>: one thread's CPU for the forward and inverse transforms of an M×M mesh, whole
    /// (<see cref="RealFft"/>) against the first C columns (<see cref="BandLimitedFft"/>), best of 8 alternated; with
    /// "wisdom" the plans the loaded wisdom holds (HPCGB_FFTW_WISDOM), else estimates.
    /// </summary>
    private static void Band(int m, int columns, bool wisdom)
    {
        if (wisdom)
        {
            HpcGB.Engine.Forces.Pme.MeshWisdom.EnsureLoaded();
        }
        var flags = wisdom ? FftwPlannerFlags.Wisdom : FftwPlannerFlags.Estimate;
        using var whole = new RealFft([m, m], flags, 1);
        using var band = new BandLimitedFft(m, columns, 1, flags);
        using var real = whole.AllocateReal();
        using var spectrum = whole.AllocateSpectrum();
        var random = new Random(1);
        double bestWhole = double.MaxValue, bestBand = double.MaxValue;
        for (int repeat = 0; repeat < 9; repeat++)
        {
            foreach (ref double value in real.Span)
            {
                value = random.NextDouble() - 0.5;
            }
            double start = CpuClock.Thread();
            whole.Forward(real, spectrum);
            whole.InverseDestroyingInput(spectrum, real);
            double middle = CpuClock.Thread();
            band.ForwardRows(0, real, spectrum);
            band.TransformColumns(0, columns, spectrum, forward: true);
            band.TransformColumns(0, columns, spectrum, forward: false);
            band.InverseRowsDestroyingInput(0, spectrum, real);
            double end = CpuClock.Thread();
            if (repeat > 0)
            {
                bestWhole = Math.Min(bestWhole, middle - start);
                bestBand = Math.Min(bestBand, end - middle);
            }
        }
        Console.WriteLine(FormattableString.Invariant(
            $"M = {m}, C = {columns} of {m / 2 + 1}: whole {bestWhole * 1e3:F1} ms ({(whole.FromWisdom ? "wisdom" : "estimate")}), band {bestBand * 1e3:F1} ms ({(band.FromWisdom ? "wisdom" : "estimate")})"));
    }
}
