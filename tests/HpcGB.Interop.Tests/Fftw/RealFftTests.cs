using System.Numerics;
using HpcGB.Interop.Fftw;

namespace HpcGB.Interop.Tests.Fftw;

/// <summary>RealFft against the defining sum, its round trip, its layouts and its argument checks.</summary>
public sealed class RealFftTests
{
    private const double Tolerance = 1e-12;

    public static TheoryData<int, FftwPlannerFlags> Sizes1D()
    {
        var data = new TheoryData<int, FftwPlannerFlags>();
        foreach (int n in new[] { 1, 2, 7, 16, 100, 128 })
        {
            data.Add(n, FftwPlannerFlags.Estimate);
            data.Add(n, FftwPlannerFlags.Measure);
        }
        return data;
    }

    public static TheoryData<int, int, FftwPlannerFlags> Shapes2D()
    {
        var data = new TheoryData<int, int, FftwPlannerFlags>();
        foreach ((int n1, int n2) in new[] { (8, 8), (6, 10), (32, 32), (1, 5), (5, 1), (7, 9) })
        {
            data.Add(n1, n2, FftwPlannerFlags.Estimate);
            data.Add(n1, n2, FftwPlannerFlags.Measure);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Sizes1D))]
    public void Forward1DMatchesTheNaiveDft(int n, FftwPlannerFlags flags)
    {
        var x = TestData.RandomReal(n, seed: n);
        using var fft = new RealFft([n], flags);
        using var real = fft.AllocateReal();
        using var spectrum = fft.AllocateSpectrum();
        x.CopyTo(real.Span);

        fft.Forward(real, spectrum);

        Assert.Equal(n / 2 + 1, spectrum.Length);
        Assert.True(TestData.RelativeMaxError(spectrum.Span, NaiveDft.Forward1D(x)) < Tolerance);
        Assert.Equal(x, real.Span.ToArray()); // r2c keeps its input
    }

    [Theory]
    [MemberData(nameof(Shapes2D))]
    public void Forward2DMatchesTheNaiveDft(int n1, int n2, FftwPlannerFlags flags)
    {
        var x = TestData.RandomReal(n1 * n2, seed: 100 * n1 + n2);
        using var fft = new RealFft([n1, n2], flags);
        using var spectrum = fft.AllocateSpectrum();

        fft.Forward(x, spectrum);

        Assert.Equal(n1 * (n2 / 2 + 1), spectrum.Length);
        Assert.True(TestData.RelativeMaxError(spectrum.Span, NaiveDft.Forward2D(x, n1, n2)) < Tolerance);
    }

    [Theory]
    [InlineData(new[] { 1 })]
    [InlineData(new[] { 7 })]
    [InlineData(new[] { 128 })]
    [InlineData(new[] { 6, 10 })]
    [InlineData(new[] { 32, 32 })]
    [InlineData(new[] { 5, 1 })]
    public void InverseOfForwardIsNTimesTheInputAndKeepsTheSpectrum(int[] shape)
    {
        using var fft = new RealFft(shape);
        var x = TestData.RandomReal(fft.RealLength, seed: 7);
        using var spectrum = fft.AllocateSpectrum();
        using var back = fft.AllocateReal();
        fft.Forward(x, spectrum);
        var spectrumBefore = spectrum.Span.ToArray();

        fft.Inverse(spectrum, back);

        var expected = x.Select(v => fft.RealLength * v).ToArray();
        Assert.True(TestData.RelativeMaxError(back.Span, expected) < Tolerance);
        Assert.Equal(spectrumBefore, spectrum.Span.ToArray());
    }

    [Theory]
    [InlineData(new[] { 100 })]
    [InlineData(new[] { 6, 10 })]
    public void EveryOverloadGivesTheSameBits(int[] shape)
    {
        using var fft = new RealFft(shape);
        var x = TestData.RandomReal(fft.RealLength, seed: 3);
        using var real = fft.AllocateReal();
        using var spectrum = fft.AllocateSpectrum();
        using var back = fft.AllocateReal();
        x.CopyTo(real.Span);

        fft.Forward(real, spectrum);
        var fromSpan = new Complex[fft.SpectrumLength];
        fft.Forward(x, fromSpan);
        Assert.Equal(spectrum.Span.ToArray(), fromSpan);

        var inverseToSpan = new double[fft.RealLength];
        fft.Inverse(fromSpan, inverseToSpan);
        fft.Inverse(spectrum, back);
        Assert.Equal(back.Span.ToArray(), inverseToSpan);

        fft.InverseDestroyingInput(spectrum, back);
        Assert.Equal(inverseToSpan, back.Span.ToArray());
    }

    [Fact]
    public void ACachedPlanOnDifferentBuffersGivesBitIdenticalResults()
    {
        using var first = new RealFft([24, 40]);
        using var second = new RealFft([24, 40]);
        var x = TestData.RandomReal(first.RealLength, seed: 11);
        var reference = Transform(first, x);

        for (int repeat = 0; repeat < 5; repeat++)
        {
            Assert.Equal(reference, Transform(repeat % 2 == 0 ? first : second, x));
        }

        static Complex[] Transform(RealFft fft, double[] x)
        {
            // Fresh buffers each time: the plan runs on arrays it was not planned with.
            using var real = fft.AllocateReal();
            using var spectrum = fft.AllocateSpectrum();
            x.CopyTo(real.Span);
            fft.Forward(real, spectrum);
            return spectrum.Span.ToArray();
        }
    }

    [Fact]
    public void WrongLengthsAreRejected()
    {
        using var fft = new RealFft([8, 8], FftwPlannerFlags.Estimate);
        using var shortReal = new FftwBuffer<double>(63);
        using var spectrum = fft.AllocateSpectrum();
        using var longSpectrum = new FftwBuffer<Complex>(8 * 5 + 1);
        using var real = fft.AllocateReal();

        Assert.Throws<ArgumentException>(() => fft.Forward(shortReal, spectrum));
        Assert.Throws<ArgumentException>(() => fft.Forward(new double[65], spectrum));
        Assert.Throws<ArgumentException>(() => fft.Forward(real, longSpectrum));
        Assert.Throws<ArgumentException>(() => fft.Inverse(longSpectrum, real));
        Assert.Throws<ArgumentException>(() => fft.Inverse(spectrum.Span, new double[10]));
    }

    [Theory]
    [InlineData(new int[0])]
    [InlineData(new[] { 4, 4, 4 })]
    [InlineData(new[] { 0 })]
    [InlineData(new[] { 8, -1 })]
    public void BadShapesAreRejected(int[] shape)
    {
        var error = Assert.Throws<ArgumentException>(() => new RealFft(shape));
        Assert.Equal("shape", error.ParamName);
    }

    [Fact]
    public void ADisposedInstanceThrows()
    {
        var fft = new RealFft([16], FftwPlannerFlags.Estimate);
        using var spectrum = fft.AllocateSpectrum();
        fft.Dispose();
        Assert.Throws<ObjectDisposedException>(() => fft.Forward(new double[16], spectrum));
    }
}
