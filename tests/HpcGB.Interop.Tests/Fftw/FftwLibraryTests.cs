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
}
