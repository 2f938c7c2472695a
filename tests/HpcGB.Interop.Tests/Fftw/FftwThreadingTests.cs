using System.Numerics;
using HpcGB.Interop.Fftw;

namespace HpcGB.Interop.Tests.Fftw;

/// <summary>Multithreaded FFTW plans, and several RealFft instances used from several threads at once.</summary>
public sealed class FftwThreadingTests
{
    [Fact]
    public void OpenMpWorkersSleepBetweenTransforms()
    {
        // libgomp's idle workers spin by default and take a core from the PME stage after each FFT; loading FFTW's
        // threads sets the passive policy in the native environment, which libgomp reads, unless the user chose.
        Assert.True(FftwLibrary.IsThreadingAvailable);
        string? expected = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY")
            ?? (Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is null ? "PASSIVE" : null);
        Assert.Equal(expected, NativeEnvironment.Get("OMP_WAIT_POLICY"));
    }

    [Fact]
    public void TheOpenMpLibraryIsLoaded()
    {
        // CI installs libfftw3-double3, which ships libfftw3_omp.so.3 beside libfftw3.so.3.
        Assert.True(FftwLibrary.IsThreadingAvailable, $"{FftwLibrary.OpenMpLibraryName} did not load.");
        Assert.Equal(2, FftwLibrary.EffectiveThreads(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => FftwLibrary.EffectiveThreads(0));
    }

    [Theory]
    [InlineData(new[] { 256, 256 })]
    [InlineData(new[] { 96, 200 })]
    [InlineData(new[] { 1 << 15 })]
    public void TwoThreadsEqualOneThread(int[] shape)
    {
        // Estimate: Measure with two threads takes tens of seconds when the cores are shared with other work.
        using var serial = new RealFft(shape, FftwPlannerFlags.Estimate, threads: 1);
        using var parallel = new RealFft(shape, FftwPlannerFlags.Estimate, threads: 2);
        Assert.Equal(2, parallel.Threads);
        Assert.NotSame(serial.ForwardPlan, parallel.ForwardPlan);
        var x = TestData.RandomReal(serial.RealLength, seed: 5);

        var serialSpectrum = new Complex[serial.SpectrumLength];
        var parallelSpectrum = new Complex[serial.SpectrumLength];
        serial.Forward(x, serialSpectrum);
        parallel.Forward(x, parallelSpectrum);
        Assert.True(TestData.RelativeMaxError(parallelSpectrum, serialSpectrum) < 1e-13);

        var serialBack = new double[serial.RealLength];
        var parallelBack = new double[serial.RealLength];
        serial.Inverse(serialSpectrum, serialBack);
        parallel.Inverse(serialSpectrum, parallelBack);
        Assert.True(TestData.RelativeMaxError(parallelBack, serialBack) < 1e-13);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void InstancesOnSeveralThreadsGiveCorrectResults(int fftwThreads)
    {
        int[] shape = [32, 48];
        const int Workers = 6;
        const int Repeats = 25;
        var inputs = Enumerable.Range(0, Workers).Select(w => TestData.RandomReal(32 * 48, seed: 1000 + w)).ToArray();

        // The expected spectra, one at a time on this thread, checked against the defining sum.
        var expected = new Complex[Workers][];
        using (var fft = new RealFft(shape, FftwPlannerFlags.Estimate, fftwThreads))
        {
            for (int w = 0; w < Workers; w++)
            {
                expected[w] = new Complex[fft.SpectrumLength];
                fft.Forward(inputs[w], expected[w]);
                Assert.True(TestData.RelativeMaxError(expected[w], NaiveDft.Forward2D(inputs[w], 32, 48)) < 1e-12);
            }
        }

        var failures = new int[Workers];
        Parallel.For(0, Workers, new ParallelOptions { MaxDegreeOfParallelism = Workers }, w =>
        {
            using var fft = new RealFft(shape, FftwPlannerFlags.Estimate, fftwThreads);
            using var spectrum = fft.AllocateSpectrum();
            using var back = fft.AllocateReal();
            for (int r = 0; r < Repeats; r++)
            {
                fft.Forward(inputs[w], spectrum);
                if (!spectrum.Span.SequenceEqual(expected[w]))
                {
                    failures[w]++;
                }
                fft.Inverse(spectrum, back);
                for (int i = 0; i < back.Length; i++)
                {
                    if (Math.Abs(back.Span[i] - fft.RealLength * inputs[w][i]) > 1e-10 * fft.RealLength)
                    {
                        failures[w]++;
                        break;
                    }
                }
            }
        });
        Assert.All(failures, f => Assert.Equal(0, f));
    }
}
