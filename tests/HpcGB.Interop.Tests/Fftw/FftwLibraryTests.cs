using System.Numerics;
using HpcGB.Interop.Fftw;

namespace HpcGB.Interop.Tests.Fftw;

/// <summary>Loading, error messages, and the native buffers.</summary>
public sealed class FftwLibraryTests
{
    [Fact]
    public void TheLibraryIsAvailable()
    {
        FftwLibrary.EnsureAvailable();
        Assert.True(FftwLibrary.IsAvailable);
        Assert.StartsWith("fftw-3", FftwLibrary.Version);
    }

    [Fact]
    public void AMissingLibraryNamesItselfAndThePackage()
    {
        var error = Assert.Throws<FftwUnavailableException>(() => FftwLibrary.EnsureAvailable("libhpcgb-no-fftw.so.3"));

        Assert.Equal("libhpcgb-no-fftw.so.3", error.LibraryName);
        Assert.Equal(
            "FFTW is not available: the native library 'libhpcgb-no-fftw.so.3' was not found; " +
            "install it with: apt-get install libfftw3-double3 (Debian/Ubuntu)",
            error.Message);
        Assert.Contains("'libfftw3.so.3' was not found", new FftwUnavailableException().Message);
    }

    [Fact]
    public void APlannerThatReturnsNullThrowsWithTheShape()
    {
        // FFTW cannot keep the input of a multi-dimensional c2r, so it refuses to plan one with PRESERVE_INPUT.
        var error = Assert.Throws<FftwException>(() => FftwPlan.Create(
            FftwShape.From([6, 10]), FftwDirection.ComplexToReal, FftwPlannerFlags.Estimate, 1,
            FftwNative.PreserveInput));

        Assert.Contains("fftw_plan_dft_c2r_2d", error.Message);
        Assert.Contains("shape 6x10", error.Message);
    }

    [Fact]
    public unsafe void BuffersAreZeroedAlignedAndFreed()
    {
        var buffer = new FftwBuffer<Complex>(33);
        Assert.Equal(33, buffer.Length);
        Assert.All(buffer.Span.ToArray(), c => Assert.Equal(Complex.Zero, c));
        fixed (Complex* p = buffer.Span)
        {
            Assert.Equal(0, (long)p % 64);
        }
        Assert.Equal(0, FftwNative.AlignmentOf(buffer.Memory));

        buffer.Span[32] = new Complex(1, 2);
        Assert.Equal(new Complex(1, 2), buffer.Span[32]);

        buffer.Dispose();
        Assert.True(buffer.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => buffer.Span.Length);
        buffer.Dispose();
    }

    [Fact]
    public void AnEmptyBufferIsAllowedAndANegativeOneIsNot()
    {
        using var empty = new FftwBuffer<double>(0);
        Assert.Equal(0, empty.Span.Length);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FftwBuffer<double>(-1));
    }

    [Fact]
    public void WisdomRoundTripsThroughAFile()
    {
        using var fft = new RealFft([20, 30]);
        string path = Path.Combine(Path.GetTempPath(), $"hpcgb-wisdom-{Guid.NewGuid():N}");
        try
        {
            FftwLibrary.ExportWisdom(path);
            Assert.StartsWith("(fftw-3", File.ReadAllText(path));
            Assert.True(FftwLibrary.ImportWisdom(path));
        }
        finally
        {
            File.Delete(path);
        }
        Assert.False(FftwLibrary.ImportWisdom(path));
        Assert.Throws<FftwException>(() => FftwLibrary.ExportWisdom("/nonexistent-directory/wisdom"));
    }

    [Fact]
    public void WisdomPlansRepeatTheMeasuredPlanAndFallBackToTheEstimate()
    {
        // A measured plan stored as wisdom, forgotten and loaded again: a Wisdom plan of that shape comes from it and
        // transforms bit for bit as the measured one did; a shape the wisdom lacks gets the Estimate plan. (Shapes no
        // other test plans, so that wisdom from other tests cannot be what is found.)
        int[] stored = [42, 54], absent = [46, 50];
        using var measured = new RealFft(stored, FftwPlannerFlags.Measure);
        var reference = RoundTrip(measured);
        string path = Path.Combine(Path.GetTempPath(), $"hpcgb-wisdom-{Guid.NewGuid():N}");
        try
        {
            FftwLibrary.ExportWisdom(path);
            FftwLibrary.ForgetWisdom();
            Assert.True(FftwLibrary.ImportWisdom(path));
            using var fromWisdom = new RealFft(stored, FftwPlannerFlags.Wisdom);
            Assert.True(fromWisdom.FromWisdom);
            Assert.False(measured.FromWisdom);
            var again = RoundTrip(fromWisdom);
            Assert.Equal(reference.Spectrum, again.Spectrum);
            Assert.Equal(reference.Real, again.Real);

            using var fallback = new RealFft(absent, FftwPlannerFlags.Wisdom);
            Assert.False(fallback.FromWisdom);
            using var estimate = new RealFft(absent, FftwPlannerFlags.Estimate);
            Assert.Equal(RoundTrip(estimate).Real, RoundTrip(fallback).Real);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Forward then inverse of fixed random data: the spectrum and the (unnormalised) real result.</summary>
    private static (Complex[] Spectrum, double[] Real) RoundTrip(RealFft fft)
    {
        var random = new Random(5);
        var input = new double[fft.RealLength];
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = random.NextDouble() - 0.5;
        }
        var spectrum = new Complex[fft.SpectrumLength];
        var real = new double[fft.RealLength];
        fft.Forward(input, spectrum);
        fft.Inverse(spectrum, real);
        return (spectrum, real);
    }
}
