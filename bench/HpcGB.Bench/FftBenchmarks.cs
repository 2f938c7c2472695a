using System.Numerics;
using BenchmarkDotNet.Attributes;
using HpcGB.Interop.Fftw;

namespace HpcGB.Bench;

/// <summary>
/// One FFTW forward r2c plus one inverse c2r (Measure plans) on the PME mesh sizes, with 1 and 2 FFTW threads.
/// <c>ForwardInverse</c> is the raw pair (c2r overwrites the spectrum); <c>ForwardInverseKeepingSpectrum</c> adds the
/// copy that lets the spectrum be reused, as the PME consumer does.
/// </summary>
/// <remarks>
/// Measure planning runs in the global setup of every benchmark process; the wisdom is kept in a temporary file so
/// that each shape is measured once per machine rather than once per process.
/// </remarks>
public class FftBenchmarks
{
    private static readonly string s_wisdomPath = Path.Combine(Path.GetTempPath(), "hpcgb-bench-fftw.wisdom");

    private RealFft _fft = null!;
    private FftwBuffer<double> _real = null!;
    private FftwBuffer<Complex> _spectrum = null!;

    /// <summary>"M1xM2" for a 2D mesh, "M" for a 1D one.</summary>
    [Params("256x256", "512x512", "1024x1024", "65536", "1048576")]
    public string Shape { get; set; } = "256x256";

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        FftwLibrary.ImportWisdom(s_wisdomPath);
        int[] shape = Shape.Split('x').Select(int.Parse).ToArray();
        _fft = new RealFft(shape, FftwPlannerFlags.Measure, Threads);
        FftwLibrary.ExportWisdom(s_wisdomPath);

        _real = _fft.AllocateReal();
        _spectrum = _fft.AllocateSpectrum();
        var random = new Random(1);
        foreach (ref double value in _real.Span)
        {
            value = random.NextDouble() - 0.5;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _real.Dispose();
        _spectrum.Dispose();
        _fft.Dispose();
    }

    [Benchmark(Baseline = true)]
    public void ForwardInverse()
    {
        _fft.Forward(_real, _spectrum);
        _fft.InverseDestroyingInput(_spectrum, _real);
    }

    [Benchmark]
    public void ForwardInverseKeepingSpectrum()
    {
        _fft.Forward(_real, _spectrum);
        _fft.Inverse(_spectrum, _real);
    }
}
